/**
 * raw-alloc: `std::alloc::alloc/alloc_zeroed/realloc` whose pointer is never `dealloc`ed and does
 * not escape to an owner.
 */
import { SyntaxNode } from '../../parsing/parser';
import { calleeLabel, execContext } from '../context';
import { destinations } from '../flow';
import { globProvides, pathMatches, resolvePath } from '../paths';
import { ownerQuestion } from '../owners';
import { reclaimFamily } from '../reclaims';
import { Site } from '../site';
import { SourceFile } from '../source';

const ALLOC = ['std', 'alloc'];
/** Owners that free what they are given. */
const ADOPTERS = /(^|::)(Box::from_raw|Vec::from_raw_parts|String::from_raw_parts|Box::from_non_null|NonNull::new|NonNull::new_unchecked)$/;

export function rawAlloc(file: SourceFile, call: SyntaxNode, out: Site[]): void {
  const f = call.childForFieldName('function')!;
  const resolved = resolvePath(f, file.uses);
  const name = resolved[resolved.length - 1];
  const fromStd = resolved.length === 1 ? globProvides(file.uses, ALLOC) : pathMatches(resolved, [name], ALLOC);
  if (!fromStd) return;
  const base = { rule: 'raw-alloc' as const, range: file.range(call), message: `\`${name}\` returns memory that must be freed with \`dealloc\``, related: [] as Site['related'] };
  const dests = destinations(file, call);
  for (const d of dests) {
    if (d.type !== 'passed') continue;
    const target = resolvePath(d.node.childForFieldName('function') ?? d.node, file.uses);
    if (reclaimFamily(target) === 'alloc') {
      out.push({
        ...base,
        decision: { type: 'final', kind: 'reclaimed' },
        reasons: [`the pointer is freed by \`${calleeLabel(d.node)}\` at line ${d.node.startPosition.row + 1}`],
        related: [{ file: file.path, range: file.range(d.node), message: 'deallocated here' }],
      });
      return;
    }
    if (ADOPTERS.test(target.slice(-2).join('::')) && !/NonNull/.test(target.join('::'))) {
      out.push({
        ...base,
        decision: { type: 'final', kind: 'reclaimed' },
        reasons: [`the pointer is adopted by \`${calleeLabel(d.node)}\` at line ${d.node.startPosition.row + 1}, which frees it when dropped`],
        related: [{ file: file.path, range: file.range(d.node), message: 'adopted here' }],
      });
      return;
    }
  }
  const ctx = execContext(call);
  const loop = ctx.repeat ? ` (inside ${ctx.repeat.label})` : '';
  const escapes = dests.some((d) => d.type === 'returned' || d.type === 'field' || d.type === 'static' || d.type === 'passed' || d.type === 'closure-value');
  if (escapes) {
    out.push({
      ...base,
      decision: { type: 'owner', question: ownerQuestion(file, call, ctx, dests, 'alloc', 'dealloc') },
      reasons: ['the pointer escapes this function, so its new owner must free it'],
    });
    return;
  }
  out.push({
    ...base,
    decision: { type: 'final', kind: 'real-leak' },
    reasons: [`the pointer never reaches \`dealloc\` and does not escape \`${ctx.fn?.name ?? 'its scope'}\`${loop}`, 'the allocation is lost when the pointer goes out of scope'],
  });
}
