/**
 * once-static-mut: `Once::call_once` writing `Some(v)` into a `static mut X: Option<T> = None`, read
 * back with `X.as_ref()`, is what `OnceLock<T>` does safely:
 *
 *     INIT.call_once(|| { X = Some(v); });   →   X.get_or_init(|| v);
 *     X.as_ref()                             →   X.get()
 *
 * Offered only when the file matches that shape exactly (every write inside the `call_once`, every
 * read through `as_ref`/`is_some`/`is_none`); anything else would not compile after the rewrite.
 */
import { Fix, TextEdit } from '../../../shared/src/fixes';
import { SyntaxNode } from '../parsing/parser';
import { addImports, topLevelUses } from './imports';
import { StaticMut, declarationEdits } from './static-mut';
import { FixContext, ancestor, contains, deleteStatement, macroMethodCall, rangeOf, replace, useExpression, usesOf } from './syntax';

interface Pattern {
  target: StaticMut;
  inner: string;
  call: SyntaxNode;
  once: string;
  init: SyntaxNode;
}

export function onceStaticMutFixes(ctx: FixContext): Fix[] {
  const pattern = findPattern(ctx);
  if (!pattern) return [];
  const root = ctx.tree.rootNode;
  const { target, call, once, init, inner } = pattern;
  const edits: TextEdit[] = [...declarationEdits(target, `OnceLock<${inner}>`, 'OnceLock::new()')];
  edits.push(replace(call, `${target.name.text}.get_or_init(|| ${init.text})`));
  for (const id of usesOf(root, target.name.text, target.name)) {
    if (contains(call, id)) continue;
    const expr = useExpression(id);
    // `X.as_ref()` → `X.get()`; `X.is_some()` → `X.get().is_some()`, in code and inside macros.
    const inMacro = macroMethodCall(expr);
    const methodCall = inMacro ? undefined : expr.parent?.type === 'field_expression' && expr.parent.parent?.type === 'call_expression' ? expr.parent.parent : undefined;
    const method = inMacro?.method ?? methodCall?.childForFieldName('function')?.childForFieldName('field')?.text;
    const args = inMacro?.args ?? methodCall?.childForFieldName('arguments');
    if (!method || !args || args.text.replace(/\s+/g, '') !== '()') return [];
    const span = { start: rangeOf(expr).start, end: rangeOf(args).end };
    if (method === 'as_ref') edits.push({ range: span, newText: `${expr.text}.get()` });
    else if (method === 'is_some' || method === 'is_none') edits.push({ range: span, newText: `${expr.text}.get().${method}()` });
    else return [];
  }

  // The `Once` itself goes when this was its only use; so does its import when nothing else needs it.
  const onceItem = root.descendantsOfType('static_item').find((s) => s.childForFieldName('name')?.text === once);
  const onceUses = onceItem ? usesOf(root, once, onceItem.childForFieldName('name')!) : [];
  let replacedImport = false;
  if (onceItem && onceUses.every((u) => contains(call, u))) {
    edits.push(deleteStatement(ctx.text, onceItem));
    const otherOnce = root
      .descendantsOfType(['type_identifier', 'identifier'])
      .some((n) => n.text === 'Once' && !contains(onceItem, n) && !ancestor(n, ['use_declaration']));
    const useOnce = topLevelUses(root).find((u) => /^use\s+std\s*::\s*sync\s*::\s*Once\s*;$/.test(u.text));
    if (!otherOnce && useOnce) {
      edits.push(replace(useOnce, 'use std::sync::OnceLock;'));
      replacedImport = true;
    }
  }
  if (!replacedImport) {
    const add = addImports(root, ctx.text, ['std::sync::OnceLock']);
    if (add) edits.push(add);
  }
  return [{ title: `Replace \`${once}\` + \`static mut ${target.name.text}\` with a \`OnceLock\``, isPreferred: true, edits }];
}

function findPattern(ctx: FixContext): Pattern | undefined {
  const root = ctx.tree.rootNode;
  const candidates: Pattern[] = [];
  for (const call of root.descendantsOfType('call_expression')) {
    const f = call.childForFieldName('function');
    if (f?.type !== 'field_expression' || f.childForFieldName('field')?.text !== 'call_once') continue;
    const once = f.childForFieldName('value');
    const closure = call.childForFieldName('arguments')?.namedChildren[0];
    if (once?.type !== 'identifier' || closure?.type !== 'closure_expression') continue;
    const assignment = singleAssignment(closure.childForFieldName('body'));
    const left = assignment?.childForFieldName('left');
    const right = assignment?.childForFieldName('right');
    if (left?.type !== 'identifier' || right?.type !== 'call_expression') continue;
    if (right.childForFieldName('function')?.text !== 'Some') continue;
    const init = right.childForFieldName('arguments')?.namedChildren[0];
    const target = staticMutNamed(root, left.text);
    const inner = target && /^Option\s*<([\s\S]*)>$/.exec(target.type.text.trim())?.[1];
    if (!init || !target || !inner || target.value.text.trim() !== 'None') continue;
    const statement = call.parent?.type === 'expression_statement' ? call : call;
    candidates.push({ target, inner: inner.trim(), call: statement, once: once.text, init });
  }
  const line = ctx.finding.range.start.line;
  const covers = (n: SyntaxNode) => n.startPosition.row <= line && line <= n.endPosition.row;
  return candidates.find((c) => covers(c.call) || covers(c.target.item)) ?? (candidates.length === 1 ? candidates[0] : undefined);
}

function singleAssignment(body: SyntaxNode | null): SyntaxNode | undefined {
  if (!body) return undefined;
  if (body.type === 'assignment_expression') return body;
  if (body.type !== 'block' || body.namedChildCount !== 1) return undefined;
  const only = body.namedChildren[0];
  const expr = only.type === 'expression_statement' ? only.namedChildren[0] : only;
  return expr?.type === 'assignment_expression' ? expr : undefined;
}

function staticMutNamed(root: SyntaxNode, name: string): StaticMut | undefined {
  for (const item of root.descendantsOfType('static_item')) {
    if (item.childForFieldName('name')?.text !== name) continue;
    const type = item.childForFieldName('type');
    const value = item.childForFieldName('value');
    const mutable = item.children.find((c) => c.type === 'mutable_specifier');
    if (type && value && mutable) return { item, name: item.childForFieldName('name')!, type, value, mutable };
  }
  return undefined;
}
