/**
 * Keeps V8's young generation at its start-up size while a `check` run's input is too small to
 * pay for it. By default it doubles whenever many objects survive a scavenge, up to two 16 MB
 * semi-spaces: 32 MB of resident memory that a dense file's analysis reaches and never gives
 * back (4,000 sites grow it to 16 MB; 20,000 sites in one function peak at 137 MB with it kept
 * small, 166 MB without), a third of the 100 MB that Leak Lens's memory bound allows on top of 20
 * times the input, and more than dense input leaves of its 20 bytes a byte.
 *
 * Kept small, it costs time: over the 52 MB of the benchmark corpus, 576 scavenges instead of 37
 * (half a second of pauses), and what they promote too early fills the old generation (more full
 * collections). Twenty bytes a byte of input pay for the 32 MB from a few megabytes of input on,
 * unless the input is dense with sites, whose facts and findings the run keeps: from there each
 * thread's young generation grows as V8 sees fit (`YoungGeneration`).
 *
 * `--max-semi-space-size` would need a flag on Node's command line (a re-exec, or a launcher the
 * bench and CI do not use); the growth factor is read each time the young generation would grow,
 * so setting it at run time, before the analysis allocates, is enough. The flags are the
 * process's: the worker threads of `--jobs N` share them, and start after the choice is made.
 */
import * as v8 from 'node:v8';
import { BOUND_BASE, BOUND_PER_CHAR, CLI_COSTS } from '../parsing/tree-budget';

/** From the CLI's start: discovery and the run's sizes come before the choice. */
export function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

/** Two semi-spaces of 16 MB: the most V8 lets each isolate's young generation grow to. */
const YOUNG_GENERATION_MAX = 32 * 1024 * 1024;
/**
 * What a run keeps per site until its report, compacted (`compact.ts`): the site's facts and
 * its finding. Thirty and sixty files of 4,300 leak statements peak 19 bytes apart per byte of
 * input added, about 500 per site: dense input spends nearly all of the bound's 20 bytes a byte.
 */
const KEPT_BYTES_PER_SITE = 500;
/** Input read before the rest is judged by it (a thread's share; the run's, for its threads): a file or two of real code. */
export const SAMPLE_BYTES = 256 * 1024;

/**
 * What a thread's share of the run's input, `share` bytes, leaves of the bound's 20 bytes a byte
 * beside what the run keeps of it: `sites` sites found in `read` bytes tell how many the rest holds.
 */
function roomLeft(share: number, read: number, sites: number): number {
  return BOUND_PER_CHAR * share - kept(share, read, sites);
}

function kept(share: number, read: number, sites: number): number {
  return read > 0 ? (KEPT_BYTES_PER_SITE * sites * share) / read : 0;
}

/**
 * Whether a thread's share pays twice for a young generation at its largest beside what the run
 * keeps of it (twice: the files' analyses spend the bound's fixed 100 MB as if the young
 * generation stayed small). Each thread judges its own share, and any of them can let it grow,
 * for all: the flag is the process's.
 */
export function inputPaysForYoungGeneration(share: number, read: number, sites: number): boolean {
  return roomLeft(share, read, sites) >= 2 * YOUNG_GENERATION_MAX;
}

/**
 * What a worker thread takes of its own beside the main thread, from its start to the run's end:
 * a V8 heap, the bundle and the parser (59 MB for 64 small files with `--jobs 1`, 75 MB with 2),
 * and what its files' analyses leave resident in it, about as much again as the run keeps of them
 * (64 files of 4,300 leak statements: 75 MB more than with one thread, the second idle after its
 * first three files).
 */
const WORKER_BASE_BYTES = 16 * 1024 * 1024;

/**
 * How many of `jobs` threads the run's input pays for, `sites` sites in the `read` bytes of a
 * sample telling how dense it is. Real code leaves room for each (one site word per 1,600 bytes
 * of the standard library); dense input does not: 64 files of 4,300 leak statements (7.7 MB, one
 * site word per 28 bytes) peaked at 317 MB with 2 threads, 228 MB with one, against a bound of
 * 254 MB.
 */
export function threadsPaidFor(jobs: number, inputBytes: number, read: number, sites: number): number {
  let threads = jobs;
  for (; threads > 1; threads--) {
    const share = inputBytes / threads;
    // Beside what the run keeps of the share, the worker's own and as much again resident in it.
    if (roomLeft(share, read, sites) - kept(share, read, sites) >= WORKER_BASE_BYTES) break;
  }
  return threads;
}

/**
 * What a run's main thread takes before what it keeps of its input: Node.js, the bundle, the
 * parser and the analysis of small files (64 small files: 59 MB with `--jobs 1`, 75 MB with 2).
 */
const MAIN_THREAD_BYTES = 59 * 1024 * 1024;

/**
 * How many of the `jobs` threads asked for explicitly (`--jobs N`) the run's memory bound leaves
 * room for: beside the main thread's own, what the run keeps of its input (`sites` sites in the
 * `read` bytes of a sample) and the analysis of a file (`analysis`: the costliest file sampled,
 * `analysisBytes`), each worker's own, as much again as it keeps resident in it, and a file's
 * analysis of its own at the same time. That fits the runs measured: 64 small files (59 and 75 MB
 * with 1 and 2 threads; the model 59 and 75, bound 101), 30 files of 4,300 leak statements (3.4
 * MB: 159 and 239 MB; 154 and 232, bound 169), 64 of them (228 and 317 MB; 226 and 340, bound
 * 254). Less strict than the default (`threadsPaidFor`), which leaves the bound's fixed 100 MB to
 * the analyses and asks the input's 20 bytes a byte to pay for each worker's own: asked for, a
 * worker starts wherever the bound holds with it.
 */
export function threadsBoundAllows(jobs: number, inputBytes: number, read: number, sites: number, analysis: number): number {
  let threads = jobs;
  for (; threads > 1; threads--) {
    const workers = threads - 1;
    const peak = MAIN_THREAD_BYTES + kept(inputBytes, read, sites) + threads * analysis + workers * (WORKER_BASE_BYTES + kept(inputBytes / threads, read, sites));
    if (peak <= BOUND_BASE + BOUND_PER_CHAR * inputBytes) break;
  }
  return threads;
}

/**
 * At most what the analysis of a file of `chars` characters with `sites` site words and a tree of
 * at most `nodes` nodes (`nodeBound`) takes beyond the main thread's own, at the CLI's costs: no
 * more than its analysis allowance lets it (a denser file is refused).
 */
export function analysisBytes(chars: number, sites: number, nodes: number): number {
  return Math.min(CLI_COSTS.headroom + BOUND_PER_CHAR * chars, CLI_COSTS.bytesPerNode * nodes + CLI_COSTS.bytesPerSite * sites);
}

/**
 * One thread's judgement, file by file: once it has read enough of its share (or all of it), it
 * lets the young generation grow (V8's default factor, 2) if the input pays for it. Never back:
 * a young generation that has grown stays at its size.
 */
export class YoungGeneration {
  private read = 0;
  private sites = 0;
  private decided = false;

  constructor(private readonly share: number) {}

  analysed(bytes: number, sites: number): void {
    if (this.decided) return;
    this.read += bytes;
    this.sites += sites;
    if (this.read < Math.min(SAMPLE_BYTES, this.share)) return;
    this.decided = true;
    if (inputPaysForYoungGeneration(this.share, this.read, this.sites)) v8.setFlagsFromString('--semi-space-growth-factor=2');
  }
}
