/**
 * Calls that give memory back, grouped into families so an `into_raw` can be paired with the
 * `from_raw` of the same smart pointer anywhere in the workspace.
 */
import { SyntaxNode } from '../parsing/parser';
import { calleeLabel } from './context';
import { resolvePath } from './paths';
import { Reclaim } from './site';
import { SourceFile } from './source';

/** Smart pointers and owners whose raw form is reclaimed by `Owner::from_raw`. */
export const FAMILIES = ['Box', 'Rc', 'Arc', 'CString', 'Weak', 'Vec', 'String', 'OsString', 'PathBuf'];

/** The reclaim family of a `from_raw`-like call, e.g. `Rc::decrement_strong_count` → `Rc`. */
export function reclaimFamily(resolved: string[]): string | undefined {
  const name = resolved[resolved.length - 1];
  const owner = resolved[resolved.length - 2];
  if (name === 'dealloc') return 'alloc';
  if (owner === 'ManuallyDrop' && (name === 'drop' || name === 'into_inner' || name === 'take')) return 'ManuallyDrop';
  if (!owner || !FAMILIES.includes(owner)) return undefined;
  if (name === 'from_raw' || name === 'from_raw_in' || name === 'decrement_strong_count') return owner;
  if (name === 'from_raw_parts' || name === 'from_raw_parts_in') return owner === 'Vec' || owner === 'String' ? `${owner}::parts` : undefined;
  return undefined;
}

/** Records a reclaiming call found by the sites query, if it is one. */
export function collectReclaim(file: SourceFile, call: SyntaxNode, out: Reclaim[]): void {
  const f = call.childForFieldName('function');
  if (!f) return;
  const resolved = resolvePath(f, file.uses);
  if (resolved.length === 1 && resolved[0] === 'dealloc' && !file.uses.names.has('dealloc') && !file.uses.globs.length) return;
  const family = reclaimFamily(resolved);
  if (family) out.push({ family, range: file.range(call), label: calleeLabel(call) });
}

/**
 * Whether a reclaim of family `reclaim` takes back a pointer of family `wanted`. `*` is a pointer
 * of unknown owner (a `.into_raw()` method), `*parts` the raw parts of a `Vec` or `String`.
 */
export function familyMatches(wanted: string, reclaim: string): boolean {
  if (wanted === '*') return reclaim !== 'alloc' && reclaim !== 'ManuallyDrop' && !reclaim.endsWith('::parts');
  if (wanted === '*parts') return reclaim.endsWith('::parts');
  return wanted === reclaim;
}
