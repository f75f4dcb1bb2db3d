/**
 * Keeps V8's young generation at its start-up size while a `check` run's input is too small to
 * pay for it. By default it doubles whenever many objects survive a scavenge, up to two 16 MB
 * semi-spaces: 32 MB of resident memory that a dense file's analysis reaches and never gives
 * back (4,000 sites grow it to 16 MB; 20,000 sites in one function peak at 137 MB with it kept
 * small, 166 MB without), a third of the 100 MB that Leak Lens's memory bound allows on top of 20
 * times the input.
 *
 * Kept small, it costs time: over the 52 MB of the benchmark corpus, 576 scavenges instead of 37
 * (half a second of pauses), and what they promote too early fills the old generation (more full
 * collections). Twenty bytes a byte of input pay for the 32 MB from a few megabytes of input on,
 * so from there each thread's young generation grows as V8 sees fit (`youngGenerationFor`).
 *
 * `--max-semi-space-size` would need a flag on Node's command line (a re-exec, or a launcher the
 * bench and CI do not use); the growth factor is read each time the young generation would grow,
 * so setting it at run time, before the analysis allocates, is enough. The flags are the
 * process's: the worker threads of `--jobs N` share them, and start after the choice is made.
 */
import * as v8 from 'node:v8';

/** From the CLI's start: discovery and the run's sizes come before the choice. */
export function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

/** Two semi-spaces of 16 MB: the most V8 lets each isolate's young generation grow to. */
const YOUNG_GENERATION_MAX = 32 * 1024 * 1024;
/** What the memory bound allows per byte of input. */
const BOUND_BYTES_PER_INPUT_BYTE = 20;

/**
 * Whether `threads` young generations at their largest fit twice in what the bound allows for
 * `inputBytes` of input (twice: the files' analyses spend the bound's fixed 100 MB as if the young
 * generation stayed small, and their kept facts grow with the input too). 3.2 MB for one thread.
 */
export function inputPaysForYoungGeneration(inputBytes: number, threads: number): boolean {
  return BOUND_BYTES_PER_INPUT_BYTE * inputBytes >= 2 * YOUNG_GENERATION_MAX * threads;
}

/** Lets the young generation grow again (V8's default factor, 2) when the input pays for it. */
export function youngGenerationFor(inputBytes: number, threads: number): void {
  if (inputPaysForYoungGeneration(inputBytes, threads)) v8.setFlagsFromString('--semi-space-growth-factor=2');
}
