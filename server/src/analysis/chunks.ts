/**
 * Phase one, again after an edit: which parts of a file must be read anew, and which facts of the
 * last reading still hold.
 *
 * A file is cut into chunks — function bodies, and the statements of a long body — and the rest,
 * its context: each function's own (its header, attributes and doc comment, the text between its
 * chunks) and the file's (types, `use`s, statics, macros, `impl` headers). A chunk's facts depend
 * on the chunk, on context, and on other chunks only through a name they share: a binding used in
 * a later statement, a function whose callers decide it, a field another method frees. So a
 * chunk's facts are kept while
 * - its text is the same (its lines may have moved: `line-shift.ts` moves the facts with them);
 * - its function's context is the same;
 * - no piece of the file's context that it names, or that holds it (`impl Foo {`), changed;
 * - no chunk it is linked to (below) changed or vanished.
 * A keystroke in one statement of a 100,000-statement function reads that statement again.
 *
 * The names are read from the code, not resolved, and comments say nothing. Two chunks are linked
 * by an identifier both write where a binding, a call or an argument can be (`x`, `helper(x)`;
 * not `_`), or a member or path end the context declares (`self.ptr`, `Self::make`); a chunk is
 * also linked to the chunks that name the function it is in. A chunk reaches another's code only
 * through a function (its body, its callers), an item declared inside a body, or a member: any
 * other name — a binding, a parameter, a type, `drop` — is its function's own, and links only
 * chunks of functions of that name (what the file's context declares is reached through the
 * context, above). A change re-reads the chunks linked to it, one step: a caller reads a
 * function's text, not what that function reads. A chunk that declares what the file's tables hold
 * (`use`, `static`, types, macros) is always read again, and a changed glob import re-reads all.
 * The layout itself is walked again only around the edit (`relayout`).
 */
import { SyntaxNode, TreeCursor, firstChildFor, freeCursor, sameNode } from '../parsing/parser';
import { COMMENT_LINE } from './context';
import { endsLine, positionCounter, withoutComments } from './text';
import { LineEdit, namesEditedLine, namesMovedLine, rowsNamed, shiftLines, shiftRows } from './line-shift';
import type { OwnerFacts } from './owners';
import type { Site } from './site';
import type { Damage } from '../parsing/trees';

export interface Chunk {
  start: number;
  end: number;
  /** The function the chunk is the body, or a statement of the body, of. */
  enclosing?: string;
}

/** An `impl`, `trait` or `mod` with a body: its header is context for every chunk inside it. */
interface Container {
  start: number;
  end: number;
}

/** A function whose body is cut into chunks: its header and the text between its chunks are its own context. */
interface Scope {
  name: string;
  start: number;
  end: number;
}

/** What one chunk contributed to its file's facts, in the order the captures gave it. */
export interface ChunkFacts {
  sites: Site[];
  reclaims: OwnerFacts['reclaims'];
  copies: string[];
  sinks: OwnerFacts['sinks'];
  structs: OwnerFacts['structs'];
  definedMethods: string[];
}

/** A chunk as last read: where it was, what it links to, and its facts if they can be kept. */
interface Entry extends Chunk {
  row: number;
  column: number;
  facts?: ChunkFacts;
  /** The rows `facts` name (`line-shift.ts`), worked out when first needed. */
  rows?: number[];
  names: string[];
  /** Every identifier the chunk writes (comments aside): a changed piece of the file's context re-reads the chunks that name it. */
  words: string[];
  /** The items (`fn`, `static`, `struct`, …) declared inside the chunk: their names are the file's. */
  defines: string[];
  /** The `impl`, `trait` or `mod` the chunk is in (-1: none), in that reading's order. */
  container: number;
  /** The context of the function the chunk is in, when it was read. */
  local: string;
  /** This reading keeps the chunk's facts (false: they are being read again). */
  kept: boolean;
}

/** A run of the file's context (outside every function), and the container it is in (-1: none). */
interface Piece {
  text: string;
  container: number;
}

/** Context that changes how any name resolves (a glob import): a change re-reads every chunk. */
const RESOLVES_EVERYTHING = /::\s*\*|\{\s*\*|\*\s*[,}]/;

/**
 * The pieces of the file's context that changed, the last reading's (`fresh` false) and this one's:
 * the runs the two lists do not share at their starts and ends.
 */
function changedPieces(before: Piece[], after: Piece[]): (Piece & { fresh: boolean })[] {
  const [[gone], [come]] = changedRun(before, after, (a, b) => a.text === b.text);
  return [...gone.map((p) => ({ ...p, fresh: false })), ...come.map((p) => ({ ...p, fresh: true }))];
}

/** The runs of `before` and `after` between their common start and end: what left (-1) and what came (+1). */
function changedRun<T>(before: T[], after: T[], same: (a: T, b: T) => boolean = (a, b) => a === b): [T[], 1 | -1][] {
  let a = 0;
  while (a < before.length && a < after.length && same(before[a], after[a])) a++;
  let b = 0;
  while (b < before.length - a && b < after.length - a && same(before[before.length - 1 - b], after[after.length - 1 - b])) b++;
  return [
    [before.slice(a, before.length - b), -1],
    [after.slice(a, after.length - b), 1],
  ];
}

/** How many pieces name each name. */
class NameCount {
  private readonly counts = new Map<string, number>();

  has(name: string): boolean {
    return this.counts.has(name);
  }

  /** Counts `names` once more (`by` 1) or once less (-1); `touched` keeps whether each name was there before. */
  count(names: Iterable<string> | null, by: 1 | -1, touched: Map<string, boolean>): void {
    if (!names) return;
    for (const name of names) {
      const was = this.counts.get(name) ?? 0;
      if (!touched.has(name)) touched.set(name, was > 0);
      if (was + by > 0) this.counts.set(name, was + by);
      else this.counts.delete(name);
    }
  }

  clear(touched: Map<string, boolean>): void {
    for (const name of this.counts.keys()) if (!touched.has(name)) touched.set(name, true);
    this.counts.clear();
  }
}

/** How much of the last reading one extraction reused (tests bound the work of an edit with it). */
export interface ReuseStats {
  chunks: number;
  reused: number;
}

/** Bodies longer than this are cut into their statements. */
const SPLIT_BYTES = 2048;
/** How many blocks deep a long statement's code is cut further. */
const MAX_SPLIT_DEPTH = 32;

const KEYWORDS = new Set(
  'as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while union'.split(' '),
);
/** Names a binding cannot take (variants of the prelude, primitive types): linking every chunk that writes `Some(…)` would link them all. */
const UNBINDABLE = new Set('Some None Ok Err bool char str u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64'.split(' '));
const IDENT = /(?:r#)?[A-Za-z_][A-Za-z0-9_]*/g;
const FN_NAME = /\bfn\s+((?:r#)?[A-Za-z_][A-Za-z0-9_]*)/;
/** An item declared in code, by name: inside a function body it is still found by name from elsewhere in the file. */
const ITEM_NAME = /(?<![*'&]\s*)\b(?:fn|static|const|struct|enum|union|type|trait|mod|macro_rules!)\s+(?:mut\s+)?((?:r#)?[A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * One document's last reading. Owned by whoever re-reads the document after each edit (the
 * language server); the CLI reads every file once and has none.
 */
export class FactsCache {
  private text = '';
  /** The last reading's functions' own context, function by function. */
  private locals: string[] = [];
  private toolchain = '';
  /** The last reading's file context, piece by piece, with the container (`impl`, `mod`) each is in. */
  private pieces: Piece[] = [];
  private readonly declared = new NameCount();
  /** The file's functions, and the items declared inside function bodies: the names one chunk reaches another by. */
  private readonly fileNames = new NameCount();
  private scopeNames: string[] = [];
  /** The last reading's chunks, in source order. */
  private entries: Entry[] = [];
  /** The last reading's layout, kept to walk only the items an edit touched. */
  private layout?: Layout;
  stats: ReuseStats = { chunks: 0, reused: 0 };

  constructor(private readonly splitBytes = SPLIT_BYTES) {}

  /** A reading skipped (a text without a leak word): the damage it was told of is lost with it. */
  forgetLayout(): void {
    this.layout = undefined;
  }

  /**
   * Cuts the file into chunks and decides which of them keep their facts. `contextKey` holds what
   * beyond the text the facts depend on (the toolchain). `damage`: where the text or the tree
   * changed since the last reading (`TreeCache.takeDamage`); without it the whole tree is walked.
   */
  plan(root: SyntaxNode, text: string, contextKey: string, damage?: Damage): Plan {
    const diff = textDiff(this.text, text);
    const known = damage && this.layout && { start: Math.min(damage.start, diff.prefix), end: Math.max(damage.end, text.length - diff.suffix) };
    const layout = known ? relayout(root, text, this.layout!, known, text.length - this.text.length, this.splitBytes) : chunksOf(root, text, this.splitBytes);
    this.layout = layout;
    const { chunks, scopes, containers } = layout;
    const { global, local, positions } = contextOf(text, chunks, scopes, containers);
    const chunkContainers = inContainers(chunks, containers);
    if (contextKey !== this.toolchain) {
      this.toolchain = contextKey;
      this.entries = [];
    }
    const previousPieces = this.pieces;
    this.pieces = global;
    const changed = changedPieces(previousPieces, global);
    if (changed.some((p) => RESOLVES_EVERYTHING.test(p.text))) this.entries = [];
    const { previous, edit } = this.align(text, diff, chunks, positions);
    /** A kept chunk's facts hold only if no line they name was edited; below the edit they move with their lines. */
    const keepable = (e: Entry | undefined): e is Entry & { facts: ChunkFacts } => {
      if (!e?.facts) return false;
      e.rows ??= rowsNamed(e.facts);
      return !namesEditedLine(e.rows, edit);
    };
    /** A chunk's code, comments blanked (words in comments name nothing), read only where it is needed. */
    const code: (string | undefined)[] = chunks.map((c, i) => (previous[i] ? undefined : withoutComments(text.slice(c.start, c.end))));
    const codeOf = (i: number) => (code[i] ??= withoutComments(text.slice(chunks[i].start, chunks[i].end)));
    const words = chunks.map((_, i) => previous[i]?.words ?? (codeOf(i).match(IDENT) ?? []));
    const defines = chunks.map((_, i) => previous[i]?.defines ?? [...codeOf(i).matchAll(ITEM_NAME)].map((m) => m[1].replace(/^r#/, '')));
    // The last reading's chunks that vanished: `align` found the others in order, so one pass over both finds them.
    const vanished: Entry[] = [];
    let found = 0;
    for (const entry of this.entries) {
      while (found < previous.length && previous[found] === undefined) found++;
      if (found < previous.length && previous[found] === entry) found++;
      else vanished.push(entry);
    }
    /** The names the context newly declares, or makes the file's, or no longer does: a chunk writing one links anew. */
    // Members and paths link chunks by the names the context declares, and names of functions and
    // of items declared in bodies are the file's: a chunk writing a name that starts or stops being
    // one links anew. Counted piece by piece, so a keystroke counts the pieces it changed.
    const relink = new Map<string, boolean>();
    const scopeNames = scopes.map((s) => s.name);
    if (this.entries.length === 0) {
      this.declared.clear(relink);
      this.fileNames.clear(relink);
      for (const p of global) this.declared.count(p.text.match(IDENT), 1, relink);
      for (const l of local) this.declared.count(l.match(IDENT), 1, relink);
      this.fileNames.count(scopeNames, 1, relink);
      for (const d of defines) this.fileNames.count(d, 1, relink);
    } else {
      for (const p of changed) this.declared.count(p.text.match(IDENT), p.fresh ? 1 : -1, relink);
      for (const [list, by] of changedRun(this.locals, local)) for (const l of list) this.declared.count(l.match(IDENT), by, relink);
      for (const [list, by] of changedRun(this.scopeNames, scopeNames)) this.fileNames.count(list, by, relink);
      for (const e of vanished) this.fileNames.count(e.defines, -1, relink);
      defines.forEach((d, i) => previous[i] || this.fileNames.count(d, 1, relink));
    }
    this.locals = local;
    this.scopeNames = scopeNames;
    for (const [name, was] of relink) if (was === (this.declared.has(name) || this.fileNames.has(name))) relink.delete(name);
    const names = chunks.map((c, i) => {
      const was = previous[i];
      return was && was.enclosing === c.enclosing && !(relink.size && words[i].some((w) => relink.has(w)))
        ? was.names
        : linkNames(codeOf(i), this.declared, this.fileNames, c.enclosing ?? '');
    });
    // Who writes each name, and which chunks each function holds: a chunk's facts depend on the
    // chunks it shares a name with — a binding and its uses, a function and its callers — and on
    // nothing further (a function's caller reads the function's text, not what that reads).
    const writers = new Map<string, number[]>();
    const held = new Map<string, number[]>();
    const add = (map: Map<string, number[]>, key: string, i: number) => {
      const list = map.get(key);
      if (list) list.push(i);
      else map.set(key, [i]);
    };
    for (let i = 0; i < chunks.length; i++) {
      for (const n of names[i]) add(writers, n, i);
      const e = chunks[i].enclosing;
      if (e !== undefined) add(held, e, i);
    }
    const dirty = new Set<number>();
    const mark = (list: number[] | undefined) => {
      if (list) for (const i of list) dirty.add(i);
    };
    /** Whatever shares a name with text that changed: its writers, and the chunks of the function it names. */
    const neighbours = (written: string[], enclosing: string | undefined) => {
      for (const n of written) {
        mark(writers.get(n));
        mark(held.get(n));
      }
      if (enclosing !== undefined) mark(writers.get(enclosing));
    };
    // Names the last reading's vanished chunks wrote, or were inside: what read them must be read again.
    for (const entry of vanished) neighbours(entry.names, entry.enclosing);
    const scopeIndex = chunkScopes(chunks, scopes);
    const localOf = (i: number) => local[scopeIndex[i]] ?? '';
    chunks.forEach((c, i) => {
      const was = previous[i];
      if (!was) {
        dirty.add(i);
        neighbours(names[i], c.enclosing);
      } else if (was.local !== localOf(i)) {
        // A function whose header changed is read again as if its body had: its callers with it.
        dirty.add(i);
        if (c.enclosing !== undefined) mark(writers.get(c.enclosing));
      } else if (!keepable(was)) dirty.add(i);
    });
    // A changed piece of the file's context: what names a word of it, and what is in its `impl` or `mod`.
    // Nothing to keep on a first reading: every chunk is read anyway.
    if (changed.length > 0 && this.entries.length > 0) {
      const changedWords = new Set(changed.flatMap((p) => withoutComments(p.text).match(IDENT) ?? []));
      const newContainers = new Set(changed.filter((p) => p.fresh && p.container >= 0).map((p) => p.container));
      const oldContainers = new Set(changed.filter((p) => !p.fresh && p.container >= 0).map((p) => p.container));
      chunks.forEach((_, i) => {
        const was = previous[i];
        if (newContainers.has(chunkContainers[i]) || (was && oldContainers.has(was.container)) || words[i].some((w) => changedWords.has(w))) dirty.add(i);
      });
    }
    // The last reading's entries are kept and updated in place, field by field: a keystroke in a
    // file of thousands of chunks allocates for the chunks it reads again, not for all of them.
    let reused = 0;
    const entries = chunks.map((c, i): Entry => {
      const was = dirty.has(i) ? undefined : previous[i];
      const { row, column } = positions[i];
      if (!was) return { start: c.start, end: c.end, enclosing: c.enclosing, row, column, names: names[i], words: words[i], defines: defines[i], container: chunkContainers[i], local: localOf(i), kept: false };
      if (namesMovedLine(was.rows!, edit)) {
        was.facts = shiftLines(was.facts!, edit);
        was.rows = shiftRows(was.rows!, edit);
      }
      was.start = c.start;
      was.end = c.end;
      was.row = row;
      was.column = column;
      was.names = names[i];
      was.container = chunkContainers[i];
      was.kept = true;
      reused++;
      return was;
    });
    this.entries = entries;
    this.text = text;
    this.stats = { chunks: chunks.length, reused };
    return new Plan(entries, text.length);
  }

  /**
   * The last reading's chunk each chunk is, if it is one: the same text at the same column, on the
   * same line or moved with the lines the edit added. Only chunks before or after the edited part
   * of the text can be: the text is compared from both ends once, not chunk by chunk. Also the
   * edit's lines, for the facts that name lines.
   */
  private align(text: string, { prefix, suffix }: TextDiff, chunks: Chunk[], positions: { row: number; column: number }[]): { previous: (Entry | undefined)[]; edit: LineEdit } {
    const old = this.text;
    const first = newlines(text, 0, prefix);
    const last = first + newlines(old, prefix, old.length - suffix);
    const edit: LineEdit = { first, last, delta: first + newlines(text, prefix, text.length - suffix) - last };
    const shift = text.length - old.length;
    let j = 0;
    const previous = chunks.map((c, i) => {
      const inSuffix = c.end > prefix;
      if (inSuffix && c.start < text.length - suffix) return undefined;
      const by = inSuffix ? shift : 0;
      while (j < this.entries.length && this.entries[j].start < c.start - by) j++;
      const e = this.entries[j];
      const { row, column } = positions[i];
      const same = e && e.start === c.start - by && e.end === c.end - by && e.column === column && e.row + (inSuffix ? edit.delta : 0) === row;
      return same ? e : undefined;
    });
    return { previous, edit };
  }
}

interface TextDiff {
  /** Characters the two texts share at their start, and then at their end. */
  prefix: number;
  suffix: number;
}

/** Compared a block at a time (a string compare is native), then a character at a time in the block that differs. */
function textDiff(old: string, text: string): TextDiff {
  const limit = Math.min(old.length, text.length);
  const BLOCK = 1024;
  let prefix = 0;
  while (prefix + BLOCK <= limit && old.slice(prefix, prefix + BLOCK) === text.slice(prefix, prefix + BLOCK)) prefix += BLOCK;
  while (prefix < limit && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const room = limit - prefix;
  while (suffix + BLOCK <= room && old.slice(old.length - suffix - BLOCK, old.length - suffix) === text.slice(text.length - suffix - BLOCK, text.length - suffix)) suffix += BLOCK;
  while (suffix < room && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  return { prefix, suffix };
}

/** Line ends in `from..to` of `text`, as the tree counts rows (`endsLine`). */
function newlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  if (text.includes('\r')) for (let i = text.indexOf('\r', from); i !== -1 && i < to; i = text.indexOf('\r', i + 1)) if (endsLine(text, i)) n++;
  return n;
}

/** One extraction's use of the cache: where to look for captures, and where each capture's facts belong. */
export class Plan {
  /** The text outside the chunks that keep their facts: the only text scanned for captures. */
  readonly spans: [number, number][] = [];
  private next = 0;

  constructor(private readonly entries: Entry[], length: number) {
    let at = 0;
    for (const e of entries) {
      if (!e.kept) {
        // Read again from nothing: a chunk without captures is kept as such.
        e.facts = { sites: [], reclaims: [], copies: [], sinks: [], structs: [], definedMethods: [] };
        e.rows = undefined;
        continue;
      }
      if (e.start > at) this.spans.push([at, e.start]);
      at = e.end;
    }
    if (at < length) this.spans.push([at, length]);
  }

  /**
   * The reading is done: the rows the chunks read again name are worked out now, with the rest of
   * the reading, rather than by the next keystroke (after a first reading, for every chunk).
   */
  settle(): void {
    for (const e of this.entries) if (!e.kept && e.facts) e.rows = rowsNamed(e.facts);
  }

  /**
   * Hands `use` the facts of the kept chunks before `start`, in order: captures arrive sorted by
   * start, and a kept chunk's facts come before a capture after it (`Infinity` gives the rest).
   */
  keptBefore(start: number, use: (facts: ChunkFacts) => void): void {
    while (this.next < this.entries.length && this.entries[this.next].start < start) {
      const e = this.entries[this.next++];
      if (e.kept) use(e.facts!);
    }
  }

  /**
   * Where the facts of a capture read again go: the chunk holding its node wholly, or `undefined`
   * for the context. A node that leaves its chunk, or a capture that fills one of the file's
   * tables (`pin`: statics, `use`s, types, macros), leaves its chunk nothing to keep.
   */
  chunkOf(node: SyntaxNode, pin: boolean): ChunkFacts | undefined {
    const e = this.entryAt(node.startIndex);
    if (!e || e.kept) return undefined;
    if (pin || node.endIndex > e.end) e.facts = undefined;
    return e.facts;
  }

  private entryAt(index: number): Entry | undefined {
    let lo = 0;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = this.entries[mid];
      if (index < e.start) hi = mid - 1;
      else if (index >= e.end) lo = mid + 1;
      else return e;
    }
    return undefined;
  }
}

/** Counts the items and the statements of long bodies the layout walks visit, and the edits after which the whole tree was walked (tests bound the walk of an edit with them). */
export const layoutStats = { items: 0, statements: 0, whole: 0 };

/** Where a file's chunks are, and the functions and containers around them, each list in source order. */
export interface Layout {
  chunks: Chunk[];
  scopes: Scope[];
  containers: Container[];
}

/**
 * Function bodies (of free functions, methods, and in modules), and the statements of long ones,
 * with the functions they are in. One cursor walks the items and a long body's statements: those
 * are many, and a node object for each would cost more than the rest of a keystroke.
 */
export function chunksOf(root: SyntaxNode, text: string, splitBytes = SPLIT_BYTES): Layout {
  const layout: Layout = { chunks: [], scopes: [], containers: [] };
  const cursor = root.walk();
  try {
    walkItems(cursor, text, splitBytes, layout);
  } finally {
    freeCursor(cursor);
  }
  return layout;
}

/**
 * The layout of `root` from the last reading's (`old`, of the text before the edit, changed in
 * place) and the part of the file that changed (`damage`, in the new text's offsets; outside it the
 * tree is the old one moved by `shift`): only the items around the damage are walked again, in the
 * innermost `impl` or `mod` that holds it all. The same layout a walk of the whole tree gives; the
 * whole tree is walked when the old layout does not fit the damage.
 */
export function relayout(root: SyntaxNode, text: string, old: Layout, damage: { start: number; end: number }, shift: number, splitBytes = SPLIT_BYTES): Layout {
  const cursor = root.walk();
  try {
    const spliced = splice(cursor, text, old, damage, shift, splitBytes);
    if (spliced) return spliced;
    layoutStats.whole++;
    return chunksOf(root, text, splitBytes);
  } finally {
    freeCursor(cursor);
  }
}

function splice(cursor: TreeCursor, text: string, old: Layout, damage: { start: number; end: number }, shift: number, splitBytes: number): Layout | undefined {
  const { start: lo, end: hi } = damage;
  /** Where the damage was in the old text. */
  const hiOld = hi - shift;
  if (hiOld < lo) return undefined;
  // Down through the containers that hold all the damage inside their braces, and were there before.
  const ancestors = new Set<Container | Scope>();
  for (;;) {
    if (!firstChildFor(cursor, lo)) break;
    const type = cursor.nodeType;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    const was = (type === 'impl_item' || type === 'trait_item' || type === 'mod_item') && start < lo ? old.containers.find((c) => c.start === start) : undefined;
    if (!was || was.end + shift !== end || !cursor.gotoLastChild()) {
      cursor.gotoParent();
      break;
    }
    if (cursor.nodeType !== 'declaration_list' || cursor.startIndex >= lo || hi >= cursor.endIndex) {
      cursor.gotoParent();
      cursor.gotoParent();
      break;
    }
    ancestors.add(was);
  }
  // Down into the long body of the function there (and the long blocks of its statements) that
  // holds all the damage inside its braces: only the statements around the damage are cut again.
  const body = bodyAround(cursor, old, lo, hi, shift, splitBytes);
  if (body) ancestors.add(body.scope);
  // The old records the damage touches are walked again, with the attributes and comments above
  // them (a function's lead is its own context) and what they reach.
  let from = lo;
  let to = hi;
  for (const list of [old.chunks, old.scopes, old.containers] as (Chunk | Scope | Container)[][]) {
    for (const r of list) {
      if (r.start > hiOld) break;
      if (r.end < lo || ancestors.has(r as Container)) continue;
      from = Math.min(from, r.start);
      to = Math.max(to, r.end > hiOld ? r.end + shift : hi);
    }
  }
  const fresh: Layout = { chunks: [], scopes: [], containers: [] };
  let walked: { start: number; end: number };
  if (body) {
    const statements = body.block.walk();
    try {
      walked = cutStatements(statements, body.scope.name, body.depth, splitBytes, fresh.chunks, { from, to });
    } finally {
      freeCursor(statements);
    }
  } else {
    if (firstChildFor(cursor, from)) {
      from = Math.min(from, cursor.startIndex);
      cursor.gotoParent();
    }
    from = leadStart(cursor, text, from);
    walked = walkItems(cursor, text, splitBytes, fresh, { from, to });
  }
  const first = Math.min(from, walked.start);
  const lastOld = Math.max(to, walked.end) - shift;
  // Every old record is before the walked items, inside them (replaced), after them (moved), or a
  // container around them all (longer); anything else is a layout this walk does not reproduce.
  const spliced = <T extends Chunk | Scope | Container>(records: T[], replacing: T[]): T[] | undefined => {
    const out: T[] = [];
    let placed = false;
    for (const r of records) {
      if (r.end <= first) out.push(r);
      else if (r.start >= lastOld) {
        if (!placed) out.push(...replacing);
        placed = true;
        r.start += shift;
        r.end += shift;
        out.push(r);
      } else if (r.start >= first && r.end <= lastOld) continue;
      else if (ancestors.has(r)) {
        r.end += shift;
        out.push(r);
      } else return undefined;
    }
    if (!placed) out.push(...replacing);
    return out;
  };
  const chunks = spliced(old.chunks, fresh.chunks);
  const scopes = chunks && spliced(old.scopes, fresh.scopes);
  const containers = scopes && spliced(old.containers, fresh.containers);
  return containers && { chunks: chunks!, scopes: scopes!, containers };
}

const LEAD = new Set(['attribute_item', 'line_comment', 'block_comment']);

/**
 * Where the run of attributes and comments just above the item at `at` starts, in the list at the
 * cursor: found from the text, one look-up per attribute, and whole `//` lines stepped over without
 * one (stepping back through siblings would list every item before it).
 */
function leadStart(cursor: TreeCursor, text: string, at: number): number {
  const list = cursor.currentNode;
  const root = list.tree.rootNode;
  for (;;) {
    let i = at - 1;
    while (i > list.startIndex && text.charCodeAt(i) <= 32) i--;
    if (i <= list.startIndex) return at;
    const lineStart = text.lastIndexOf('\n', i) + 1;
    if (lineStart > list.startIndex && COMMENT_LINE.test(text.slice(lineStart, i + 1))) {
      at = lineStart;
      continue;
    }
    let s: SyntaxNode | null = root.descendantForIndex(i, i + 1);
    while (s && s.endIndex <= at && !sameNode(s.parent, list)) s = s.parent;
    if (!s || s.endIndex > at || !LEAD.has(s.type)) return at;
    at = s.startIndex;
  }
}

/**
 * The items of the list at the cursor (left where it was): all of them, or those from the one
 * ending past `range.from` to the one holding `range.to` and any item the attributes and comments
 * before it lead to. Returns the walked items' extent.
 */
function walkItems(cursor: TreeCursor, text: string, splitBytes: number, out: Layout, range?: { from: number; to: number }): { start: number; end: number } {
  const walked = { start: Infinity, end: -Infinity };
  if (range ? !firstChildFor(cursor, range.from) : !cursor.gotoFirstChild()) return walked;
  // Where the attributes and comments just above an item start: a function's are its own context.
  let lead: number | undefined;
  do {
    layoutStats.items++;
    const type = cursor.nodeType;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    if (range && start > range.to && lead === undefined) break;
    walked.start = Math.min(walked.start, start);
    walked.end = end;
    if (LEAD.has(type)) {
      lead ??= start;
      continue;
    }
    const above = lead;
    lead = undefined;
    if (type !== 'function_item' && type !== 'impl_item' && type !== 'trait_item' && type !== 'mod_item') continue;
    // The body is an item's last child; a function's name is read from its header's text.
    if (!cursor.gotoLastChild()) continue;
    if (type !== 'function_item') {
      if (cursor.nodeType === 'declaration_list') {
        out.containers.push({ start, end });
        walkItems(cursor, text, splitBytes, out);
      }
    } else if (cursor.nodeType === 'block') {
      const name = FN_NAME.exec(text.slice(start, cursor.startIndex))?.[1];
      if (name !== undefined) {
        out.scopes.push({ name, start: above ?? start, end });
        cutBlock(cursor, name, 1, splitBytes, out.chunks);
      }
    }
    cursor.gotoParent();
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  return walked;
}

/**
 * The block at `at` (left where it was): one chunk if short, else its statements, a long
 * statement's own block cut the same way with a cursor of its own. Blocks nested deeper than
 * `MAX_SPLIT_DEPTH` are one chunk: the cut follows code as people nest it, and a recursion as
 * deep as the nesting would overflow the stack on `{{{…}}}`.
 */
function cutBlock(at: TreeCursor, enclosing: string, depth: number, splitBytes: number, chunks: Chunk[]): void {
  if (at.endIndex - at.startIndex <= splitBytes || depth > MAX_SPLIT_DEPTH) {
    chunks.push({ start: at.startIndex, end: at.endIndex, enclosing });
    return;
  }
  cutStatements(at, enclosing, depth, splitBytes, chunks);
}

/**
 * The statements of the long block at `at` (left where it was) as `cutBlock` cuts them: all, or
 * those from the one ending past `range.from` to the one holding `range.to`. Returns their extent.
 */
function cutStatements(at: TreeCursor, enclosing: string, depth: number, splitBytes: number, chunks: Chunk[], range?: { from: number; to: number }): { start: number; end: number } {
  const walked = { start: Infinity, end: -Infinity };
  if (range ? !firstChildFor(at, range.from) : !at.gotoFirstChild()) return walked;
  do {
    layoutStats.statements++;
    const start = at.startIndex;
    const end = at.endIndex;
    if (range && start > range.to) break;
    walked.start = Math.min(walked.start, start);
    walked.end = end;
    if (!at.nodeIsNamed || at.nodeType === 'line_comment' || at.nodeType === 'block_comment') continue;
    const inner = end - start > splitBytes ? innerBlock(at.currentNode) : undefined;
    if (!inner) {
      chunks.push({ start, end, enclosing });
      continue;
    }
    const own = inner.walk();
    try {
      cutBlock(own, enclosing, depth + 1, splitBytes, chunks);
    } finally {
      freeCursor(own);
    }
  } while (at.gotoNextSibling());
  at.gotoParent();
  return walked;
}

/**
 * The innermost block that holds all the damage (`lo`…`hi`, `shift` its change of length) inside
 * its braces and that `cutBlock` cut into statements both before and after the edit: the body of
 * the function of the list at `list` (left where it was) that the last reading knew the same
 * extent of, or a long statement's block inside it. Its statements are all the edit can re-cut.
 */
function bodyAround(list: TreeCursor, old: Layout, lo: number, hi: number, shift: number, splitBytes: number): { block: SyntaxNode; scope: Scope; depth: number } | undefined {
  if (!firstChildFor(list, lo)) return undefined;
  const item = list.nodeType === 'function_item' && list.startIndex < lo ? list.currentNode : undefined;
  list.gotoParent();
  const scope = item && old.scopes.find((s) => s.end + shift === item.endIndex && s.start <= item.startIndex && s.end > lo);
  const cut = (node: SyntaxNode) => {
    const length = node.endIndex - node.startIndex;
    return length > splitBytes && length - shift > splitBytes;
  };
  const holds = (node: SyntaxNode | null | undefined): node is SyntaxNode => !!node && node.type === 'block' && node.startIndex < lo && hi < node.endIndex && cut(node);
  let block = scope ? item!.lastChild : undefined;
  if (!holds(block)) return undefined;
  let depth = 1;
  while (depth < MAX_SPLIT_DEPTH) {
    const at: TreeCursor = block.walk();
    let statement: SyntaxNode | undefined;
    try {
      if (firstChildFor(at, lo) && at.startIndex < lo && at.nodeIsNamed) statement = at.currentNode;
    } finally {
      freeCursor(at);
    }
    const inner: SyntaxNode | undefined = statement && cut(statement) ? innerBlock(statement) : undefined;
    if (!holds(inner)) break;
    block = inner;
    depth++;
  }
  return { block, scope: scope!, depth };
}

/** The block a long statement's code is in (`loop { … }`, `unsafe { … }`, `for x in y { … }`), to cut further. */
function innerBlock(statement: SyntaxNode): SyntaxNode | undefined {
  const expr = statement.type === 'expression_statement' ? statement.namedChild(0) : statement;
  if (!expr) return undefined;
  if (expr.type === 'block') return expr;
  if (expr.type === 'unsafe_block') return expr.namedChildren.find((c) => c.type === 'block');
  if (expr.type === 'loop_expression' || expr.type === 'while_expression' || expr.type === 'for_expression') {
    const body = expr.childForFieldName('body');
    return body?.type === 'block' ? body : undefined;
  }
  return undefined;
}

/** Each chunk's scope (the function it is in; -1 for none), by position: both lists are in source order. */
function chunkScopes(chunks: Chunk[], scopes: Scope[]): number[] {
  let s = 0;
  return chunks.map((c) => {
    while (s < scopes.length && scopes[s].end < c.end) s++;
    return s < scopes.length && scopes[s].start <= c.start ? s : -1;
  });
}

/**
 * The text outside the chunks, each run of code in it with the position where it starts (a kept
 * chunk's facts may name a line of the context: a static's declaration, the function's start):
 * a function's header and the text between its chunks are its own (`local`, by scope); the rest
 * is the file's (`global`). `positions`: where each chunk starts.
 */
function contextOf(
  text: string,
  chunks: Chunk[],
  scopes: Scope[],
  containers: Container[],
): { global: Piece[]; local: string[]; positions: { row: number; column: number }[] } {
  const global: Piece[] = [];
  /** A function's own runs of context, joined as they are found (most functions have one: the header). */
  const local: (string | undefined)[] = new Array(scopes.length);
  const positions: { row: number; column: number }[] = [];
  const where = positionCounter(text);
  let s = 0;
  let k = 0;
  // A piece of the file's context ends where a container starts or ends: `impl Foo {` is a piece
  // of its own, in its container, whatever text comes before it.
  const cuts = [...new Set(containers.flatMap((c) => [c.start, c.end]))].sort((a, b) => a - b);
  let b = 0;
  const pieces = (from: number, to: number) => {
    while (from < to) {
      while (s < scopes.length && scopes[s].end <= from) s++;
      while (b < cuts.length && cuts[b] <= from) b++;
      const scope = scopes[s];
      const inScope = scope !== undefined && scope.start <= from;
      const end = Math.min(to, scope === undefined ? to : inScope ? scope.end : scope.start, inScope ? to : (cuts[b] ?? to));
      let first = from;
      while (first < end && WHITE.has(text.charCodeAt(first))) first++;
      if (first < end) {
        if (inScope) local[s] = local[s] === undefined ? text.slice(first, end) : `${local[s]}\u0000${text.slice(first, end)}`;
        else {
          while (k < containers.length && containers[k].end <= first) k++;
          global.push({ text: text.slice(first, end), container: k < containers.length && containers[k].start <= first ? k : -1 });
        }
      }
      from = end;
    }
  };
  let at = 0;
  for (const c of chunks) {
    pieces(at, c.start);
    positions.push(where(c.start));
    at = c.end;
  }
  pieces(at, text.length);
  for (let i = 0; i < local.length; i++) local[i] ??= '';
  return { global, local: local as string[], positions };
}

/** What `\s` matches (the context's runs of code start at the first character it does not). */
const WHITE = new Set([9, 10, 11, 12, 13, 32, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff]);

/** The outermost container of each chunk (-1: none); both lists are in source order. */
function inContainers(chunks: Chunk[], containers: Container[]): number[] {
  let k = 0;
  return chunks.map((c) => {
    while (k < containers.length && containers[k].end <= c.start) k++;
    return k < containers.length && containers[k].start <= c.start ? k : -1;
  });
}

/**
 * The names that link a chunk to others (see the module comment). A chunk reaches another chunk
 * by name only through a function (its body, its callers), an item declared in a body, or a
 * member; what the file's context declares (types, statics, `use`s) it reaches through the
 * context, whose changes re-read the chunks naming their words. Any other name is the function's
 * own — a binding, a parameter, a type, something the file does not define (`drop`, `Vec`) — and
 * links only chunks of functions of that name (`enclosing`): `let v` in two functions is two
 * variables.
 */
function linkNames(slice: string, contextNames: { has(name: string): boolean }, fileNames: { has(name: string): boolean }, enclosing: string): string[] {
  const out = new Set<string>();
  IDENT.lastIndex = 0;
  for (let m = IDENT.exec(slice); m; m = IDENT.exec(slice)) {
    const name = m[0].startsWith('r#') ? m[0].slice(2) : m[0];
    if (KEYWORDS.has(name) || name === '_' || /^\d/.test(name)) continue;
    const before = previousCode(slice, m.index);
    const after = nextCode(slice, m.index + m[0].length);
    if (after === ':' && slice[nextIndex(slice, m.index + m[0].length) + 1] === ':') continue;
    if (after === '!') continue;
    const member = before === '.' || (before === ':' && slice[previousIndex(slice, m.index) - 1] === ':');
    if (member) {
      if (contextNames.has(name)) out.add(name);
    } else if (!UNBINDABLE.has(name)) out.add(fileNames.has(name) ? name : `${enclosing}\u0000${name}`);
  }
  return [...out];
}

function previousIndex(s: string, i: number): number {
  let j = i - 1;
  while (j >= 0 && /\s/.test(s[j])) j--;
  return j;
}
function nextIndex(s: string, i: number): number {
  let j = i;
  while (j < s.length && /\s/.test(s[j])) j++;
  return j;
}
const previousCode = (s: string, i: number) => s[previousIndex(s, i)];
const nextCode = (s: string, i: number) => s[nextIndex(s, i)];

