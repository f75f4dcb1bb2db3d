/**
 * manually-drop: `ManuallyDrop::new` whose value is never `ManuallyDrop::drop`ped, `into_inner`ed
 * or `take`n.
 */
import { SyntaxNode } from '../../parsing/parser';
import { calleeLabel, execContext } from '../context';
import { destinations } from '../flow';
import { foreignPartsQuestion, ownerQuestion, reclaimOf } from '../owners';
import { ownershipOf } from '../ownership';
import { Site } from '../site';
import { SourceFile } from '../source';

export function manuallyDrop(file: SourceFile, call: SyntaxNode, out: Site[]): void {
  const arg = call.childForFieldName('arguments')?.namedChild(0);
  if (!arg) return;
  const owned = ownershipOf(arg);
  if (owned.type === 'none') return;
  const base = { rule: 'manually-drop' as const, range: file.range(call), message: '`ManuallyDrop::new` suppresses the destructor of its value', related: [] as Site['related'] };
  const ctx = execContext(call);
  const foreign = owned.type === 'transferred' && owned.parts ? foreignPartsQuestion(file, owned.parts, ctx) : undefined;
  if (foreign) {
    out.push({ ...base, decision: { type: 'owner', question: foreign }, reasons: [owned.why] });
    return;
  }
  if (owned.type === 'transferred') {
    out.push({ ...base, decision: { type: 'final', kind: 'ownership-transfer' }, reasons: [owned.why] });
    return;
  }
  const dests = destinations(file, call);
  for (const d of dests) {
    // `ManuallyDrop::drop(&mut slot)` / `ManuallyDrop::into_inner(slot)` / `slot.into_inner()`.
    const node = d.type === 'passed' ? d.node : d.type === 'local' ? d.node : undefined;
    if (!node || node.type !== 'call_expression') continue;
    const f = node.childForFieldName('function');
    // Also `Vec::from_raw_parts(v.as_mut_ptr(), …)`: its contents are rebuilt into an owner.
    const isReclaim = f && (f.type === 'field_expression'
      ? /^(into_inner|take|drop)$/.test(f.childForFieldName('field')?.text ?? '')
      : reclaimOf(file, node) !== undefined);
    if (isReclaim) {
      out.push({
        ...base,
        decision: { type: 'final', kind: 'reclaimed' },
        reasons: [`the value is released by \`${calleeLabel(node)}\` at line ${node.startPosition.row + 1}`],
        related: [{ file: file.path, range: file.range(node), message: 'released here' }],
      });
      return;
    }
  }
  const loop = ctx.repeat ? `, inside ${ctx.repeat.label}` : '';
  // Without evidence that the value owns memory, a skipped destructor is taken as deliberate
  // (`ManuallyDrop::new(handle).write(buf)` borrows a handle without closing it).
  const kind = owned.type === 'owning' ? 'real-leak' : 'ownership-transfer';
  const hedge = owned.type === 'owning' ? [] : ['assuming the destructor is skipped on purpose; if the value owns heap memory that nothing else frees, this is a real leak'];
  // `let b = ManuallyDrop::new(b); b.deref_mut().0 as *mut T`: a pointer to the contents, made by
  // a method of the wrapper, is the function's value (an `into_raw`-style API); the caller owns it.
  const returned = dests.flatMap((d) => (d.type === 'local' && d.method ? destinations(file, d.node) : [])).find((d) => d.type === 'returned');
  if (returned && ctx.fn) {
    out.push({
      ...base,
      decision: { type: 'final', kind: 'ownership-transfer' },
      reasons: [owned.why, `a pointer to its contents is returned from \`${ctx.fn.name}\` at line ${returned.node.startPosition.row + 1}`, 'the caller owns the value now and must rebuild and drop it'],
    });
    return;
  }
  const stays = dests.every((d) => d.type === 'local' || d.type === 'unused' || d.type === 'discarded');
  if (stays) {
    out.push({
      ...base,
      decision: { type: 'final', kind },
      reasons: [owned.why, `nothing in \`${ctx.fn?.name ?? 'this scope'}\` drops, takes or unwraps it again${loop}`, ...hedge],
    });
    return;
  }
  // Stored in a struct or handed on: the owner's `Drop` impl usually releases it, possibly elsewhere.
  out.push({
    ...base,
    decision: { type: 'owner', question: { ...ownerQuestion(file, call, ctx, dests, 'ManuallyDrop', 'ManuallyDrop::drop`/`into_inner`/`take'), unpaired: kind } },
    reasons: [owned.why, ...hedge],
  });
}
