/**
 * What the language server does not analyse, and why, in words for the user: a document over the
 * size limit, a text whose syntax tree and sites would be too many to analyse within the memory
 * bound (the server's analysis allowance, `analysisAllowance` with `SERVER_COSTS` in
 * parsing/tree-budget.ts, which counts sites as the CLI's does), a file that cannot be read as
 * Rust source, an analysis that failed. Such a file gets its reason as its one diagnostic instead
 * of findings (`DiagnosticsPublisher.refuse`), so that no finding vanishes in silence.
 *
 * A text without a leak word holds no site: it is analysed from its text alone, without a tree,
 * unless it may call a function whose call sites are asked about (`admission`).
 *
 * The allowance costs little for the usual file: no text of fewer than ~4,900 characters can
 * exceed it, and no check runs. A larger text's sites are counted from its words, and where even
 * the densest code could not be built whole within the bound it is counted in pieces before it is
 * parsed whole (an open document's first reading or a whole-text replacement, a file read from
 * disk); its tree is checked once parsed (`descendantCount` is read off the root), against the
 * sites its words promise (on a keystroke: the last reading's, and those of the text the edit
 * touched), and its reading once read, against the sites found.
 */
import type { Position, Range } from '../../../shared/src/findings';
import { DEFAULT_MAX_FILE_SIZE, formatSize } from '../config/read-source';
import { SiteWords, mayContainSites, siteWordCount, siteWordsAfter } from '../analysis/facts';
import { Tree, parseRust } from '../parsing/parser';
import { Damage, TreeCache } from '../parsing/trees';
import { SERVER_COSTS, analysisAllowance, cannotExceed, tooDenseToBuild, tooManySites, treeTooDense } from '../parsing/tree-budget';
import { freeDroppedTrees } from '../parsing/tree-memory';

/** How the size limit's message says to analyse a larger file: there is no editor setting for it. */
export const LARGER_FILES_HINT = '`leak-lens check --max-file-size` analyses larger files from the command line';

/**
 * How the open document `uri` is analysed: not at all (`refused`: why), or from its `tree`, or
 * without one. A text over the size limit is refused whatever it holds. A text without a leak word
 * (`mayContainSites`) has no site, and its facts come from its text alone, as the CLI and the scan
 * read such a file: no tree is built for it (nor for hovers and code actions), unless `needsTree`
 * (another file's function it may call: its calls are found in its tree), so that a large
 * generated file is neither parsed nor refused for the tree it does not need. Otherwise, when its
 * next parse would be a whole one, its tree is counted in pieces first. A document kept without a
 * tree (`TreeCache.refuse`) parses none until a later text is admitted.
 */
export async function admission(
  trees: TreeCache,
  uri: string,
  text: string,
  needsTree: (text: string) => boolean,
  costs = SERVER_COSTS,
  words = new WordCounts(),
): Promise<{ refused: string } | { tree: boolean }> {
  let refused: string | undefined;
  let tree = false;
  if (text.length > DEFAULT_MAX_FILE_SIZE) {
    refused = `it has ${text.length.toLocaleString('en')} characters, more than the ${formatSize(DEFAULT_MAX_FILE_SIZE)} the language server analyses; ${LARGER_FILES_HINT}`;
  } else if (mayContainSites(text) || needsTree(text)) {
    if (trees.parsesWhole(uri)) refused = await beforeWholeParse(text, cannotExceed(text.length, costs) ? undefined : words.count(trees, uri, text), costs);
    tree = !refused;
  }
  if (tree) {
    trees.admit(uri);
    // From now on its readings are what its next estimate goes by (`sitesToExpect`).
    words.forget(uri);
  } else trees.refuse(uri);
  return refused ? { refused } : { tree };
}

/**
 * The site words of the open documents weighed before a whole parse, kept between edits: a
 * refused document has no reading to go by, and counting every word of it again on each
 * keystroke cost 27 ms in one of 2.8 MB (100,000 leak statements). The next count reads only
 * around what changed since (`TreeCache.takeTextDamage`, `siteWordsAfter`).
 */
export class WordCounts {
  private readonly last = new Map<string, SiteWords>();

  count(trees: TreeCache, uri: string, text: string): number {
    const words = siteWordsAfter(text, this.last.get(uri), trees.takeTextDamage(uri));
    this.last.set(uri, words);
    return words.count;
  }

  forget(uri: string): void {
    this.last.delete(uri);
  }
}

/**
 * Why `text`, with `sites` sites (`sitesToExpect`), must not be parsed whole, or undefined
 * (tree-budget.ts: `tooDenseToBuild` with the server's costs).
 */
export function beforeWholeParse(text: string, sites: number | undefined, costs = SERVER_COSTS): Promise<string | undefined> | undefined {
  return sites === undefined ? undefined : tooDenseToBuild(text, sites, parseRust, freeDroppedTrees, costs);
}

/** What an open document's last reading found, for the estimate after its next edit: its sites, and how many lines its text had. */
export interface LastReading {
  sites: readonly { range: Range }[];
  lines: number;
}

/** The current text's line table (the document's): where the damage lies, without reading the text. */
export interface Lines {
  readonly lineCount: number;
  positionAt(offset: number): Position;
  offsetAt(position: Position): number;
}

/**
 * At most how many sites `text` holds, as far as its words tell: all of them counted, or, after
 * an edit within `damage` (in the text's `lines`) of a text whose `last` reading is known, those
 * found outside the damaged lines plus those the damaged lines' words promise. The damaged lines
 * are whole lines: the text before them, and after them, is the last reading's, its lines moved by
 * as many as the edit added. So no site is counted twice, and a keystroke reads only those lines
 * (and the last reading's sites, by line). Undefined for a text too small to exceed its allowance
 * whatever it holds. Sites the words do not promise (references to a `static mut` declared
 * elsewhere) are the reading's to find (`afterReading`).
 */
export function sitesToExpect(text: string, damage?: Damage, last?: LastReading, lines?: Lines, costs = SERVER_COSTS): number | undefined {
  if (cannotExceed(text.length, costs)) return undefined;
  if (!damage || !last || !lines) return siteWordCount(text);
  const first = lines.positionAt(damage.start).line;
  const end = lines.positionAt(damage.end).line;
  const from = lines.offsetAt({ line: first, character: 0 });
  const to = lines.offsetAt({ line: end + 1, character: 0 });
  // A long line around a short edit (minified code): its words are not read on every keystroke,
  // and its sites are counted twice instead, which refuses early rather than late.
  if (to - from > damage.end - damage.start + LONG_LINES) return last.sites.length + siteWordCount(text.slice(damage.start, damage.end));
  const endBefore = end - (lines.lineCount - last.lines);
  let outside = 0;
  for (const site of last.sites) if (site.range.start.line < first || site.range.start.line > endBefore) outside++;
  return outside + siteWordCount(text.slice(from, to));
}

/** How much more than the damage `sitesToExpect` reads of the lines around it: far more than a line of code, or than the longest line at its allowance (31 KB of leaks). */
const LONG_LINES = 1 << 16;

/** Why the parsed `tree` of `text`, with `sites` sites (`sitesToExpect`, or those found), is too dense to analyse, or undefined. */
export function afterParse(tree: Tree, text: string, sites: number | undefined, costs = SERVER_COSTS): string | undefined {
  if (sites === undefined) return undefined;
  const allowed = analysisAllowance(text.length, sites, costs);
  return allowed > 0 ? treeTooDense(tree, text, allowed, sites) : tooManySites(text.length, sites, costs);
}

/** Why `tree` and the `sites` its reading found are too many for `text` to analyse, or undefined. */
export function afterReading(tree: Tree, text: string, sites: number, costs = SERVER_COSTS): string | undefined {
  return cannotExceed(text.length, costs) ? undefined : afterParse(tree, text, sites, costs);
}

/** What an exception thrown by the analysis tells the user (the log has the stack). */
export function analysisFailed(e: unknown): string {
  return `its analysis failed (${e instanceof Error ? e.message : String(e)}), a bug in Leak Lens: the server's log (Leak Lens: Show Output) has the details`;
}
