/**
 * The main-thread side of `check --jobs N`: starts N - 1 workers and claims files beside them,
 * collects phase-one outcomes, and turns phase two's synchronous questions into requests every
 * thread answers over the files it holds. See `worker-protocol.ts` for the protocol.
 *
 * Memory: each file's text lives in exactly one thread, the one that read it.
 */
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { SearchStats, memoisedCallSites } from '../analysis/callers';
import { CallSite } from '../analysis/site';
import type { FactsPass, PassOptions } from './facts-pass';
import { compactFacts } from './compact';
import { FileOutcome, FileTask, ThreadTimes, forgetFacts, newThreadTimes } from './file-task';
import { HeldTexts, claimTasks, heldCallSites, heldSources } from './task-queue';
import { YoungGeneration } from './young-generation';
import { FACTS_WORKER, ProgressMessage, Reply, Request, WorkerInit } from './worker-protocol';

/**
 * How long the main thread waits for one answer before concluding the worker is gone (a worker
 * that ran out of memory cannot say so, and a blocked thread cannot see its `exit` event). One
 * call-site search over the 55 MB benchmark corpus takes well under a second.
 */
const REPLY_TIMEOUT_MS = 5 * 60_000;

interface Handle {
  worker: Worker;
  port: MessagePort;
}

/**
 * Phase one on `options.jobs` threads: the main thread claims tasks beside `jobs - 1` workers
 * (it would otherwise only wait, and one thread fewer to start is one start-up and one JIT warm-up
 * fewer). Phase two asks every worker and searches the main thread's own texts meanwhile.
 */
export async function startWorkerPass(tasks: readonly FileTask[], options: PassOptions): Promise<FactsPass> {
  const nextTask = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const workers = options.jobs - 1;
  const signal = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * workers));
  const outcomes: (FileOutcome | undefined)[] = new Array(tasks.length);
  const mainTimes = newThreadTimes();
  const workerTimes: ThreadTimes[] = [];
  const searchStats: SearchStats = { rounds: 0, functions: 0, ms: 0 };
  const handles: Handle[] = [];
  const terminate = () => Promise.all(handles.map((h) => (h.port.close(), h.worker.terminate()))).then(() => undefined);

  let own: HeldTexts;
  try {
    const workersDone = new Promise<void>((resolve, reject) => {
      let running = workers;
      for (let slot = 0; slot < workers; slot++) {
        const { port1, port2 } = new MessageChannel();
        const init: WorkerInit = { role: FACTS_WORKER, tasks, maxFileSize: options.maxFileSize, inputShare: options.inputShare, nextTask, signal: signal.buffer as SharedArrayBuffer, slot, port: port2 };
        const worker = new Worker(options.workerScript, { workerData: init, transferList: [port2] });
        worker.on('message', (message: ProgressMessage) => {
          if (message.type === 'done') {
            workerTimes[slot] = message.times;
            if (--running === 0) resolve();
          } else {
            // A structured clone copies each string and object as often as it is referenced.
            for (const [index, outcome] of message.outcomes) outcomes[index] = outcome.type === 'read' && outcome.facts ? { ...outcome, facts: compactFacts(outcome.facts) } : outcome;
          }
        });
        // Settling an already settled promise is a no-op, so these only matter during phase one.
        worker.on('error', (e) => reject(new Error(`worker thread failed: ${e.message}`)));
        worker.on('exit', (code) => reject(new Error(`worker thread exited (status ${code}) before finishing its files`)));
        handles.push({ worker, port: port1 });
      }
    });
    // Observed now, awaited after the main thread's own share: a worker may fail meanwhile.
    workersDone.catch(() => undefined);
    // Worker messages (outcome batches) are taken in the event-loop turns the claim loop makes.
    own = await claimTasks(tasks, new Int32Array(nextTask), options.maxFileSize, mainTimes, (index, outcome) => (outcomes[index] = outcome), new YoungGeneration(options.inputShare));
    await workersDone;
  } catch (e) {
    await terminate();
    throw e;
  }
  const missing = outcomes.findIndex((o) => o === undefined);
  if (missing >= 0) {
    await terminate();
    throw new Error(`no worker analyzed ${tasks[missing].path}`);
  }

  /** Posts `request` to every worker, answers it for the main thread's own texts meanwhile, then takes the replies. */
  const ask = (request: Request, mine: () => Reply): Reply[] => {
    handles.forEach((h, slot) => {
      Atomics.store(signal, slot, 0);
      h.port.postMessage(request);
    });
    const local = mine();
    return [local, ...handles.map((h, slot) => awaitReply(h.port, signal, slot))];
  };

  return {
    outcomes: outcomes as FileOutcome[],
    callSites: (only) =>
      memoisedCallSites(
        (fns) => mergeByTask(ask({ type: 'callSites', fns, only }, () => ({ type: 'callSites', sites: heldCallSites(tasks, own, fns, only) })), fns.length),
        searchStats,
      ),
    sources: (paths) =>
      new Map(ask({ type: 'sources', paths: [...paths] }, () => ({ type: 'sources', texts: heldSources(tasks, own, paths) })).flatMap((r) => (r.type === 'sources' ? r.texts : []))),
    releaseFacts: () => forgetFacts(outcomes as FileOutcome[]),
    close: terminate,
    threadTimes: [mainTimes, ...workerTimes],
    searchStats,
  };
}

function awaitReply(port: MessagePort, signal: Int32Array, slot: number): Reply {
  const deadline = Date.now() + REPLY_TIMEOUT_MS;
  while (Atomics.load(signal, slot) === 0) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`worker thread ${slot + 1} stopped answering (out of memory?); try --jobs 1`);
    Atomics.wait(signal, slot, 0, left);
  }
  const received = receiveMessageOnPort(port);
  if (!received) throw new Error(`worker thread ${slot + 1} signalled a reply it did not send`);
  const reply = received.message as Reply;
  if (reply.type === 'error') throw new Error(`worker thread ${slot + 1}: ${reply.message}`);
  return reply;
}

/** Every worker's call sites of each function, files in task order: exactly what the inline provider yields. */
function mergeByTask(replies: Reply[], fns: number): CallSite[][] {
  const perFile = replies.flatMap((r) => (r.type === 'callSites' ? r.sites : []));
  perFile.sort(([a], [b]) => a - b);
  return Array.from({ length: fns }, (_, i) => perFile.flatMap(([, sitesOfEach]) => sitesOfEach[i]));
}
