/**
 * The worker-thread side of `check --jobs N`: claims files from the shared queue, runs phase one
 * on them, and then answers the main thread's phase-two requests over the texts it read. See
 * `worker-protocol.ts` for the protocol.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initParser } from '../parsing/parser';
import { freeDroppedTrees, newRun } from '../parsing/tree-memory';
import { FileOutcome, FileTask, newThreadTimes } from './file-task';
import { HeldTexts, claimTasks, heldCallSites, heldSources } from './task-queue';
import { YoungGeneration } from './young-generation';
import { FACTS_WORKER, ProgressMessage, Reply, Request, WorkerInit } from './worker-protocol';

/** Outcomes are sent in batches: one message per file would cost more than small files take to analyze. */
const BATCH_SIZE = 16;
/**
 * Nor more sites than this in one batch: a batch's facts are held twice until it is sent, as the
 * worker's and as the message's copy (16 files of 4,300 leak statements: 70,000 sites, 35 MB).
 */
const BATCH_SITES = 5_000;

export function isFactsWorker(data: unknown): data is WorkerInit {
  return typeof data === 'object' && data !== null && (data as { role?: unknown }).role === FACTS_WORKER;
}

export async function runFactsWorker(): Promise<void> {
  const init = workerData as WorkerInit;
  // The same binding choice as the main thread makes (same platform, same environment).
  await initParser();
  newRun(init.inputShare);
  const post = (message: ProgressMessage) => parentPort!.postMessage(message);
  const signal = new Int32Array(init.signal);

  let batch: [number, FileOutcome][] = [];
  let sites = 0;
  const times = newThreadTimes();
  const texts = await claimTasks(init.tasks, new Int32Array(init.nextTask), init.maxFileSize, times, (index, outcome) => {
    batch.push([index, outcome]);
    sites += outcome.type === 'read' ? (outcome.facts?.sites.length ?? 0) : 0;
    if (batch.length >= BATCH_SIZE || sites >= BATCH_SITES) {
      post({ type: 'outcomes', outcomes: batch });
      batch = [];
      sites = 0;
    }
  }, new YoungGeneration(init.inputShare));
  post({ type: 'outcomes', outcomes: batch });
  post({ type: 'done', times });
  // As on the main thread (check.ts): phase two's searches parse again, beside this thread's texts.
  await freeDroppedTrees();

  init.port.on('message', (request: Request) => {
    let reply: Reply;
    try {
      reply = answer(request, init.tasks, texts);
    } catch (e) {
      reply = { type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    init.port.postMessage(reply);
    // Only after the reply is queued on the port: the main thread reads it as soon as it wakes.
    Atomics.store(signal, init.slot, 1);
    Atomics.notify(signal, init.slot);
  });
}

function answer(request: Request, tasks: readonly FileTask[], texts: HeldTexts): Reply {
  switch (request.type) {
    case 'callSites':
      return { type: 'callSites', sites: heldCallSites(tasks, texts, request.fns, request.only) };
    case 'sources':
      return { type: 'sources', texts: heldSources(tasks, texts, new Set(request.paths)) };
  }
}
