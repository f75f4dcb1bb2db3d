/**
 * mem-forget: `std::mem::forget` / `core::mem::forget` / an imported `forget`, of an owning value.
 */
import { SyntaxNode } from '../../parsing/parser';
import { execContext } from '../context';
import { foreignPartsQuestion } from '../owners';
import { ownershipOf } from '../ownership';
import { globProvides, pathMatches, resolvePath } from '../paths';
import { Site } from '../site';
import { SourceFile } from '../source';

const MEM = ['std', 'mem'];

export function isForgetCall(file: SourceFile, call: SyntaxNode): boolean {
  const f = call.childForFieldName('function')!;
  const resolved = resolvePath(f, file.uses);
  if (resolved.length === 1) return resolved[0] === 'forget' && globProvides(file.uses, MEM);
  return pathMatches(resolved, ['forget'], MEM);
}

export function memForget(file: SourceFile, call: SyntaxNode, out: Site[]): void {
  if (!isForgetCall(file, call)) return;
  const arg = call.childForFieldName('arguments')?.namedChild(0);
  if (!arg) return;
  const owned = ownershipOf(arg);
  if (owned.type === 'none') return;
  const ctx = execContext(call);
  const base = { rule: 'mem-forget' as const, range: file.range(call), related: [] as Site['related'] };
  const subject = arg.text.length > 40 ? 'the value' : `\`${arg.text}\``;
  if (owned.type === 'unknown') {
    // Mature code forgets drop guards and values whose parts it moved out; without evidence that
    // the value owns memory, a warning would be a false alarm more often than not.
    out.push({
      ...base,
      message: `\`mem::forget\` skips the destructor of ${subject}`,
      decision: { type: 'final', kind: 'ownership-transfer' },
      reasons: [owned.why, 'assuming the destructor is skipped on purpose (a drop guard, or a value whose contents live on elsewhere)', 'if it owns heap memory that nothing else frees, this is a real leak'],
    });
    return;
  }
  const foreign = owned.type === 'transferred' && owned.parts ? foreignPartsQuestion(file, owned.parts, ctx) : undefined;
  if (foreign) {
    out.push({ ...base, message: `\`mem::forget\` skips the destructor of ${subject}`, decision: { type: 'owner', question: foreign }, reasons: [owned.why] });
    return;
  }
  if (owned.type === 'transferred') {
    out.push({
      ...base,
      message: `\`mem::forget\` skips the destructor of ${subject}`,
      decision: { type: 'final', kind: 'ownership-transfer' },
      reasons: [owned.why],
      related: owned.node ? [{ file: file.path, range: file.range(owned.node), message: 'ownership comes from here' }] : [],
    });
    return;
  }
  if (owned.type === 'owning' && owned.refcounted) {
    // Forgetting an `Arc` keeps one count alive on purpose when that count lives on in a raw
    // pointer (wakers, intrusive queues); the raw side must be reclaimed somewhere.
    const p = owned.refcounted;
    out.push({
      ...base,
      message: `\`mem::forget\` keeps a reference count of ${subject} alive`,
      decision: {
        type: 'owner',
        question: { owner: { type: 'unknown', why: 'the count lives on in raw pointers made elsewhere' }, family: p, fromRaw: `${p}::from_raw\` or \`${p}::decrement_strong_count`, pairedKind: 'ownership-transfer' },
      },
      reasons: [owned.why, 'the forgotten count is handed to raw pointers that give it back'],
    });
    return;
  }
  const reasons = [owned.why, `\`mem::forget\` skips its destructor, so what it owns is never freed`];
  if (ctx.repeat) reasons.push(`inside ${ctx.repeat.label}: leaks on every iteration`);
  out.push({
    ...base,
    message: `\`mem::forget\` leaks ${subject}`,
    decision: { type: 'final', kind: 'real-leak' },
    reasons,
    related: ctx.repeat ? [{ file: file.path, range: file.range(ctx.repeat.node), message: 'repeats the leak' }] : [],
  });
}
