/**
 * How this machine's cores slow each other down on the two kinds of memory work a `check` run
 * does a lot of: reading memory that is already mapped (scanning texts, walking trees), and
 * touching memory for the first time (every page a growing heap, a new tree or a decoded text
 * takes costs the kernel a page fault). Each is timed in one worker thread alone, then in one
 * worker per core at once. Independent of Leak Lens: it characterises the machine the benchmark
 * ran on.
 *
 * Usage: node bench/machine-scaling.mjs [threads]   (default: every core)
 * Prints: {"threads":N,"sweep":{"alone":ms,"together":[ms,…]},"fresh":{"alone":ms,"together":[ms,…]}}
 */
import * as os from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const MB = 1024 * 1024;
const LINE_WORDS = 16; // one 64-byte cache line of Int32

/** Reads and writes one word per cache line of 256 MB that is mapped before the clock starts. */
function sweep() {
  const words = new Int32Array((256 * MB) / 4).fill(1);
  const start = performance.now();
  let sum = 0;
  for (let pass = 0; pass < 4; pass++) for (let i = 0; i < words.length; i += LINE_WORDS) sum += words[i]++;
  return { ms: performance.now() - start, sum };
}

/** Touches one word per 4 KB page of forty fresh 16 MB buffers: page faults, not reading. */
function fresh() {
  const start = performance.now();
  let sum = 0;
  for (let round = 0; round < 40; round++) {
    const words = new Int32Array((16 * MB) / 4);
    for (let i = 0; i < words.length; i += 1024) sum += words[i]++;
  }
  return { ms: performance.now() - start, sum };
}

const KINDS = { sweep, fresh };

if (!isMainThread) {
  parentPort.postMessage(KINDS[workerData].call().ms);
} else {
  const threads = Number(process.argv[2] ?? os.availableParallelism());
  const run = (kind) =>
    new Promise((resolve, reject) => new Worker(new URL(import.meta.url), { workerData: kind }).on('message', resolve).on('error', reject));
  const result = { threads };
  for (const kind of Object.keys(KINDS)) {
    const alone = await run(kind);
    const together = await Promise.all(Array.from({ length: threads }, () => run(kind)));
    result[kind] = { alone: Math.round(alone), together: together.map(Math.round) };
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}
