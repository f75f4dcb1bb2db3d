/**
 * What the language server does not analyse, and why, in words for the user: a document over the
 * size limit, a text whose syntax tree would be too dense to analyse within the memory bound (the
 * CLI's tree allowance, parsing/tree-budget.ts), a file that cannot be read as Rust source, an
 * analysis that failed. Such a file gets its reason as its one diagnostic instead of findings
 * (`DiagnosticsPublisher.refuse`), so that no finding vanishes in silence.
 *
 * The allowance costs nothing for the usual file: no tree of fewer than ~163,000 characters can
 * exceed it, and neither check runs. A larger text is counted in pieces before it is parsed whole
 * (an open document's first reading or a whole-text replacement, a file read from disk), and its
 * tree is checked once parsed; an incremental reparse of an admitted document needs only the
 * second check (`descendantCount` is read off the root).
 */
import { DEFAULT_MAX_FILE_SIZE, formatSize } from '../config/read-source';
import { Tree, parseRust } from '../parsing/parser';
import { mayBeTooDense, tooDenseToParse, treeTooDense } from '../parsing/tree-budget';
import { freeDroppedTrees } from '../parsing/tree-memory';
import { TreeCache } from '../parsing/trees';

/** How the size limit's message says to analyse a larger file: there is no editor setting for it. */
export const LARGER_FILES_HINT = '`leak-lens check --max-file-size` analyses larger files from the command line';

/**
 * Why the open document `uri` must not be parsed, or undefined: its size, and, when its next
 * parse would be a whole one, its tree counted in pieces. A refused document's tree is dropped
 * and none is built until a later text is admitted (`TreeCache.refuse`).
 */
export async function beforeParse(trees: TreeCache, uri: string, text: string): Promise<string | undefined> {
  const refusal =
    text.length > DEFAULT_MAX_FILE_SIZE
      ? `it has ${text.length.toLocaleString('en')} characters, more than the ${formatSize(DEFAULT_MAX_FILE_SIZE)} the language server analyses; ${LARGER_FILES_HINT}`
      : trees.parsesWhole(uri)
        ? await beforeWholeParse(text)
        : undefined;
  if (refusal) trees.refuse(uri);
  else trees.admit(uri);
  return refusal;
}

/** Why `text` must not be parsed whole, or undefined (tree-budget.ts: counted in pieces only if it could be too dense). */
export function beforeWholeParse(text: string): Promise<string | undefined> | undefined {
  return mayBeTooDense(text.length) ? tooDenseToParse(text, parseRust, freeDroppedTrees) : undefined;
}

/** Why the parsed `tree` of `text` is too dense to analyse, or undefined. */
export function afterParse(tree: Tree, text: string): string | undefined {
  return mayBeTooDense(text.length) ? treeTooDense(tree, text) : undefined;
}

const MB = 1024 * 1024;
/** JavaScript garbage a large document's analyses may leave behind before a full collection. */
const SLACK = 32 * MB;
let liveHeap: number | undefined;

/**
 * Called once a document that may be too dense (over ~163,000 characters) has been analysed and
 * published. Each analysis of such a document leaves its previous tree (native memory V8 does not
 * see, freed only when its JavaScript object is collected) and tens of megabytes of facts and
 * findings behind, and V8 sees no reason to collect them before the next keystroke builds the same
 * again: 12 edits of 37,000 leak statements took the server from 311 to 631 MB (400 MB with this),
 * 20 edits of 8,000 to 288 MB (194 MB). So once the heap holds `SLACK` more than the last
 * full collection left, a full collection runs: about 25 ms at 8,000 statements, 100–150 ms at
 * 37,000, after the diagnostics are out. (The heap, not the resident size: freed memory stays
 * resident, so a resident-size threshold would rise with every collection.)
 */
export async function afterLargeAnalysis(): Promise<void> {
  const usage = globalThis.process?.memoryUsage;
  if (!usage) return;
  if (liveHeap !== undefined && usage().heapUsed < liveHeap + SLACK) return;
  await freeDroppedTrees();
  liveHeap = usage().heapUsed;
}

/** Whether a document's analysis is followed by `afterLargeAnalysis`. */
export const isLarge = mayBeTooDense;

/** What an exception thrown by the analysis tells the user (the log has the stack). */
export function analysisFailed(e: unknown): string {
  return `its analysis failed (${e instanceof Error ? e.message : String(e)}), a bug in Leak Lens: the server's log (Leak Lens: Show Output) has the details`;
}
