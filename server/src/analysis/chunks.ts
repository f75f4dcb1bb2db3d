/**
 * Phase one, again after an edit: which parts of a file must be read anew, and which facts of the
 * last reading still hold.
 *
 * A file is cut into chunks — function bodies, and the statements of a long body — and the rest,
 * its context (item headers, types, `use`s, statics, macros, the braces around chunks). The facts
 * a chunk's sites give depend on the chunk, the context and other chunks only through a name they
 * share: a binding used in a later statement, a function whose callers decide it, a field another
 * method frees. So a chunk's facts are kept while its text, its position and the context are the
 * same and no chunk it shares such a name with changed. A keystroke in one statement of a
 * 100,000-statement function reads that statement again, not the function.
 *
 * The names are read from the text, not resolved: a chunk is linked to another by any identifier
 * both write where a binding, a call or an argument can be (`x`, `helper(x)`), or a member or path
 * end the context declares (`self.ptr`, `Self::make`), and to the chunks that name the function
 * it is inside. That over-links (two chunks calling the same `drop(…)` are read together), never
 * under-links what a rule can reach by name. What a rule reaches without a name is context
 * (re-read every time) or makes the chunk uncacheable: a chunk declaring what the file's tables
 * hold (`use`, `static`, types, macros) is always read again.
 */
import { SyntaxNode } from '../parsing/parser';
import type { OwnerFacts } from './owners';
import type { Site } from './site';

export interface Chunk {
  node: SyntaxNode;
  start: number;
  end: number;
  /** Where the chunk starts: facts hold line numbers (ranges, and in reasons), so a moved chunk is read again. */
  key: string;
  /** The function the chunk is the body, or a statement of the body, of. */
  enclosing?: string;
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

interface Entry {
  facts?: ChunkFacts;
  names: string[];
  enclosing?: string;
}

/** How much of the last reading one extraction reused (tests bound the work of an edit with it). */
export interface ReuseStats {
  chunks: number;
  reused: number;
}

/** Bodies longer than this are cut into their statements. */
const SPLIT_BYTES = 2048;

const KEYWORDS = new Set(
  'as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while union'.split(' '),
);
/** Names a binding cannot take (variants of the prelude, primitive types): linking every chunk that writes `Some(…)` would link them all. */
const UNBINDABLE = new Set('Some None Ok Err bool char str u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64'.split(' '));
const IDENT = /(?:r#)?[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * One document's last reading. Owned by whoever re-reads the document after each edit (the
 * language server); the CLI reads every file once and has none.
 */
export class FactsCache {
  private context = '';
  private entries = new Map<string, Entry>();
  stats: ReuseStats = { chunks: 0, reused: 0 };

  constructor(private readonly splitBytes = SPLIT_BYTES) {}

  /**
   * Cuts the file into chunks and decides which of them keep their facts. `contextKey` holds what
   * beyond the text the facts depend on (the toolchain). Returns the chunks in source order.
   */
  plan(root: SyntaxNode, text: string, contextKey: string): Plan {
    const chunks = chunksOf(root, this.splitBytes);
    const context = contextOf(text, chunks) + '\u0000' + contextKey;
    if (context !== this.context) {
      this.context = context;
      this.entries = new Map();
    }
    const contextNames = new Set(context.match(IDENT) ?? []);
    const names = chunks.map((c) => this.entries.get(c.key + text.slice(c.start, c.end))?.names ?? linkNames(text, c.start, c.end, contextNames));
    const sets = new UnionFind(chunks.length);
    const byName = new Map<string, number>();
    const nameNode = (name: string) => {
      let id = byName.get(name);
      if (id === undefined) byName.set(name, (id = sets.add()));
      return id;
    };
    chunks.forEach((_, i) => names[i].forEach((n) => sets.union(i, nameNode(n))));
    // Names the last reading's vanished chunks wrote, or were inside: what read them must be read again.
    const present = new Set(chunks.map((c) => c.key + text.slice(c.start, c.end)));
    const touched = new Set<string>();
    const inside = new Set<string>();
    for (const [key, entry] of this.entries) {
      if (present.has(key)) continue;
      entry.names.forEach((n) => touched.add(n));
      if (entry.enclosing) inside.add(entry.enclosing);
    }
    // A chunk is linked to the chunks that name the function it is in (its callers), not to the
    // function's other chunks: those share a name only if they write one.
    chunks.forEach((c, i) => {
      const mentioned = c.enclosing === undefined ? undefined : byName.get(c.enclosing);
      if (mentioned !== undefined) sets.union(i, mentioned);
    });
    const dirty = new Set<number>();
    chunks.forEach((c, i) => {
      if (!this.entries.get(c.key + text.slice(c.start, c.end))?.facts) dirty.add(sets.find(i));
    });
    for (const n of [...touched, ...inside]) {
      const id = byName.get(n);
      if (id !== undefined) dirty.add(sets.find(id));
    }
    // A call that vanished changes what the function it called is read as.
    chunks.forEach((c, i) => {
      if (c.enclosing !== undefined && touched.has(c.enclosing)) dirty.add(sets.find(i));
    });
    const next = new Map<string, Entry>();
    const planned = chunks.map((c, i): PlannedChunk => {
      const key = c.key + text.slice(c.start, c.end);
      const kept = dirty.has(sets.find(i)) ? undefined : this.entries.get(key)!.facts;
      const entry: Entry = { names: names[i], enclosing: c.enclosing, facts: kept };
      next.set(key, entry);
      return { ...c, entry, kept };
    });
    this.entries = next;
    this.stats = { chunks: chunks.length, reused: planned.filter((c) => c.kept).length };
    return new Plan(planned, text.length);
  }
}

interface PlannedChunk extends Chunk {
  entry: Entry;
  /** The last reading's facts, still true; `undefined`: read again. */
  kept?: ChunkFacts;
}

/** One extraction's use of the cache: where to look for captures, and where each capture's facts belong. */
export class Plan {
  /** The text outside the chunks that keep their facts: the only text scanned for captures. */
  readonly spans: [number, number][] = [];
  private next = 0;

  constructor(private readonly chunks: PlannedChunk[], length: number) {
    let at = 0;
    for (const c of chunks) {
      if (!c.kept) {
        // Read again from nothing: a chunk without captures is kept as such.
        c.entry.facts = { sites: [], reclaims: [], copies: [], sinks: [], structs: [], definedMethods: [] };
        continue;
      }
      if (c.start > at) this.spans.push([at, c.start]);
      at = c.end;
    }
    if (at < length) this.spans.push([at, length]);
  }

  /**
   * The facts of the kept chunks before `start`, in order: captures arrive sorted by start, and a
   * kept chunk's facts come before a capture after it (`Infinity` gives the rest).
   */
  *keptBefore(start: number): Generator<ChunkFacts> {
    while (this.next < this.chunks.length && this.chunks[this.next].start < start) {
      const c = this.chunks[this.next++];
      if (c.kept) yield c.kept;
    }
  }

  /**
   * Where the facts of a capture read again go: the chunk holding its node wholly, or `undefined`
   * for the context. A node that leaves its chunk, or a capture that fills one of the file's
   * tables (`pin`: statics, `use`s, types, macros), leaves its chunk nothing to keep.
   */
  chunkOf(node: SyntaxNode, pin: boolean): ChunkFacts | undefined {
    const c = this.chunkAt(node.startIndex);
    if (!c || c.kept) return undefined;
    if (pin || node.endIndex > c.end) c.entry.facts = undefined;
    return c.entry.facts;
  }

  private chunkAt(index: number): PlannedChunk | undefined {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = this.chunks[mid];
      if (index < c.start) hi = mid - 1;
      else if (index >= c.end) lo = mid + 1;
      else return c;
    }
    return undefined;
  }
}

/** Function bodies (of free functions, methods, and in modules), and the statements of long ones. */
export function chunksOf(root: SyntaxNode, splitBytes = SPLIT_BYTES): Chunk[] {
  const out: Chunk[] = [];
  const body = (block: SyntaxNode, enclosing: string) => {
    if (block.endIndex - block.startIndex <= splitBytes) {
      add(block, enclosing);
      return;
    }
    for (const statement of block.namedChildren) {
      if (statement.type === 'line_comment' || statement.type === 'block_comment') continue;
      const inner = statement.endIndex - statement.startIndex > splitBytes ? innerBlock(statement) : undefined;
      if (inner) body(inner, enclosing);
      else add(statement, enclosing);
    }
  };
  const add = (node: SyntaxNode, enclosing: string) =>
    out.push({ node, start: node.startIndex, end: node.endIndex, key: `${node.startPosition.row}:${node.startPosition.column}:`, enclosing });
  const items = (list: SyntaxNode) => {
    for (const item of list.namedChildren) {
      if (item.type === 'function_item') {
        const block = item.childForFieldName('body');
        const name = item.childForFieldName('name')?.text;
        if (block && name) body(block, name);
      } else if (item.type === 'impl_item' || item.type === 'trait_item' || item.type === 'mod_item') {
        const list = item.childForFieldName('body');
        if (list?.type === 'declaration_list') items(list);
      }
    }
  };
  items(root);
  return out;
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

/**
 * The text outside the chunks, each run of it with the position where its code starts: a kept
 * chunk's facts may name a line of the context (a static's declaration, the function's start).
 */
function contextOf(text: string, chunks: Chunk[]): string {
  const parts: string[] = [];
  let at = 0;
  let row = 0;
  let column = 0;
  const piece = (end: number) => {
    const code = /\S/g;
    code.lastIndex = at;
    const first = code.exec(text);
    if (!first || first.index >= end) return;
    const lead = text.slice(at, first.index);
    const newline = lead.lastIndexOf('\n');
    const lines = newline < 0 ? 0 : lead.split('\n').length - 1;
    parts.push(`${row + lines}:${newline < 0 ? column + lead.length : lead.length - newline - 1}:${text.slice(first.index, end)}`);
  };
  for (const c of chunks) {
    piece(c.start);
    at = c.end;
    ({ row, column } = c.node.endPosition);
  }
  piece(text.length);
  return parts.join('\u0000');
}

/** The names that link a chunk to others (see the module comment). */
function linkNames(text: string, start: number, end: number, contextNames: Set<string>): string[] {
  const out = new Set<string>();
  const slice = text.slice(start, end);
  IDENT.lastIndex = 0;
  for (let m = IDENT.exec(slice); m; m = IDENT.exec(slice)) {
    const name = m[0].startsWith('r#') ? m[0].slice(2) : m[0];
    if (KEYWORDS.has(name) || /^\d/.test(name)) continue;
    const before = previousCode(slice, m.index);
    const after = nextCode(slice, m.index + m[0].length);
    if (after === ':' && slice[nextIndex(slice, m.index + m[0].length) + 1] === ':') continue;
    if (after === '!') continue;
    const member = before === '.' || (before === ':' && slice[previousIndex(slice, m.index) - 1] === ':');
    if (member ? contextNames.has(name) : !UNBINDABLE.has(name)) out.add(name);
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

class UnionFind {
  private parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  add(): number {
    this.parent.push(this.parent.length);
    return this.parent.length - 1;
  }
  find(i: number): number {
    while (this.parent[i] !== i) i = this.parent[i] = this.parent[this.parent[i]];
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[ra] = rb;
  }
}
