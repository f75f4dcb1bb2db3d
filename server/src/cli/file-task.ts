/**
 * Phase one of a `check` run for a single file: read it, extract its facts, collect its
 * warnings. The same function runs inline (`--jobs 1`) and in worker threads, which is what makes
 * their results identical. Everything it returns, except the text, is plain data that can cross
 * a thread boundary by structured clone.
 */
import { FileError, RULE_IDS } from '../../../shared/src/findings';
import { FileFacts, extractFacts } from '../analysis/engine';
import { mayContainCrossFileFacts, mayContainSites, siteWordCount } from '../analysis/facts';
import { parseSuppressions } from '../analysis/suppress';
import { readSource } from '../config';
import { closest } from '../config/suggest';
import { CrateToolchains, readSmallFile } from '../manifest/cargo';
import { Tree, parseRust, releaseTree } from '../parsing/parser';
import { parseWithinBudget } from '../parsing/tree-budget';
import { droppedTree, freeDroppedTrees } from '../parsing/tree-memory';
import { compactFacts } from './compact';

/** One per thread: each reads a crate's manifests once, whichever of its files it analyzes. */
const toolchains = new CrateToolchains(readSmallFile);

/**
 * `own`: the file's findings are reported. `context`: the file belongs to another shard and is
 * read only for what findings elsewhere depend on (see `shard.ts`).
 */
export type FileRole = 'own' | 'context';

export interface FileTask {
  /** Absolute path, for reading. */
  file: string;
  /** Path as printed in the report. */
  path: string;
  /** `file` as bytes, when a name on its path is not valid UTF-8 (`file` is then the shown path). */
  bytes?: Uint8Array;
  role: FileRole;
}

export type FileOutcome =
  | { type: 'unreadable'; message: string }
  | {
      type: 'read';
      /** Absent when the file was not analyzed (a context file that holds no cross-file facts) or analysis failed. */
      facts?: FileFacts;
      /** Why `extractFacts` threw; the file still counts as scanned, as before parallelism. */
      analysisError?: string;
      warnings: FileError[];
    };

/** Drops the facts of `outcomes` once they are classified: the rest of each is still reported. */
export function forgetFacts(outcomes: FileOutcome[]): void {
  for (const outcome of outcomes) if (outcome.type === 'read') delete outcome.facts;
}

export interface FileResult {
  outcome: FileOutcome;
  /** Kept by whoever ran the task (for call-site searches and report snippets), never sent back in bulk. */
  text?: string;
}

/** Where one thread's phase-one time went (`check --timings`). */
export interface ThreadTimes {
  files: number;
  /** Statting, reading and decoding files. */
  readMs: number;
  /** Everything after reading: pre-filter, parse, query, rules. */
  analysisMs: number;
}

export function newThreadTimes(): ThreadTimes {
  return { files: 0, readMs: 0, analysisMs: 0 };
}

export async function runFileTask(task: FileTask, maxFileSize: number, times?: ThreadTimes): Promise<FileResult> {
  const start = performance.now();
  const read = readSource(task.bytes ?? task.file, maxFileSize);
  const readEnd = performance.now();
  if (times) {
    times.files++;
    times.readMs += readEnd - start;
  }
  if (!read.ok) return { outcome: { type: 'unreadable', message: read.message } };
  try {
    return await analyzeRead(task, read.text);
  } finally {
    if (times) times.analysisMs += performance.now() - readEnd;
  }
}

async function analyzeRead(task: FileTask, text: string): Promise<FileResult> {
  if (task.role === 'context') return { outcome: { type: 'read', facts: await contextFacts(task.path, text), warnings: [] }, text };
  const warnings = unknownSuppressions(task.path, text);
  try {
    const parsed = await parseIfNeeded(text);
    // A refused file is not read again: phase two finds no call sites in it and quotes nothing.
    if (parsed.refused) return { outcome: { type: 'read', analysisError: parsed.refused, warnings } };
    try {
      return { outcome: { type: 'read', facts: compactFacts(extractFacts(task.path, text, parsed.tree, toolchains.forFile(task.file))), warnings }, text };
    } finally {
      await release(parsed.tree);
    }
  } catch (e) {
    return { outcome: { type: 'read', analysisError: `analysis failed: ${(e as Error).message}`, warnings }, text };
  }
}

/**
 * The tree `extractFacts` would parse (it parses only files with its words), checked against
 * what the file's analysis may take within the memory bound (`analysisAllowance`) before it is
 * built where it could be too large, and before any analysis spends memory on it. Whoever gets
 * the tree releases it.
 */
async function parseIfNeeded(text: string): Promise<{ tree?: Tree; refused?: string }> {
  if (!mayContainSites(text)) return {};
  const parsed = await parseWithinBudget(text, siteWordCount(text), parseRust, freeDroppedTrees);
  if (!parsed.refused) return parsed;
  releaseTree(parsed.tree);
  return { refused: parsed.refused };
}

/**
 * Done with a tree: its native memory goes as soon as enough of it is dropped, before the next
 * dense file's tree is built beside it (`droppedTree`).
 */
async function release(tree: Tree | undefined): Promise<void> {
  if (!tree) return;
  const nodes = tree.rootNode.descendantCount;
  releaseTree(tree);
  await droppedTree(nodes);
}

/** Only the facts other files can see; the file's own sites are its shard's business. */
async function contextFacts(path: string, text: string): Promise<FileFacts | undefined> {
  if (!mayContainCrossFileFacts(text)) return undefined;
  try {
    const parsed = await parseIfNeeded(text);
    // Its own shard reports the refusal.
    if (parsed.refused) return undefined;
    try {
      return { ...extractFacts(path, text, parsed.tree), sites: [] };
    } finally {
      await release(parsed.tree);
    }
  } catch {
    // Its own shard reports the failure; here it just contributes nothing.
    return undefined;
  }
}

export function unknownSuppressions(file: string, text: string): FileError[] {
  return parseSuppressions(text).comments.flatMap((comment) =>
    comment.unknownRules.map((name) => {
      const guess = closest(name, RULE_IDS);
      const hint = guess ? ` (did you mean \`${guess}\`?)` : '';
      return { file, message: `line ${comment.line + 1}: unknown rule \`${name}\` in suppression comment${hint}; it has no effect` };
    }),
  );
}

/**
 * The native parser frees a tree only in a finalizer, and Node runs those only when the event loop
 * turns; a phase-one loop that never returns to it keeps every tree it parsed (600 MB over the
 * 52 MB benchmark corpus instead of 200 MB) and then spends a third of a second freeing them all
 * at once, hot in nobody's cache. Phase-one loops turn the loop this often.
 */
export const FILES_PER_EVENT_LOOP_TURN = 16;

export function turnEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
