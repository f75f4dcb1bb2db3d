/**
 * Native trees are freed only by a GC finalizer, and V8 does not count their memory: a scan that
 * allocates little JavaScript per file lets the trees of many megabytes of source pile up before
 * V8 sees a reason to collect (the language server's peak after the corpus scan swung between 210
 * and 450 MB from one run to the next; a minor GC does not help, as trees outlive a scavenge of
 * the analysis they serve). So every megabyte or so of source parsed, the process's resident
 * size is read, and once it has grown by `SLACK` since the last collection a full GC runs; the
 * finalizers free the dropped trees when the event loop next turns, and the allocator reuses
 * their memory for the next trees.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

const PARSED_PER_CHECK = 1 << 20;
const SLACK = 64 * 1024 * 1024;

type Gc = (options?: { type: 'minor' | 'major' }) => void;

let since = 0;
let floor: number | undefined;
let collect: Gc | null | undefined;

/** This thread's share of the run's input, in bytes (`newRun`). */
let runInput = 0;

/**
 * A run of the CLI starts, of which this thread reads about `inputBytes` (its share of every
 * file's size, known before any is read): what may wait to be freed is measured against that.
 */
export function newRun(inputBytes = 0): void {
  runInput = inputBytes;
}

/** Called after each native parse of `chars` characters. */
export function parsedNative(chars: number): void {
  since += chars;
  if (since < PARSED_PER_CHECK) return;
  since = 0;
  const rss = process.memoryUsage.rss();
  floor ??= rss;
  if (rss < floor + SLACK) return;
  collect ??= exposedGc();
  collect?.();
  floor = rss;
}

function exposedGc(): Gc | null {
  const own = (globalThis as { gc?: Gc }).gc;
  if (typeof own === 'function') return own;
  try {
    v8.setFlagsFromString('--expose-gc');
    return vm.runInNewContext('gc') as Gc;
  } catch {
    return null;
  }
}

/** A full collection now, where the runtime lets us ask for one (the CLI's phases between their files). */
export function collectGarbage(): void {
  collect ??= exposedGc();
  collect?.();
}

/**
 * Frees the native trees dropped so far, now: a full collection finds them, and their finalizers
 * run when the event loop turns. For a loop that parses and drops many trees in a row (a file
 * counted in pieces, `tree-budget.ts`), which would otherwise keep them all until it returns.
 */
export async function freeDroppedTrees(): Promise<void> {
  collectGarbage();
  await new Promise((resolve) => setImmediate(resolve));
  floor = process.memoryUsage.rss();
  dropped = 0;
  treeMemoryStats.settles++;
}

/**
 * Nodes of trees dropped since they were last freed past which `droppedTree` frees them: 5 to 10
 * MB of native memory, a dense file's tree or a few hundred real ones. The resident-size check
 * above waits for 64 MB, which is most of what the memory bound leaves a run: a directory of
 * dense files (eight files of 4,300 leak statements, 944 KB) peaked at 163 MB, against 118.
 */
const DROPPED_NODES_PER_SETTLE = 50_000;

let dropped = 0;

/** Counts the collections `freeDroppedTrees` ran: tests bound them. */
export const treeMemoryStats = { settles: 0 };

/**
 * Called by whoever drops a native tree of `nodes` nodes; frees the dropped trees once they are
 * many. The memory bound grows with the input (20 bytes a byte), and so may what waits to be
 * freed: a node a byte in 40 (5 of those 20 bytes) of the thread's share of the whole run's
 * input, so that a run over the 52 MB of the corpus forces a few collections, not one every few
 * files (each one a full collection: a tenth of the run), nor, measured against the input parsed
 * so far, a few dozen at its start.
 */
export async function droppedTree(nodes: number): Promise<void> {
  dropped += nodes;
  if (dropped >= Math.max(DROPPED_NODES_PER_SETTLE, runInput / 40)) await freeDroppedTrees();
}
