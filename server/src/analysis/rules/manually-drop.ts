/**
 * manually-drop: `ManuallyDrop::new` whose value is never `ManuallyDrop::drop`ped, `into_inner`ed
 * or `take`n.
 */
import { SyntaxNode } from '../../parsing/parser';
import { calleeLabel, execContext } from '../context';
import { destinations } from '../flow';
import { ownershipOf } from '../ownership';
import { resolvePath } from '../paths';
import { reclaimFamily } from '../reclaims';
import { Site } from '../site';
import { SourceFile } from '../source';

export function manuallyDrop(file: SourceFile, call: SyntaxNode, out: Site[]): void {
  const arg = call.childForFieldName('arguments')?.namedChild(0);
  if (!arg) return;
  const owned = ownershipOf(arg);
  if (owned.type === 'none') return;
  const base = { rule: 'manually-drop' as const, range: file.range(call), message: '`ManuallyDrop::new` suppresses the destructor of its value', related: [] as Site['related'] };
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
    const isReclaim = f && (f.type === 'field_expression'
      ? /^(into_inner|take|drop)$/.test(f.childForFieldName('field')?.text ?? '')
      : reclaimFamily(resolvePath(f, file.uses)) === 'ManuallyDrop');
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
  const ctx = execContext(call);
  const stays = dests.every((d) => d.type === 'local' || d.type === 'unused' || d.type === 'discarded');
  const loop = ctx.repeat ? `, inside ${ctx.repeat.label}` : '';
  if (stays) {
    out.push({
      ...base,
      decision: { type: 'final', kind: 'real-leak' },
      reasons: [owned.why, `nothing in \`${ctx.fn?.name ?? 'this scope'}\` drops, takes or unwraps it again${loop}`],
    });
    return;
  }
  // Stored in a struct or handed on: the owner's `Drop` impl usually releases it, possibly elsewhere.
  out.push({
    ...base,
    decision: { type: 'reclaim', family: 'ManuallyDrop', fallback: 'real-leak', fallbackReason: `no \`ManuallyDrop::drop\`/\`into_inner\`/\`take\` anywhere in the workspace releases it${loop}` },
    reasons: [owned.why],
  });
}
