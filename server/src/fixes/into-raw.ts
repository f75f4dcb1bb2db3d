/**
 * into-raw: an `into_raw` nobody gives back. Either give it back at the end of the block with the
 * matching `from_raw` (this is the pointer `into_raw` produced in this very function, so reclaiming it
 * is sound, unlike "unleaking" memory leaked to `'static`), or keep the owner alive and lend a
 * pointer (`Rc::as_ptr`, `&mut *b`).
 */
import { Fix } from '../../../shared/src/fixes';
import { SyntaxNode } from '../parsing/parser';
import { FixContext, enclosing, eol, indentationOf, insertAt, replace } from './syntax';

const OWNERS = new Set(['Box', 'Rc', 'Arc', 'CString', 'Weak']);

export function intoRawFixes(ctx: FixContext): Fix[] {
  const call = enclosing(ctx, ['call_expression']);
  const f = call?.childForFieldName('function');
  if (!call || f?.type !== 'scoped_identifier' || f.childForFieldName('name')?.text !== 'into_raw') return [];
  const ownerPath = f.childForFieldName('path')?.text ?? '';
  const owner = ownerPath.split('::').pop()!.trim();
  if (!OWNERS.has(owner)) return [];
  const statement = call.parent;
  if (statement?.type !== 'let_declaration') return [];
  const pattern = statement.childForFieldName('pattern');
  if (pattern?.type !== 'identifier') return [];
  const arg = call.childForFieldName('arguments')?.namedChildren[0];
  if (!arg) return [];
  const fixes: Fix[] = [];

  const block = statement.parent;
  if (block?.type === 'block' && !tailExpression(block)) {
    const close = block.lastChild!;
    const last = block.namedChildren[block.namedChildCount - 1];
    const indent = indentationOf(ctx.text, statement.startPosition.row);
    fixes.push({
      title: `Give the pointer back with \`${ownerPath}::from_raw\` at the end of the block`,
      isPreferred: true,
      edits: [
        insertAt(
          { line: last.endPosition.row, character: last.endPosition.column },
          `${eol(ctx.text)}${indent}drop(unsafe { ${ownerPath}::from_raw(${pattern.text}) });` +
            (close.startPosition.row === last.endPosition.row ? ' ' : ''),
        ),
      ],
    });
  }

  const indent = indentationOf(ctx.text, statement.startPosition.row);
  if (owner === 'Rc' || owner === 'Arc') {
    if (arg.type === 'identifier') {
      fixes.push({
        title: `Keep the \`${owner}\` and lend a pointer with \`${ownerPath}::as_ptr\``,
        isPreferred: fixes.length === 0,
        edits: [replace(call, `${ownerPath}::as_ptr(&${arg.text})`)],
      });
    }
  } else if (owner === 'Box') {
    const keeper = arg.type === 'identifier' ? arg.text : `${pattern.text}_box`;
    fixes.push({
      title: 'Keep the `Box` and lend a pointer with `&mut *b`',
      isPreferred: fixes.length === 0,
      edits: [
        replace(
          statement,
          `let mut ${keeper} = ${arg.text};${eol(ctx.text)}${indent}let ${pattern.text}: *mut _ = &mut *${keeper};`,
        ),
      ],
    });
  }
  return fixes;
}

function tailExpression(block: SyntaxNode): SyntaxNode | undefined {
  const last = block.namedChildren[block.namedChildCount - 1];
  if (!last) return undefined;
  const isStatement = last.type.endsWith('_statement') || last.type.endsWith('_declaration') || last.type.endsWith('_item') || last.type === 'line_comment' || last.type === 'block_comment';
  return isStatement ? undefined : last;
}
