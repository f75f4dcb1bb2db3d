/**
 * Phase one: everything the engine learns from a single file, as plain data.
 */
import { parseRust, releaseTree, SyntaxNode, Tree } from '../parsing/parser';
import type { Damage } from '../parsing/trees';
import { Capture, siteCaptures } from './queries';
import { ChunkFacts, FactsCache } from './chunks';
import { macroView, within } from './macros';
import { enclosingFunction } from './context';
import { OwnerFacts, collectCopyImpl, dropImplsInText, collectParamSinks, collectPointerStruct, collectReclaim, emptyOwnerFacts, fieldMovesInText, isStandaloneProgram, mayMoveFields } from './owners';
import { boxLeakAsValue, boxLeakFromMethod, boxLeakFromPath } from './rules/box-leak';
import { intoRawFromMethod, intoRawFromPath } from './rules/into-raw';
import { lazyMacro, lazyStatic } from './rules/lazy-global';
import { manuallyDrop } from './rules/manually-drop';
import { memForget } from './rules/mem-forget';
import { onceStaticMut } from './rules/once-static-mut';
import { rawAlloc } from './rules/raw-alloc';
import { rcCycles } from './rules/rc-cycle';
import { CycleFacts, emptyCycleFacts } from './cycles/model';
import { Work } from './cycles/types';
import { sharedToMutCast } from './rules/shared-to-mut-cast';
import { staticMutItem, staticMutNames, staticMutReference } from './rules/static-mut';
import { Site } from './site';
import { SourceFile } from './source';
import { Suppressions, parseSuppressions } from './suppress';
import { Toolchain, withFileAttributes } from './toolchain';

export interface FileFacts {
  path: string;
  sites: Site[];
  /** Reclaims and what they take back, pointer-holding structs, `Drop` impls, pointer parameters. */
  owners: OwnerFacts;
  /** Methods named like a leaking std API that this file defines itself (`fn leak(self)`). */
  definedMethods: string[];
  suppressions: Suppressions;
  /** Whether tree-sitter had to recover from syntax errors (findings may be incomplete). */
  hasSyntaxErrors: boolean;
  /** The strong-reference edges of the file's types and the fields it clears (`cycles/`). */
  cycles: CycleFacts;
  /** The crate's edition and Rust version as far as known: the findings' wording and the fixes offered follow them. */
  toolchain: Toolchain;
}

/**
 * Words without which a file cannot contain any site or reclaim. Files without them are not
 * parsed at all — most of a large workspace — which is what keeps whole-workspace scans fast.
 */
const TRIGGER = new RegExp(
  [
    'leak', 'into_raw', 'forget', 'ManuallyDrop', 'from_raw', 'decrement_strong_count',
    String.raw`\b(?:alloc|alloc_zeroed|realloc|dealloc)\s*\(`,
    String.raw`static\s+mut`, 'OnceCell', 'OnceLock', 'Lazy', 'call_once', 'lazy_static', 'thread_local',
    String.raw`\b(?:Rc|Arc)\s*<`,
    // shared-to-mut-cast needs both casts of `r as *const T as *mut T`.
    String.raw`as\s+\*const\b[^;{}]*?\bas\s+\*mut`,
  ].join('|'),
);

/**
 * rc-cycle's word: a file that names `Rc` or `Arc` (a constructor, a clone, an import beside an
 * alias) is read for its types and the cycles its functions close, and for nothing else the
 * other words would bring (the owner model, macros).
 */
const CYCLE_TRIGGER = /\b(?:Rc|Arc)\b/;

export function mayContainSites(text: string): boolean {
  return wordsOf(text).any;
}

/**
 * The last text looked at for the words, and what it holds: the CLI and the language server ask
 * `mayContainSites` before `extractFacts` asks again, and a file without the words (most files)
 * is scanned to its end each time (3% of a corpus run for the second scan).
 */
let tested = { text: '', triggered: false, any: false };

/** Counts the texts scanned for the words: tests bound it. */
export const wordStats = { scans: 0 };

function wordsOf(text: string): { triggered: boolean; any: boolean } {
  if (tested.text !== text) {
    wordStats.scans++;
    const triggered = TRIGGER.test(text);
    tested = { text, triggered, any: triggered || CYCLE_TRIGGER.test(text) };
  }
  return tested;
}

/**
 * Words without which a file holds no fact another file's findings depend on: reclaims
 * (`Box::from_raw`, `dealloc`, `Rc::decrement_strong_count`, `ManuallyDrop::drop`/`into_inner`/
 * `take`, also when renamed by `use`, since the `use` line names them), methods that shadow a
 * leaking std name (`fn leak(self)`) and the types of the rc-cycle graph (`Rc`/`Arc`). Must stay a
 * superset of what `extractFacts` records as `reclaims`, `definedMethods`, `cycles` and field `moves`; the shard-union test in `server/test/perf` checks that it does.
 */
const CROSS_FILE_TRIGGER = /from_raw|dealloc|decrement_strong_count|ManuallyDrop|\bfn\s+(?:leak|into_raw|into_raw_parts|forget)\b|\bDrop\s+for\b|\b(?:Rc|Arc)\b/;
/** Pointer-holding structs and pointer parameters, recorded in every file that is analysed at all. */
const POINTER_WORDS = /\*\s*(?:mut|const)\b|NonNull|AtomicPtr/;

export function mayContainCrossFileFacts(text: string): boolean {
  return CROSS_FILE_TRIGGER.test(text) || (mayContainSites(text) && (POINTER_WORDS.test(text) || mayMoveFields(text)));
}

/** Leaking and reclaiming std functions a `use … as` can rename (`use std::mem::forget as f;`). */
const RENAMEABLE = new Set(['forget', 'alloc', 'alloc_zeroed', 'realloc', 'dealloc']);

const SITE_WORDS = new RegExp(`${TRIGGER.source}|${CYCLE_TRIGGER.source}|\\bstatic\\b`, 'g');
/** Names whose every mention may be a site: a `static mut`'s, and a leaking function's renamed by `use … as`. */
const SITE_NAMES = /\bstatic\s+mut\s+([A-Za-z_]\w*)|\b(?:forget|alloc|alloc_zeroed|realloc|dealloc)\s+as\s+([A-Za-z_]\w*)/g;
const IDENTIFIER = /\b[A-Za-z_]\w*/g;

/**
 * At most how many sites the text can hold, as far as its words tell (for the CLI's memory
 * budget, `parsing/tree-budget.ts`): a site's word, every `static` (one `lazy_static!` or
 * `thread_local!` declares many), and every mention of a `static mut` or of a renamed leaking
 * function, whose references and calls do not spell the word. Not counted: rc-cycle's stores,
 * which name no word either.
 */
export function siteWordCount(text: string): number {
  let count = 0;
  for (SITE_WORDS.lastIndex = 0; SITE_WORDS.exec(text); ) count++;
  const names = new Set<string>();
  for (const m of text.matchAll(SITE_NAMES)) names.add(m[1] ?? m[2]);
  if (names.size === 0) return count;
  for (let m: RegExpExecArray | null; (m = IDENTIFIER.exec(text)); ) if (names.has(m[0])) count++;
  return count;
}

/**
 * A text's site words as `siteWordCount` counts them, and where each starts: kept for a text that
 * is counted again after each edit without a reading to go by (an open document the language
 * server refuses, `lsp/input-limits.ts`), so that the next count reads only around the edit.
 */
export interface SiteWords {
  length: number;
  count: number;
  /** Absent when the text names a `static mut` or a renamed leaking function: a mention anywhere may count, and only a whole count knows. */
  starts?: Int32Array;
}

/** How far around an edit `siteWordsAfter` reads: more than a site word spans, but for the rare one with a type between its parts. */
const WORD_CONTEXT = 256;

/** The site words of `text` (`SiteWords`): all read, or, given those of the text before an edit within `damage`, read around it. */
export function siteWordsAfter(text: string, last?: SiteWords, damage?: { start: number; end: number }): SiteWords {
  const from = damage ? Math.max(0, damage.start - WORD_CONTEXT) : 0;
  const to = damage ? Math.min(text.length, damage.end + WORD_CONTEXT) : text.length;
  const starts = last?.starts;
  if (!starts || !damage || ((SITE_NAMES.lastIndex = 0), SITE_NAMES.test(text.slice(from, to)))) return allSiteWords(text);
  const delta = text.length - last.length;
  const found: number[] = [];
  let end = to;
  SITE_WORDS.lastIndex = from;
  for (let m = SITE_WORDS.exec(text); m && m.index < to; m = SITE_WORDS.exec(text)) {
    found.push(m.index);
    end = Math.max(end, m.index + m[0].length);
  }
  // Before `from`, and from `end` on, the text is the last one's (moved by `delta` after the edit).
  const before = firstFrom(starts, from);
  const after = Math.max(before, firstFrom(starts, end - delta));
  const out = new Int32Array(before + found.length + starts.length - after);
  out.set(starts.subarray(0, before));
  out.set(found, before);
  for (let i = after, j = before + found.length; i < starts.length; i++, j++) out[j] = starts[i] + delta;
  return { length: text.length, count: out.length, starts: out };
}

/** The index of the first of the sorted `starts` at or after `offset`. */
function firstFrom(starts: Int32Array, offset: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts the texts whose site words were all read (`siteWordsAfter`): tests bound it. */
export const siteWordStats = { wholeCounts: 0 };

function allSiteWords(text: string): SiteWords {
  siteWordStats.wholeCounts++;
  SITE_NAMES.lastIndex = 0;
  if (SITE_NAMES.test(text)) return { length: text.length, count: siteWordCount(text) };
  const found: number[] = [];
  SITE_WORDS.lastIndex = 0;
  for (let m = SITE_WORDS.exec(text); m; m = SITE_WORDS.exec(text)) found.push(m.index);
  return { length: text.length, count: found.length, starts: Int32Array.from(found) };
}

/**
 * Calls through a renamed import, which the query cannot name: looked for only in files that
 * rename one of these functions, with one walk of their calls.
 */
function renamedCalls(file: SourceFile, facts: FileFacts): void {
  const renamed = new Map<string, string>();
  for (const [local, path] of file.uses.names) {
    const real = path[path.length - 1];
    if (local !== real && RENAMEABLE.has(real)) renamed.set(local, real);
  }
  if (renamed.size === 0) return;
  for (const call of file.root.descendantsOfType('call_expression')) {
    const f = call.childForFieldName('function');
    const real = f?.type === 'identifier' ? renamed.get(f.text) : undefined;
    const from = facts.sites.length;
    if (real === 'forget') memForget(file, call, facts.sites);
    else if (real === 'dealloc') collectReclaim(file, call, facts.owners.reclaims);
    else if (real) rawAlloc(file, call, facts.sites);
    markRecovered(file, call, facts.sites, from);
  }
}

/** Where a statement or an item is: the code around a site that its `recovered` speaks of. */
const STATEMENT_LISTS = new Set(['block', 'source_file', 'declaration_list']);

/**
 * Marks the sites from `from` on (the capture at `node` found them) as read from error recovery
 * when the statement or item around `node` holds a syntax error. It depends on that statement's
 * code alone, which lies inside the site's chunk or is read every time (`chunks.ts`), so a kept
 * site's mark is still right.
 */
function markRecovered(file: SourceFile, node: SyntaxNode, sites: Site[], from: number): void {
  if (sites.length === from || !file.root.hasError) return;
  let around = node;
  while (around.parent && !STATEMENT_LISTS.has(around.parent.type)) around = around.parent;
  if (around.hasError) for (let i = from; i < sites.length; i++) sites[i].recovered = true;
}

interface VisitState {
  facts: FileFacts;
  triggered: boolean;
  structs: SyntaxNode[];
  pointerFns: Set<number>;
}

/** Hands one capture of the sites query to its rule (for the real tree and for macro code alike). */
function visit(file: SourceFile, { name, node }: Capture, state: VisitState): void {
  const { facts, triggered, structs, pointerFns } = state;
  const sites = facts.sites;
  switch (name) {
    case 'call.path':
    case 'call.ident': {
      const callee = node.childForFieldName('function')!;
      const last = callee.type === 'identifier' ? callee.text : callee.childForFieldName('name')?.text;
      if (last === 'leak') boxLeakFromPath(file, node, sites);
      else if (last === 'forget') memForget(file, node, sites);
      else if (last === 'new') manuallyDrop(file, node, sites);
      else if (last === 'alloc' || last === 'alloc_zeroed' || last === 'realloc') rawAlloc(file, node, sites);
      else intoRawFromPath(file, node, sites);
      break;
    }
    case 'call.method': {
      const method = node.childForFieldName('function')!.childForFieldName('field')!.text;
      if (method === 'leak') boxLeakFromMethod(file, node, sites);
      else if (method === 'call_once' || method === 'call_once_force') onceStaticMut(file, node, sites);
      else intoRawFromMethod(file, node, sites);
      break;
    }
    case 'fnref':
      if (node.childForFieldName('name')?.text === 'leak') boxLeakAsValue(file, node, sites);
      break;
    case 'reclaim':
      collectReclaim(file, node, facts.owners.reclaims);
      break;
    case 'copy.impl':
      if (triggered) collectCopyImpl(node, facts.owners.copies);
      break;
    case 'fn.pointer':
      // One match per pointer parameter; the function's sinks are collected once.
      // Like pointer structs, recorded only where the text could hold a site, so an editor's open
      // file and the same file scanned from disk have the same facts.
      if (triggered && !pointerFns.has(node.startIndex)) collectParamSinks(file, node, facts.owners.sinks);
      pointerFns.add(node.startIndex);
      break;
    case 'static':
      staticMutItem(file, node, sites);
      lazyStatic(file, node, sites);
      break;
    case 'static.name':
      staticMutReference(file, node, sites);
      break;
    case 'macro':
      lazyMacro(file, node, sites);
      break;
    case 'cycle.type':
      structs.push(node);
      break;
    case 'struct':
      structs.push(node);
      if (triggered) collectPointerStruct(file, node, facts.owners.structs);
      break;
    case 'cast':
      sharedToMutCast(file, node, sites);
      break;
    case 'method.def':
      if (node.parent?.type === 'declaration_list') facts.definedMethods.push(node.childForFieldName('name')!.text);
      break;
  }
}

/** Captures that fill the file's tables (`SourceFile`, the type graph, macros): their chunk is read every time. */
const TABLES = new Set(['static', 'decl', 'macro', 'macro.def', 'struct', 'cycle.type']);

/** How far each of the lists a capture adds to has come (`keep` takes what was added since). */
function lengths(facts: FileFacts): number[] {
  const o = facts.owners;
  return [facts.sites.length, o.reclaims.length, o.copies.length, o.sinks.length, o.structs.length, facts.definedMethods.length];
}
function keep(facts: FileFacts, from: number[], into: ChunkFacts): void {
  const o = facts.owners;
  into.sites.push(...facts.sites.slice(from[0]));
  into.reclaims.push(...o.reclaims.slice(from[1]));
  into.copies.push(...o.copies.slice(from[2]));
  into.sinks.push(...o.sinks.slice(from[3]));
  into.structs.push(...o.structs.slice(from[4]));
  into.definedMethods.push(...facts.definedMethods.slice(from[5]));
}
function reuse(facts: FileFacts, kept: ChunkFacts): void {
  const o = facts.owners;
  facts.sites.push(...kept.sites);
  o.reclaims.push(...kept.reclaims);
  o.copies.push(...kept.copies);
  o.sinks.push(...kept.sinks);
  o.structs.push(...kept.structs);
  facts.definedMethods.push(...kept.definedMethods);
}

/**
 * The captures, with the identifiers written as the file's `static mut` items among them in order
 * of their start (`keptBefore` takes captures by start): the `static` captures in them are the
 * file's, as their chunks are always read again.
 */
function withStaticMutNames(captures: Capture[], file: SourceFile, spans: [number, number][] | undefined): Capture[] {
  const names = staticMutNames(file, spans);
  if (names.length === 0) return captures;
  const out: Capture[] = [];
  let i = 0;
  for (const node of names) {
    while (i < captures.length && captures[i].node.startIndex <= node.startIndex) out.push(captures[i++]);
    out.push({ name: 'static.name', node });
  }
  while (i < captures.length) out.push(captures[i++]);
  return out;
}

/**
 * `work` counts the syntax nodes the rc-cycle analysis visits (tests bound it by the input's size).
 * `cache`: the document's last reading, whose facts are kept where they still hold (`chunks.ts`);
 * `damage`: where the document changed since then (`TreeCache.takeDamage`).
 */
export function extractFacts(path: string, text: string, tree?: Tree, toolchain: Toolchain = {}, work: Work = { nodes: 0 }, cache?: FactsCache, damage?: Damage): FileFacts {
  const facts: FileFacts = {
    path, sites: [], owners: emptyOwnerFacts(), definedMethods: [], suppressions: parseSuppressions(text), hasSyntaxErrors: false,
    toolchain: withFileAttributes(toolchain, text), cycles: emptyCycleFacts(),
  };
  facts.owners.drops = dropImplsInText(text);
  const { triggered, any } = wordsOf(text);
  // Without the words, no site and no fact but the text's: an editor's open file (parsed anyway,
  // for the next edit) gets the facts it would get read from disk, without the walk.
  if (!any) {
    cache?.forgetLayout();
    return facts;
  }
  const parsed = tree ?? parseRust(text);
  const plan = cache?.plan(parsed.rootNode, text, JSON.stringify(facts.toolchain), damage);
  const captures = siteCaptures(parsed.rootNode, plan?.spans);
  const declarations = captures.filter((c) => c.name === 'decl' || c.name === 'static').map((c) => c.node);
  const file = new SourceFile(path, text, parsed, declarations, undefined, facts.toolchain);
  facts.hasSyntaxErrors = file.root.hasError;
  facts.owners.standalone = triggered && isStandaloneProgram(text);
  if (triggered) facts.owners.moves = fieldMovesInText(text);
  const defs = captures.filter((c) => c.name === 'macro.def').map((c) => c.node);
  // Before the real tree's sites, so their flow can follow a pointer into a macro's arguments.
  if (triggered) file.macros = macroView(file, defs);
  const state: VisitState = { facts, triggered, structs: [], pointerFns: new Set() };
  const reused = (kept: ChunkFacts) => reuse(facts, kept);
  for (const capture of withStaticMutNames(captures, file, plan?.spans)) {
    if (!plan) {
      const from = facts.sites.length;
      visit(file, capture, state);
      markRecovered(file, capture.node, facts.sites, from);
      continue;
    }
    plan.keptBefore(capture.node.startIndex, reused);
    const into = plan.chunkOf(capture.node, TABLES.has(capture.name));
    const from = lengths(facts);
    visit(file, capture, state);
    markRecovered(file, capture.node, facts.sites, from[0]);
    if (into) keep(facts, from, into);
  }
  plan?.keptBefore(Infinity, reused);
  const view = file.macros;
  if (view) {
    for (const capture of siteCaptures(view.tree.rootNode)) {
      // Its structs are not the real tree's nodes: the type rules read declarations themselves.
      if (within(capture.node, view.transcribers)) visit(view.file, capture, { ...state, structs: [] });
      else if (capture.name === 'reclaim' && within(capture.node, view.arguments)) {
        const real = file.root.descendantForIndex(capture.node.startIndex, capture.node.endIndex);
        collectReclaim(view.file, capture.node, facts.owners.reclaims, enclosingFunction(real));
      }
    }
  }
  renamedCalls(file, facts);
  facts.cycles = rcCycles(file, state.structs, facts.sites, work);
  plan?.settle();
  // Facts are plain data: the trees parsed here are done with (the caller's is the caller's).
  if (!tree) releaseTree(parsed);
  releaseTree(view?.tree);
  return facts;
}
