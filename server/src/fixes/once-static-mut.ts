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
import { isMutableStatic } from '../analysis/statics';
import { ImportPlan, moduleOf, usesIn } from './imports';
import { NOT_SEND, StaticMut, asStaticMut, declarationEdits } from './static-mut';
import { FixContext, ancestor, contains, deleteStatement, macroMethodCall, rangeOf, replace, requires, useExpression, staticScopesOf, usesOfStatic } from './syntax';

interface Pattern {
  target: StaticMut;
  inner: string;
  call: SyntaxNode;
  /** The `static INIT: Once` item. */
  once: SyntaxNode;
  init: SyntaxNode;
}

export function onceStaticMutFixes(ctx: FixContext): Fix[] {
  const pattern = findPattern(ctx);
  const version = requires(ctx, '1.70', '`OnceLock`');
  if (!pattern || !version.offered) return [];
  const root = ctx.tree.rootNode;
  const { target, call, once, init, inner } = pattern;
  const home = moduleOf(target.item);
  const plan = new ImportPlan(home, ctx.text, ['std::sync::OnceLock']);
  const edits: TextEdit[] = [];
  edits.push(replace(call, `${target.name.text}.get_or_init(|| ${init.text})`));
  for (const id of usesOfStatic(ctx.tree, target.item)) {
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

  const onceLock = plan.name('std::sync::OnceLock', target.item);
  edits.push(...declarationEdits(target, `${onceLock}<${inner}>`, `${onceLock}::new()`));
  // The `Once` itself goes when this was its only use; its import becomes the `OnceLock` one when
  // nothing else in the module needs it.
  let importReplaced = false;
  if (usesOfStatic(ctx.tree, once).every((u) => contains(call, u))) {
    edits.push(deleteStatement(ctx.text, once));
    const otherOnce = root
      .descendantsOfType(['type_identifier', 'identifier'])
      .some((n) => n.text === 'Once' && !contains(once, n) && !ancestor(n, ['use_declaration']) && moduleOf(n).id === home.id);
    const useOnce = usesIn(home).find((u) => /^use\s+std\s*::\s*sync\s*::\s*Once\s*;$/.test(u.text));
    if (!otherOnce && useOnce && onceLock === 'OnceLock') {
      edits.push(replace(useOnce, 'use std::sync::OnceLock;'));
      importReplaced = true;
    }
  }
  if (!importReplaced) edits.push(...plan.edits());
  const onceName = once.childForFieldName('name')!.text;
  return [{ title: `Replace \`${onceName}\` + \`static mut ${target.name.text}\` with a \`OnceLock\`${version.note}`, isPreferred: true, edits }];
}

function findPattern(ctx: FixContext): Pattern | undefined {
  const root = ctx.tree.rootNode;
  const scopes = staticScopesOf(ctx.tree);
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
    const item = scopes.resolve(left);
    const target = item && isMutableStatic(item) ? asStaticMut(item) : undefined;
    const onceItem = scopes.resolve(once);
    const inner = target && /^Option\s*<([\s\S]*)>$/.exec(target.type.text.trim())?.[1];
    // `OnceLock<T>` is `Sync` only for `T: Send + Sync`, which a `static mut` never asked of `T`.
    if (!init || !target || !inner || !onceItem || target.value.text.trim() !== 'None' || NOT_SEND.test(inner)) continue;
    candidates.push({ target, inner: inner.trim(), call, once: onceItem, init });
  }
  const line = ctx.finding.range.start.line;
  const covers = (n: SyntaxNode) => n.startPosition.row <= line && line <= n.endPosition.row;
  return candidates.find((c) => covers(c.call) || covers(c.target.item));
}

function singleAssignment(body: SyntaxNode | null): SyntaxNode | undefined {
  if (!body) return undefined;
  if (body.type === 'assignment_expression') return body;
  const code = body.namedChildren.filter((c) => c.type !== 'line_comment' && c.type !== 'block_comment');
  if (body.type !== 'block' || code.length !== 1) return undefined;
  const only = code[0];
  const expr = only.type === 'expression_statement' ? only.namedChildren[0] : only;
  return expr?.type === 'assignment_expression' ? expr : undefined;
}
