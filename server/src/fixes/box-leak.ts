/**
 * box-leak: stop leaking instead of leaking less. Either keep the value owned for as long as the
 * reference is used (semantics unchanged except that it is freed at the end of the scope), or, in a
 * loop, hoist the leak out so it happens once. Never `Box::from_raw` on the leaked reference: others
 * may still hold it, and "unleaking" it is undefined behaviour.
 */
import { Fix } from '../../../shared/src/fixes';
import { SyntaxNode } from '../parsing/parser';
import { FixContext, contains, deleteStatement, enclosing, eol, indentationOf, insertAt, replace } from './syntax';

const LOOPS = ['for_expression', 'while_expression', 'loop_expression'];
const FUNCTION_BOUNDARIES = ['function_item', 'closure_expression'];

export function boxLeakFixes(ctx: FixContext): Fix[] {
  const call = enclosing(ctx, ['call_expression']);
  if (!call) return [];
  const leaked = leakedValue(call);
  if (!leaked) return [];
  const statement = call.parent;
  if (statement?.type !== 'let_declaration' || statement.childForFieldName('value')?.startIndex !== call.startIndex) return [];
  const pattern = statement.childForFieldName('pattern');
  if (pattern?.type !== 'identifier') return [];

  const fixes: Fix[] = [];
  const indent = indentationOf(ctx.text, statement.startPosition.row);
  const type = statement.childForFieldName('type');
  const owner = `${pattern.text}_owned`;
  // A `&'static T` binding only reads: borrow shared. Otherwise keep what `leak` gave, `&mut`.
  const shared = !!type && !/^&\s*('static\s+)?mut\b/.test(type.text);
  const borrowedType = type ? `: ${type.text.replace(/'static\s*/, '')}` : '';
  const binding = shared ? `let ${owner} = ${leaked.text};` : `let mut ${owner} = ${leaked.text};`;
  const borrow = shared ? `&${owner}` : `&mut *${owner}`;
  fixes.push({
    title: 'Keep the value owned instead of leaking it (freed at the end of the scope)',
    isPreferred: true,
    edits: [replace(statement, `${binding}${eol(ctx.text)}${indent}let ${pattern.text}${borrowedType} = ${borrow};`)],
  });

  const loop = innermostLoop(statement);
  if (loop && !dependsOnLoop(statement, loop)) {
    const anchor = loop.parent?.type === 'expression_statement' ? loop.parent : loop;
    const loopIndent = indentationOf(ctx.text, anchor.startPosition.row);
    const moved = statement.text
      .split(/\r?\n/)
      .map((line, i) => (i === 0 ? line : line.startsWith(indent) ? loopIndent + line.slice(indent.length) : line))
      .join(eol(ctx.text));
    fixes.push({
      title: `Hoist the leak out of the \`${loop.type.replace('_expression', '')}\` loop so it happens once`,
      isPreferred: false,
      edits: [
        deleteStatement(ctx.text, statement),
        insertAt({ line: anchor.startPosition.row, character: 0 }, `${loopIndent}${moved}${eol(ctx.text)}`),
      ],
    });
  }
  return fixes;
}

/** The owned value a leak call consumes: `Box::leak(v)` → `v`, `v.leak()` → `v`. */
function leakedValue(call: SyntaxNode): SyntaxNode | undefined {
  const f = call.childForFieldName('function');
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  if (f?.type === 'scoped_identifier' && f.childForFieldName('name')?.text === 'leak' && args.length === 1) return args[0];
  if (f?.type === 'field_expression' && f.childForFieldName('field')?.text === 'leak' && args.length === 0) {
    return f.childForFieldName('value') ?? undefined;
  }
  return undefined;
}

function innermostLoop(node: SyntaxNode): SyntaxNode | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (LOOPS.includes(n.type)) return n;
    if (FUNCTION_BOUNDARIES.includes(n.type)) return undefined;
  }
  return undefined;
}

/**
 * True when the statement reads a binding introduced inside the loop (the `for` pattern or a `let`
 * in the body), so it cannot move before the loop.
 */
function dependsOnLoop(statement: SyntaxNode, loop: SyntaxNode): boolean {
  const local = new Set<string>();
  const forPattern = loop.type === 'for_expression' ? loop.childForFieldName('pattern') : null;
  for (const id of forPattern?.descendantsOfType('identifier') ?? []) local.add(id.text);
  if (forPattern?.type === 'identifier') local.add(forPattern.text);
  const body = loop.childForFieldName('body');
  for (const decl of body?.descendantsOfType('let_declaration') ?? []) {
    if (decl.startIndex >= statement.startIndex) continue;
    const p = decl.childForFieldName('pattern');
    if (!p) continue;
    if (p.type === 'identifier') local.add(p.text);
    for (const id of p.descendantsOfType('identifier')) local.add(id.text);
  }
  for (const param of body?.descendantsOfType('closure_parameters') ?? []) {
    if (!contains(param.parent!, statement)) continue;
    for (const id of param.descendantsOfType('identifier')) local.add(id.text);
  }
  const value = statement.childForFieldName('value');
  return (value?.descendantsOfType('identifier') ?? []).some((id) => local.has(id.text));
}
