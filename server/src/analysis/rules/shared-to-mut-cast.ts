/**
 * shared-to-mut-cast: `r as *const T as *mut T` where `r` is a shared reference, followed by a
 * write through the pointer — undefined behaviour even for memory leaked to `'static`.
 */
import { SyntaxNode } from '../../parsing/parser';
import { enclosingFunction } from '../context';
import { bindingName, usesAfter } from '../flow';
import { SourceFile } from '../source';
import { Site } from '../site';

interface SharedOrigin {
  why: string;
  isStatic: boolean;
}

export function sharedToMutCast(file: SourceFile, cast: SyntaxNode, out: Site[]): void {
  const inner = cast.childForFieldName('value')!;
  const source = inner.childForFieldName('value');
  if (!source) return;
  const origin = sharedOrigin(file, source);
  if (!origin) return;
  const write = writeThrough(cast);
  if (!write) return;
  out.push({
    rule: 'shared-to-mut-cast',
    range: file.range(cast),
    message: `casting the shared reference \`${source.text}\` to \`*mut\` and writing through it is undefined behaviour`,
    decision: { type: 'final', kind: 'intentional-static' },
    reasons: [
      origin.why,
      `the pointer is written through at line ${write.startPosition.row + 1} (\`${write.text.length > 40 ? write.text.slice(0, 37) + '…' : write.text}\`)`,
      origin.isStatic
        ? "the memory is a leaked `'static` value, but a shared reference still forbids mutation: Miri reports undefined behaviour"
        : 'a shared reference forbids mutation (outside `UnsafeCell`): Miri reports undefined behaviour',
    ],
    related: [{ file: file.path, range: file.range(write), message: 'written through here' }],
  });
}

/** Why `expr` is a shared reference, if we can tell. */
function sharedOrigin(file: SourceFile, expr: SyntaxNode): SharedOrigin | undefined {
  if (expr.type === 'reference_expression') {
    if (expr.children.some((c) => c.type === 'mutable_specifier')) return undefined;
    return { why: `\`${expr.text}\` is a shared borrow`, isStatic: false };
  }
  if (expr.type === 'self') {
    const fn = enclosingFunction(expr);
    const selfParam = fn?.childForFieldName('parameters')?.namedChildren.find((p) => p.type === 'self_parameter');
    if (selfParam && /^&\s*('\w+\s+)?self$/.test(selfParam.text)) return { why: '`self` is `&self`', isStatic: false };
    return undefined;
  }
  if (expr.type !== 'identifier') return undefined;
  const fn = enclosingFunction(expr);
  if (!fn) return undefined;
  for (const decl of fn.descendantsOfType(['parameter', 'let_declaration'])) {
    if (decl.startIndex > expr.startIndex) break;
    const pattern = decl.childForFieldName('pattern');
    if (!pattern || bindingName(pattern) !== expr.text) continue;
    const type = decl.childForFieldName('type');
    if (type) return sharedType(type, `\`${expr.text}: ${type.text}\``);
    const value = decl.childForFieldName('value');
    if (value?.type === 'call_expression') {
      const callee = value.childForFieldName('function');
      const target = callee && functionNamed(file, callee.text.split('::').pop()!);
      const ret = target?.childForFieldName('return_type');
      if (ret) return sharedType(ret, `\`${expr.text}\` comes from \`${callee!.text}()\`, which returns \`${ret.text}\``);
    }
    if (value?.type === 'reference_expression' && !value.children.some((c) => c.type === 'mutable_specifier')) {
      return { why: `\`${expr.text}\` is bound to the shared borrow \`${value.text}\``, isStatic: false };
    }
  }
  return undefined;
}

function sharedType(type: SyntaxNode, why: string): SharedOrigin | undefined {
  if (type.type !== 'reference_type' || type.children.some((c) => c.type === 'mutable_specifier')) return undefined;
  const isStatic = type.children.some((c) => c.type === 'lifetime' && c.text === "'static");
  return { why: `${why}, a shared reference`, isStatic };
}

function functionNamed(file: SourceFile, name: string): SyntaxNode | undefined {
  return file.root.descendantsOfType('function_item').find((f) => f.childForFieldName('name')?.text === name);
}

/** A write through the cast pointer: `*p = …`, `(*p).field = …`, `(*p).method(…)`, `ptr::write(p, …)`. */
function writeThrough(cast: SyntaxNode): SyntaxNode | undefined {
  let subject = cast;
  while (subject.parent?.type === 'parenthesized_expression') subject = subject.parent;
  const let_ = subject.parent;
  if (let_?.type !== 'let_declaration') return derefWrite(subject);
  const name = bindingName(let_.childForFieldName('pattern')!);
  if (!name) return undefined;
  for (const use of usesAfter(let_, name)) {
    const w = derefWrite(use);
    if (w) return w;
  }
  return undefined;
}

function derefWrite(ptr: SyntaxNode): SyntaxNode | undefined {
  let n = ptr.parent;
  if (n?.type === 'arguments') {
    const call = n.parent!;
    return /(^|::)(write|write_bytes|write_volatile|write_unaligned|swap|replace)$/.test(call.childForFieldName('function')?.text ?? '') ? call : undefined;
  }
  if (n?.type !== 'unary_expression' || !n.text.startsWith('*')) return undefined;
  let place: SyntaxNode = n;
  while (place.parent?.type === 'parenthesized_expression' || place.parent?.type === 'field_expression' || place.parent?.type === 'index_expression') {
    place = place.parent;
    if (place.type === 'field_expression' && place.parent?.type === 'call_expression') return place.parent;
  }
  const p = place.parent;
  if ((p?.type === 'assignment_expression' || p?.type === 'compound_assignment_expr') && p.childForFieldName('left')?.id === place.id) return p;
  if (p?.type === 'reference_expression' && p.children.some((c) => c.type === 'mutable_specifier')) return p;
  return undefined;
}
