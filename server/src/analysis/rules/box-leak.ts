/**
 * box-leak: `Box::leak`, `Vec::leak`, `String::leak`, their method forms and fully qualified paths.
 */
import { SyntaxNode } from '../../parsing/parser';
import { enclosingFunction, execContext } from '../context';
import { declarationBefore, destinations } from '../flow';
import { leakedReferenceVerdict } from '../lifetime';
import { ownerQuestion } from '../owners';
import { pathMatches, resolvePath } from '../paths';
import { Site } from '../site';
import { SourceFile } from '../source';

const OWNERS = ['Box', 'Vec', 'String'];
/** Methods that call a function argument once per element. */
const ITERATOR_ADAPTERS = new Set(['map', 'for_each', 'flat_map', 'filter_map', 'map_while', 'scan', 'inspect']);
/** Receivers that are evidently a Box, Vec or String, so `.leak()` is std's. */
const OWNING_RECEIVER = /^(Box::new|Vec::|String::|vec!|format!)|\.(to_string|to_owned|to_vec|into_boxed_\w+|collect(::<[^>]*>)?)\(\)$/;

export function boxLeakFromPath(file: SourceFile, call: SyntaxNode, out: Site[]): void {
  const f = call.childForFieldName('function')!;
  const resolved = resolvePath(f, file.uses);
  const owner = OWNERS.find((o) => pathMatches(resolved, [o, 'leak']));
  if (!owner) return;
  const s = site(file, call, call, `\`${owner}::leak\``);
  if (s) out.push(s);
}

export function boxLeakFromMethod(file: SourceFile, call: SyntaxNode, out: Site[]): void {
  const f = call.childForFieldName('function')!;
  const args = call.childForFieldName('arguments');
  if (args && args.namedChildCount > 0) return;
  const receiver = f.childForFieldName('value')?.text ?? '';
  const evident = OWNING_RECEIVER.test(receiver.replace(/\s+/g, ''));
  const s = site(file, call, f.childForFieldName('field') ?? call, '`.leak()`');
  if (!s) return;
  if (!evident) s.unlessUserMethod = 'leak';
  out.push(s);
}

/** `iter.map(Box::leak)`: the function itself is handed to something that calls it. */
export function boxLeakAsValue(file: SourceFile, path: SyntaxNode, out: Site[]): void {
  const resolved = resolvePath(path, file.uses);
  const owner = OWNERS.find((o) => pathMatches(resolved, [o, 'leak']));
  if (!owner) return;
  const call = path.parent?.parent;
  if (call?.type !== 'call_expression') return;
  const what = `\`${owner}::leak\``;
  const ctx = execContext(path);
  const callee = call.childForFieldName('function');
  const adapter = callee?.type === 'field_expression' ? callee.childForFieldName('field')?.text : undefined;
  const perElement = !!adapter && ITERATOR_ADAPTERS.has(adapter) && !ctx.once;
  // Otherwise (`opt.map(Box::leak)`) it is called at most once, and its result is the call's.
  const verdict = perElement
    ? {
        decision: { type: 'final' as const, kind: 'real-leak' as const },
        summary: `leaks once per element of \`.${adapter}()\``,
        reasons: [`${what} is passed as a function to \`.${adapter}()\`, which calls it for every element`, 'each call leaks a new allocation'],
        related: [],
      }
    : leakedReferenceVerdict(file, ctx, destinations(file, call), what);
  out.push({
    rule: 'box-leak',
    range: file.range(path),
    message: `${what}, passed as a function, ${verdict.summary}`,
    decision: verdict.decision,
    reasons: verdict.reasons,
    related: verdict.related,
  });
}

/**
 * `NonNull::from(Box::leak(b))`, `Box::leak(b).into()`, `Box::leak(b) as *mut T`: the reference is
 * turned straight into a raw pointer, the way std's own collections use `Box::leak` as a
 * non-null `Box::into_raw`. Such memory is owned by the pointer until `Box::from_raw`.
 */
function pointerConversion(call: SyntaxNode): { label: string; result: SyntaxNode } | undefined {
  const p = call.parent;
  if (p?.type === 'field_expression' && p.childForFieldName('field')?.text === 'into' && p.parent?.type === 'call_expression') return { label: '`.into()`', result: p.parent };
  if (p?.type === 'type_cast_expression' && p.childForFieldName('type')?.type === 'pointer_type') return { label: `\`as ${p.childForFieldName('type')!.text}\``, result: p };
  if (p?.type === 'arguments' && p.parent?.type === 'call_expression') {
    const callee = p.parent.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
    if (/(^|::)(NonNull|Unique)::(from|new|new_unchecked)$|(^|::)ptr::(from_mut|from_ref)$/.test(callee)) return { label: `\`${callee}\``, result: p.parent };
  }
  return undefined;
}

/**
 * `Box::leak(Box::new(()))` (also through a `let`): a box of a zero-sized value never allocates,
 * so nothing leaks — a known way to make a `&'static mut ()`.
 */
function leaksNothing(call: SyntaxNode): boolean {
  const f = call.childForFieldName('function');
  let boxed = f?.type === 'field_expression' ? f.childForFieldName('value') : call.childForFieldName('arguments')?.namedChild(0);
  if (boxed?.type === 'identifier') {
    const fn = enclosingFunction(boxed);
    boxed = (fn && declarationBefore(fn, boxed.text, boxed)?.childForFieldName('value')) ?? boxed;
  }
  if (boxed?.type !== 'call_expression') return false;
  const inner = boxed.childForFieldName('arguments')?.namedChild(0);
  const ctor = boxed.childForFieldName('function');
  return !!ctor && /(^|::)Box::new$/.test(ctor.text.replace(/\s+/g, '')) && (inner?.type === 'unit_expression' || inner?.text.replace(/\s+/g, '') === '[]');
}

function site(file: SourceFile, call: SyntaxNode, anchor: SyntaxNode, what: string): Site | undefined {
  if (leaksNothing(call)) return undefined;
  const range = anchor === call ? file.range(call) : { start: file.range(anchor).start, end: file.range(call).end };
  const conversion = pointerConversion(call);
  const ctx = execContext(call);
  if (conversion) {
    const question = ownerQuestion(file, call, ctx, destinations(file, conversion.result), 'Box', 'Box::from_raw');
    return {
      rule: 'box-leak',
      range,
      message: `${what} is turned into a raw pointer that owns the allocation`,
      decision: { type: 'owner', question },
      reasons: [`the leaked reference goes straight into ${conversion.label}, which makes this a \`Box::into_raw\``],
      related: [],
    };
  }
  const verdict = leakedReferenceVerdict(file, ctx, destinations(file, call), what);
  return {
    rule: 'box-leak',
    range,
    message: `${what} ${verdict.summary}`,
    decision: verdict.decision,
    reasons: verdict.reasons,
    related: verdict.related,
  };
}
