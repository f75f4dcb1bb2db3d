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

/** What an exception thrown by the analysis tells the user (the log has the stack). */
export function analysisFailed(e: unknown): string {
  return `its analysis failed (${e instanceof Error ? e.message : String(e)}), a bug in Leak Lens: the server's log (Leak Lens: Show Output) has the details`;
}
