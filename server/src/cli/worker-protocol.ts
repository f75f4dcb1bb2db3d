/**
 * What the CLI's main thread and its phase-one workers say to each other. Both sides import these
 * types; nothing here runs.
 *
 * Phase one is pull-based: every worker gets the whole task list and claims the next task by
 * atomically incrementing a shared counter, as the main thread does beside them, so a thread
 * stuck on a large file never holds up files queued behind it. Outcomes stream back on
 * `parentPort`.
 *
 * Phase two is synchronous from the main thread's point of view (the engine asks its
 * `CallSiteProvider` synchronously): the main thread posts a request on each worker's private
 * port, then blocks with `Atomics.wait` on that worker's slot of a shared signal array until the
 * worker has posted its reply and set the slot, and takes the reply with `receiveMessageOnPort`.
 */
import type { MessagePort } from 'node:worker_threads';
import type { CallSite, FnRef } from '../analysis/site';
import type { FileOutcome, FileTask, ThreadTimes } from './file-task';

/** Marks the worker threads this module starts, so the entry script knows what to run. */
export const FACTS_WORKER = 'leak-lens/facts-worker';

export interface WorkerInit {
  role: typeof FACTS_WORKER;
  tasks: readonly FileTask[];
  maxFileSize: number;
  /** About how many bytes of input each thread reads (`newRun`). */
  inputShare: number;
  /** Int32[1]: index of the next unclaimed task. */
  nextTask: SharedArrayBuffer;
  /** Int32[workers]: a worker sets its slot to 1 when its reply to a request is on its port. */
  signal: SharedArrayBuffer;
  slot: number;
  /** This worker's end of the request channel (transferred). */
  port: MessagePort;
}

/** Worker → main on `parentPort` during phase one. */
export type ProgressMessage = { type: 'outcomes'; outcomes: [index: number, outcome: FileOutcome][] } | { type: 'done'; times: ThreadTimes };

/** Main → worker on the request port. */
export type Request =
  | { type: 'callSites'; fns: FnRef[]; only?: number }
  | { type: 'sources'; paths: string[] };

/** Worker → main on the request port, one per request. */
export type Reply =
  /** Per file with any: the call sites of each asked function, in the order asked. */
  | { type: 'callSites'; sites: [index: number, sitesOfEach: CallSite[][]][] }
  | { type: 'sources'; texts: [path: string, text: string][] }
  | { type: 'error'; message: string };
