/**
 * Calls that give memory back, grouped into families by what they can free: `Rc::from_raw` and
 * `Rc::decrement_strong_count` take back an `Rc::into_raw` pointer, `dealloc` what `alloc` gave.
 * Which pointer a reclaim takes back is the owner model's business (`owners.ts`).
 */

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
