/**
 * What every phase-one thread of `check --jobs N` runs: the claim loop over the shared task
 * counter, and phase two's questions about the texts the thread read and keeps. Worker threads
 * and the main thread beside them run the same code, which is what keeps the report independent
 * of which thread read which file.
 */
import { findCallSitesOfEach } from '../analysis/callers';
import { CallSite, FnRef } from '../analysis/site';
import { YoungGeneration } from './young-generation';
import { FILES_PER_EVENT_LOOP_TURN, FileOutcome, FileTask, ThreadTimes, runFileTask, turnEventLoop } from './file-task';

/** Texts of the files one thread read, by task index: they stay with that thread for phase two. */
export type HeldTexts = Map<number, string>;

/** Claims tasks from `next` (a shared counter) until none are left, reporting each outcome. */
export async function claimTasks(
  tasks: readonly FileTask[],
  next: Int32Array,
  maxFileSize: number,
  times: ThreadTimes,
  onOutcome: (index: number, outcome: FileOutcome) => void,
  young: YoungGeneration,
): Promise<HeldTexts> {
  const texts: HeldTexts = new Map();
  let done = 0;
  for (let index = Atomics.add(next, 0, 1); index < tasks.length; index = Atomics.add(next, 0, 1)) {
    if (++done % FILES_PER_EVENT_LOOP_TURN === 0) await turnEventLoop();
    const { outcome, text } = await runFileTask(tasks[index], maxFileSize, times);
    if (text !== undefined) texts.set(index, text);
    young.analysed(text?.length ?? 0, outcome.type === 'read' ? (outcome.facts?.sites.length ?? 0) : 0);
    onOutcome(index, outcome);
  }
  return texts;
}

/** Per held file with any (or only task `only`): the call sites of each of `fns`, in the order given. */
export function heldCallSites(tasks: readonly FileTask[], texts: HeldTexts, fns: FnRef[], only?: number): [index: number, sitesOfEach: CallSite[][]][] {
  const sites: [number, CallSite[][]][] = [];
  for (const [index, text] of texts) {
    if (only !== undefined && index !== only) continue;
    let found: CallSite[][];
    try {
      found = findCallSitesOfEach(tasks[index].path, text, fns);
    } catch {
      // As in the engine's own provider: a file that cannot be parsed contributes no call sites.
      continue;
    }
    if (found.some((f) => f.length > 0)) sites.push([index, found]);
  }
  return sites;
}

/** The held texts of the given display paths. */
export function heldSources(tasks: readonly FileTask[], texts: HeldTexts, paths: ReadonlySet<string>): [path: string, text: string][] {
  const found: [string, string][] = [];
  for (const [index, text] of texts) if (paths.has(tasks[index].path)) found.push([tasks[index].path, text]);
  return found;
}
