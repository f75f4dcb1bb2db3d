/**
 * mem-forget: `mem::forget(x)` → `ManuallyDrop::new(x)` (the same effect, but the skipped destructor
 * is visible in the type and can still be run with `ManuallyDrop::drop`), or letting the value drop.
 * For a value that is evidently a `Box`, handing it out with `Box::into_raw` is offered too.
 */
import { Fix } from '../../../shared/src/fixes';
import { SyntaxNode } from '../parsing/parser';
import { FixContext, enclosing, replace } from './syntax';

export function memForgetFixes(ctx: FixContext): Fix[] {
  const call = forgetCall(ctx);
  if (!call) return [];
  const arg = call.childForFieldName('arguments')!.namedChildren[0];
  const statement = call.parent?.type === 'expression_statement' ? call.parent : undefined;
  const fixes: Fix[] = [];
  // As a statement with a plain variable, rebinding keeps the name usable for a later explicit drop.
  const isVariable = arg.type === 'identifier';
  const wrap = `std::mem::ManuallyDrop::new(${arg.text})`;
  fixes.push({
    title: 'Wrap the value in `ManuallyDrop` instead of forgetting it',
    isPreferred: true,
    edits: [
      statement && isVariable
        ? replace(statement, `let ${arg.text} = ${wrap};`)
        : statement
          ? replace(statement, `let _ = ${wrap};`)
          : replace(call, wrap),
    ],
  });
  if (statement && isVariable && boxBinding(call, arg.text)) {
    fixes.push({
      title: 'Hand the allocation out with `Box::into_raw` (reclaim it later with `Box::from_raw`)',
      isPreferred: false,
      edits: [replace(statement, `let ${arg.text} = Box::into_raw(${arg.text});`)],
    });
  }
  if (statement) {
    fixes.push({ title: 'Let the value drop normally', isPreferred: false, edits: [replace(call, `drop(${arg.text})`)] });
  }
  return fixes;
}

function forgetCall(ctx: FixContext): SyntaxNode | undefined {
  let call = enclosing(ctx, ['call_expression']);
  while (call) {
    const f = call.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
    const args = call.childForFieldName('arguments')?.namedChildren ?? [];
    if (/(^|::)forget$/.test(f) && args.length === 1) return call;
    call = call.parent ? (enclosingCall(call.parent) ?? undefined) : undefined;
  }
  return undefined;
}

function enclosingCall(node: SyntaxNode): SyntaxNode | undefined {
  for (let n: SyntaxNode | null = node; n; n = n.parent) if (n.type === 'call_expression') return n;
  return undefined;
}

/** `let name = Box::new(…)` earlier in the same function. */
function boxBinding(call: SyntaxNode, name: string): boolean {
  let fn: SyntaxNode | null = call.parent;
  while (fn && fn.type !== 'function_item' && fn.type !== 'closure_expression') fn = fn.parent;
  if (!fn) return false;
  return fn.descendantsOfType('let_declaration').some((decl) => {
    if (decl.startIndex > call.startIndex) return false;
    const pattern = decl.childForFieldName('pattern')?.text.replace(/^mut\s+/, '');
    const value = decl.childForFieldName('value')?.text.replace(/\s+/g, '') ?? '';
    return pattern === name && value.startsWith('Box::new(');
  });
}
