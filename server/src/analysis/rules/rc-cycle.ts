/**
 * rc-cycle: `Rc`/`Arc` reference cycles. Two kinds of site, both decided by the workspace
 * (`cycles/graph.ts`):
 *   - every strong field edge of a type, reported when it closes a loop of the strong-reference
 *     type graph (a possible leak: the types allow it, no code was seen doing it);
 *   - every store a function makes that closes a cycle between its values (`cycles/values.ts`),
 *     a real leak unless a `Drop` outside the cycle clears one of its fields.
 */
import { SyntaxNode } from '../../parsing/parser';
import { functionInfo } from '../context';
import { CycleGraph } from '../cycles/graph';
import { CycleFacts, FieldClear, TypeDecl, emptyCycleFacts } from '../cycles/model';
import { Work, typeDecls } from '../cycles/types';
import { Closing, Setter, closingsIn, rcPointee, settersOf } from '../cycles/values';
import { Site } from '../site';
import { SourceFile } from '../source';
import { lineCounter, matchOffsets } from '../text';

/**
 * Only files that name `Rc` or `Arc` take part (the engine's text pre-filter skips the others, and
 * facts must not depend on whether it did). A function can close a cycle only if it names one (or
 * clones) and writes through a cell.
 */
const NAMES_RC = /\b(?:Rc|Arc)\b/;
const MAY_CLOSE = /\b(?:Rc|Arc)\b|\.clone\(\)/g;
const WRITES_CELL = /borrow_mut|\.lock\(|\.write\(|\.set\(|\.replace\(|get_or_init|get_or_insert/g;

/** `x.field.take()`, `x.field.borrow_mut().clear()`, `x.field = None`, `mem::take(&mut x.field)`. */
const CLEAR_PATTERNS = [
  /\.(\w+)\s*(?:\.\s*(?:borrow_mut|lock|write|get_mut)\(\s*\)\s*(?:\.\s*(?:unwrap\(\s*\)|expect\([^)]*\))\s*)?)?\.\s*(?:take|clear|drain|truncate|retain)\s*\(/g,
  /\.(\w+)\s*(?:\.\s*(?:borrow_mut|lock|write)\(\s*\)\s*(?:\.\s*unwrap\(\s*\)\s*)?)?=\s*(?:None|Vec::new\(\)|vec!\[\]|Default::default\(\)|Weak::new\(\))\s*[;,}]/g,
  /mem::(?:take|replace|swap)\(\s*&mut\s+[\w.]*\.(\w+)\b/g,
];

export function rcCycles(file: SourceFile, items: SyntaxNode[], sites: Site[], work: Work): CycleFacts {
  if (!NAMES_RC.test(file.text)) return emptyCycleFacts();
  const types = typeDecls(items, work);
  const local = new Set(types.filter((t) => !t.alias).map((t) => t.name));
  for (const t of types) {
    if (t.alias) continue;
    const seen = new Set<string>();
    for (const e of t.edges) {
      const key = `${e.range.start.line}:${e.range.start.character}`;
      // A strong edge, or one into a name that may be an alias of a strong pointer (here or in another file).
      if ((!e.pointer && local.has(e.target)) || seen.has(key)) continue;
      seen.add(key);
      sites.push({
        rule: 'rc-cycle',
        range: e.range,
        message: `edge \`${t.name}.${e.field}\``,
        decision: { type: 'cycle', field: e.field },
        reasons: [],
        related: [],
      });
    }
  }
  const byName = new Map<string, TypeDecl>(types.map((t) => [t.name, t]));
  const closed = new Set<string>();
  // Where the words are, found once for the file: a function's text is not copied (nested ones would be, again and again).
  const mayClose = matchOffsets(file.text, MAY_CLOSE);
  const writesCell = matchOffsets(file.text, WRITES_CELL);
  const clearsFound = clears(file.text, file.root);
  if (mayClose.length === 0 || writesCell.length === 0) return { types, clears: clearsFound, closed: [] };
  // Only functions that name `Rc`/`Arc`, clone, or return a local alias of one can matter below.
  const aliases = types.filter((t) => t.alias && t.edges.some((e) => e.pointer)).map((t) => t.name);
  const aliasUses = aliases.length ? matchOffsets(file.text, new RegExp(String.raw`\b(?:${aliases.join('|')})\b`, 'g')) : [];
  const fns = functionsAt(file.root, [...mayClose, ...aliasUses]).filter((fn) => fn.childForFieldName('body'));
  // Functions that hand back a new `Rc`: their callers' values are allocations too.
  const constructors = new Map<string, string>();
  for (const fn of fns) {
    const returns = fn.childForFieldName('return_type');
    const pointee = returns ? rcPointee(returns, byName) : undefined;
    if (pointee === undefined) continue;
    const info = functionInfo(fn);
    constructors.set(info.implType ? `${info.implType}::${info.name}` : info.name, pointee === 'Self' ? info.implType ?? '' : pointee);
  }
  const writing = fns.filter((fn) => within(mayClose, fn.startIndex, fn.endIndex) && within(writesCell, fn.startIndex, fn.endIndex));
  // Methods first: what each stores inside `self`, so that their calls are stores too.
  const setters = new Map<string, Setter[]>();
  for (const fn of writing) {
    const info = functionInfo(fn);
    if (!info.implType) continue;
    const stores = settersOf(fn, { implType: info.implType, types: byName, path: file.path, constructors }, work);
    if (stores.length) setters.set(info.name, stores);
  }
  const callsSetter = setters.size ? matchOffsets(file.text, new RegExp(String.raw`\.(?:${[...setters.keys()].join('|')})\s*\(`, 'g')) : [];
  const candidates = setters.size ? fns.filter((fn) => within(mayClose, fn.startIndex, fn.endIndex) && (within(writesCell, fn.startIndex, fn.endIndex) || within(callsSetter, fn.startIndex, fn.endIndex))) : writing;
  for (const fn of candidates) {
    const closings: Closing[] = [];
    closingsIn(fn, { implType: functionInfo(fn).implType, types: byName, path: file.path, constructors, setters }, closings, work);
    for (const c of closings) {
      for (const f of c.fields) closed.add(f);
      sites.push({ rule: 'rc-cycle', range: c.range, message: c.message, decision: { type: 'cycle', fields: c.fields, types: c.types }, reasons: c.reasons, related: c.related });
    }
  }
  return { types, clears: clearsFound, closed: [...closed] };
}

/**
 * The functions around any of `offsets`, outer before inner: walks up from each, not over the whole
 * tree, and only as far as a node around the offset before it (whose functions were found then):
 * the words cluster, and a walk to the root from each cost more than the rest of the rule.
 */
function functionsAt(root: SyntaxNode, offsets: number[]): SyntaxNode[] {
  const found = new Map<number, SyntaxNode>();
  let last = -1;
  for (const at of [...offsets].sort((a, b) => a - b)) {
    for (let n: SyntaxNode | null = root.descendantForIndex(at); n; n = n.parent) {
      if (last >= 0 && n.startIndex <= last && last < n.endIndex) break;
      if (n.type !== 'function_item') continue;
      // Its own enclosing functions were found with it.
      if (found.has(n.startIndex)) break;
      found.set(n.startIndex, n);
    }
    last = at;
  }
  return [...found.values()].sort((a, b) => a.startIndex - b.startIndex);
}

/** Whether a sorted offset lies in [from, to). */
function within(sorted: number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] < to;
}

/** Fields the file's code empties, and the `impl Drop` each clear is in: one regex pass, lines counted as it goes. */
function clears(text: string, root: SyntaxNode): FieldClear[] {
  const found: { index: number; field: string }[] = [];
  for (const re of CLEAR_PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) found.push({ index: m.index, field: m[1] });
  }
  if (found.length === 0) return [];
  found.sort((a, b) => a.index - b.index);
  const drops = /\bDrop\s+for\b/.test(text) ? root.descendantsOfType('impl_item').filter((i) => /\bDrop$/.test(i.childForFieldName('trait')?.text ?? '')) : [];
  const impls = drops.map((d) => ({ type: d.childForFieldName('type')?.text.replace(/<.*$/, '').split('::').pop(), from: d.startPosition.row, to: d.endPosition.row }));
  const out: FieldClear[] = [];
  const lineAt = lineCounter(text);
  for (const f of found) {
    const line = lineAt(f.index);
    const drop = impls.find((d) => d.from <= line && line <= d.to);
    out.push({ field: f.field, dropOf: drop?.type, range: { start: { line, character: 0 }, end: { line, character: 0 } } });
  }
  return out;
}

/** The workspace's verdict on an rc-cycle site; undefined drops it (a strong edge on no loop). */
export function resolveRcCycle(
  site: Site,
  file: string,
  graph: CycleGraph,
): { kind: 'real-leak' | 'possible-leak' | 'reclaimed'; message?: string; reasons: string[]; related: Site['related'] } | undefined {
  const d = site.decision;
  if (d.type !== 'cycle') return undefined;
  if (d.field !== undefined) {
    const v = graph.verdictFor(file, site.range, d.field);
    return v && { kind: 'possible-leak', message: v.message, reasons: v.reasons, related: v.related };
  }
  const clear = graph.clearing(file, d.fields ?? [], d.types ?? []);
  const closes = site.message.replace(/; neither is ever freed$|: a reference cycle that is never freed$/, '');
  // The last reason says the cycle is never freed: replaced by what frees it.
  if (clear.breaks) return { kind: 'reclaimed', message: `${closes}, broken when dropped`, reasons: [...site.reasons.slice(0, -1), clear.breaks], related: site.related };
  if (clear.byHand) return { kind: 'possible-leak', message: `${closes}; it is broken by hand elsewhere, if that runs`, reasons: [...site.reasons.slice(0, -1), clear.byHand], related: site.related };
  return { kind: 'real-leak', reasons: clear.futile ? [...site.reasons, clear.futile] : site.reasons, related: site.related };
}
