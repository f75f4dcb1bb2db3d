/**
 * The worker-thread side of `check --jobs N`: claims files from the shared queue, runs phase one
 * on them, and then answers the main thread's phase-two requests over the texts it read. See
 * `worker-protocol.ts` for the protocol.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { findCallSitesOfEach } from '../analysis/callers';
import { CallSite } from '../analysis/site';
import { initParser } from '../parsing/parser';
import { FILES_PER_EVENT_LOOP_TURN, FileOutcome, newThreadTimes, runFileTask, turnEventLoop } from './file-task';
import { FACTS_WORKER, ProgressMessage, Reply, Request, WorkerInit } from './worker-protocol';

/** Outcomes are sent in batches: one message per file would cost more than small files take to analyze. */
const BATCH_SIZE = 16;

export function isFactsWorker(data: unknown): data is WorkerInit {
  return typeof data === 'object' && data !== null && (data as { role?: unknown }).role === FACTS_WORKER;
}

export async function runFactsWorker(): Promise<void> {
  const init = workerData as WorkerInit;
  // The same binding choice as the main thread makes (same platform, same environment).
  await initParser();
  const post = (message: ProgressMessage) => parentPort!.postMessage(message);
  const next = new Int32Array(init.nextTask);
  const signal = new Int32Array(init.signal);

  // Texts of the files this worker read, by task index: they stay here for phase two.
  const texts = new Map<number, string>();
  let batch: [number, FileOutcome][] = [];
  let done = 0;
  const times = newThreadTimes();
  for (let index = Atomics.add(next, 0, 1); index < init.tasks.length; index = Atomics.add(next, 0, 1)) {
    if (++done % FILES_PER_EVENT_LOOP_TURN === 0) await turnEventLoop();
    const { outcome, text } = runFileTask(init.tasks[index], init.maxFileSize, times);
    if (text !== undefined) texts.set(index, text);
    batch.push([index, outcome]);
    if (batch.length >= BATCH_SIZE) {
      post({ type: 'outcomes', outcomes: batch });
      batch = [];
    }
  }
  post({ type: 'outcomes', outcomes: batch });
  post({ type: 'done', times });

  init.port.on('message', (request: Request) => {
    let reply: Reply;
    try {
      reply = answer(request, init, texts);
    } catch (e) {
      reply = { type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    init.port.postMessage(reply);
    // Only after the reply is queued on the port: the main thread reads it as soon as it wakes.
    Atomics.store(signal, init.slot, 1);
    Atomics.notify(signal, init.slot);
  });
}

function answer(request: Request, init: WorkerInit, texts: Map<number, string>): Reply {
  switch (request.type) {
    case 'callSites': {
      const sites: [number, CallSite[][]][] = [];
      for (const [index, text] of texts) {
        if (request.only !== undefined && index !== request.only) continue;
        let found: CallSite[][];
        try {
          found = findCallSitesOfEach(init.tasks[index].path, text, request.fns);
        } catch {
          // As in the engine's own provider: a file that cannot be parsed contributes no call sites.
          continue;
        }
        if (found.some((f) => f.length > 0)) sites.push([index, found]);
      }
      return { type: 'callSites', sites };
    }
    case 'sources': {
      const wanted = new Set(request.paths);
      const found: [string, string][] = [];
      for (const [index, text] of texts) if (wanted.has(init.tasks[index].path)) found.push([init.tasks[index].path, text]);
      return { type: 'sources', texts: found };
    }
  }
}
