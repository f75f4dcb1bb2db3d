/**
 * Runs phase one over every file of a `check` run and keeps what phase two needs afterwards: the
 * per-file outcomes, a call-site provider over every readable file, and the texts the report
 * quotes. Two implementations with one contract: inline (`--jobs 1`), and the main thread with
 * N - 1 worker threads, where each text stays in the thread that read it and phase two's
 * call-site searches run there too.
 */
import { CallSiteProvider } from '../analysis/engine';
import { SearchStats, textCallSiteProvider } from '../analysis/callers';
import { FileOutcome, FileTask, ThreadTimes, forgetFacts, newThreadTimes } from './file-task';
import { claimTasks, heldSources } from './task-queue';
import { startWorkerPass } from './worker-pool';
import { YoungGeneration } from './young-generation';

export interface FactsPass {
  /** One per task, in task order. */
  readonly outcomes: readonly FileOutcome[];
  /**
   * Call sites in every readable file, or only in task `only` (the one-file fallback when a
   * whole-workspace classification fails). Results list files in task order in both
   * implementations, so the classification cannot depend on how work was split.
   */
  callSites(only?: number): CallSiteProvider;
  /** Texts of the given display paths (those that were read). */
  sources(paths: ReadonlySet<string>): Map<string, string>;
  /** Forgets every outcome's facts: classified, they are no longer needed (`outcomes` keeps the rest). */
  releaseFacts(): void;
  /** Releases the workers; the pass cannot be used afterwards. */
  close(): Promise<void>;
  /** Phase one per thread, and phase two's call-site searching so far (`check --timings`). */
  readonly threadTimes: readonly ThreadTimes[];
  readonly searchStats: SearchStats;
}

export interface PassOptions {
  /** Worker threads; 1 runs everything on the calling thread. */
  jobs: number;
  maxFileSize: number;
  /** About how many bytes of input each thread reads (`newRun`). */
  inputShare: number;
  /** The script worker threads run (the CLI entry, which dispatches on `isMainThread`). */
  workerScript: string;
}

export async function runFactsPass(tasks: readonly FileTask[], options: PassOptions): Promise<FactsPass> {
  const jobs = Math.min(options.jobs, tasks.length);
  return jobs > 1 ? startWorkerPass(tasks, { ...options, jobs }) : await inlinePass(tasks, options.maxFileSize, options.inputShare);
}

async function inlinePass(tasks: readonly FileTask[], maxFileSize: number, inputShare: number): Promise<FactsPass> {
  const outcomes: FileOutcome[] = new Array(tasks.length);
  const times = newThreadTimes();
  const searchStats: SearchStats = { rounds: 0, functions: 0, ms: 0 };
  // The same claim loop as the threads of `--jobs N`, over a counter of its own.
  const held = await claimTasks(tasks, new Int32Array(1), maxFileSize, times, (index, outcome) => (outcomes[index] = outcome), new YoungGeneration(inputShare));
  const readable = [...held].map(([index, text]) => ({ path: tasks[index].path, text }));
  return {
    outcomes,
    callSites: (only) => {
      const one = only === undefined ? undefined : held.get(only);
      return textCallSiteProvider(only === undefined ? readable : one === undefined ? [] : [{ path: tasks[only].path, text: one }], searchStats);
    },
    sources: (paths) => new Map(heldSources(tasks, held, paths)),
    releaseFacts: () => forgetFacts(outcomes),
    close: async () => {},
    threadTimes: [times],
    searchStats,
  };
}
