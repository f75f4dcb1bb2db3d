/**
 * rustc for the fix tests: type-checks Rust text as a library crate (`--emit=metadata`), with the
 * stub `once_cell` and `lazy_static` crates of `stubs/` built once and passed with `--extern`.
 *
 * Hundreds of small crates cost a rustc start each; instead, texts of one edition are checked
 * together, each as a module file of one crate (`#[path = "case_N.rs"] mod case_N;`), which scopes
 * names exactly as a crate root does for code that does not name `crate::` or load macros with
 * `#[macro_use] extern crate` (those are checked alone). A failing batch names the cases its errors
 * are in; the others are checked again without them, so one case's error never hides another's.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Edition } from '../../src/analysis/toolchain';

export const RUSTC = [process.env.RUSTC, '/root/.cargo/bin/rustc', path.join(os.homedir(), '.cargo/bin/rustc')].find(
  (p): p is string => !!p && fs.existsSync(p),
);
const STUBS = path.resolve(__dirname, '../../../../server/test/fixes/stubs');
/** `crate::` paths, `#[macro_use] extern crate` and `#![no_std]` mean the crate root; such text is checked alone. */
export const ROOT_ONLY = /\bcrate::|#\[macro_use\]|#!\[no_std\]/;
/** Two rustc processes at a time: the machine has two cores. */
const CONCURRENCY = 2;
/** Cases per crate: a batch with a failing case is checked again without it, so batches stay small. */
const BATCH = 48;

let stubDir: string | undefined;

function stubs(): string {
  if (!stubDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leak-lens-stubs-'));
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    for (const crate of ['once_cell', 'lazy_static']) {
      execFileSync(RUSTC!, ['--edition', '2021', '--crate-type', 'lib', '--crate-name', crate, '-o', path.join(dir, `lib${crate}.rlib`), path.join(STUBS, `${crate}.rs`)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    }
    stubDir = dir;
  }
  return stubDir;
}

const results = new Map<string, Promise<string | undefined>>();
interface Job {
  text: string;
  edition: Edition;
  resolve: (errors: string | undefined) => void;
}
let queued: Job[] = [];

/** Queues `text` for the next `flush`; resolves to rustc's errors, or undefined when it compiles. */
export function typeCheck(text: string, edition: Edition): Promise<string | undefined> {
  const key = `${edition}\0${text}`;
  let result = results.get(key);
  if (!result) {
    result = new Promise((resolve) => queued.push({ text, edition, resolve }));
    results.set(key, result);
  }
  return result;
}

/** Type-checks everything queued. */
export async function flush(): Promise<void> {
  const jobs = queued;
  queued = [];
  const tasks: (() => Promise<void>)[] = [];
  for (const edition of new Set(jobs.map((j) => j.edition))) {
    const ofEdition = jobs.filter((j) => j.edition === edition);
    const batchable = ofEdition.filter((j) => !ROOT_ONLY.test(j.text));
    for (let i = 0; i < batchable.length; i += BATCH) tasks.push(() => checkBatch(batchable.slice(i, i + BATCH), edition));
    for (const job of ofEdition.filter((j) => ROOT_ONLY.test(j.text))) tasks.push(async () => job.resolve(await rustc({ 'lib.rs': job.text }, edition)));
  }
  const workers = Array.from({ length: CONCURRENCY }, async () => {
    for (let task = tasks.shift(); task; task = tasks.shift()) await task();
  });
  await Promise.all(workers);
}

/** Type-checks one text now: rustc's first errors, or undefined when it compiles. */
export async function check(text: string, edition: Edition): Promise<string | undefined> {
  const result = typeCheck(text, edition);
  await flush();
  const errors = await result;
  return errors && firstErrors(errors);
}

export function firstErrors(stderr: string): string {
  return stderr.split('\n\n').filter((block) => block.startsWith('error')).slice(0, 2).join('\n\n') || stderr.slice(0, 2000);
}

async function checkBatch(jobs: Job[], edition: Edition): Promise<void> {
  if (jobs.length === 0) return;
  if (jobs.length === 1) {
    jobs[0].resolve(await rustc({ 'lib.rs': jobs[0].text }, edition));
    return;
  }
  const files: Record<string, string> = { 'lib.rs': jobs.map((_, i) => `#[path = "case_${i}.rs"] pub mod case_${i};\n`).join('') };
  jobs.forEach((job, i) => (files[`case_${i}.rs`] = job.text));
  const errors = await rustc(files, edition);
  if (errors === undefined) {
    for (const job of jobs) job.resolve(undefined);
    return;
  }
  const byCase = new Map<number, string[]>();
  for (const block of errors.split('\n\n')) {
    const m = /--> [^\n]*case_(\d+)\.rs:/.exec(block);
    if (block.startsWith('error') && m) byCase.set(Number(m[1]), [...(byCase.get(Number(m[1])) ?? []), block]);
  }
  if (byCase.size === 0) {
    // An error no case is named in: check each alone.
    for (const job of jobs) job.resolve(await rustc({ 'lib.rs': job.text }, edition));
    return;
  }
  jobs.forEach((job, i) => byCase.has(i) && job.resolve(byCase.get(i)!.join('\n\n').replace(/case_\d+\.rs/g, 'lib.rs')));
  await checkBatch(jobs.filter((_, i) => !byCase.has(i)), edition);
}

function rustc(files: Record<string, string>, edition: Edition): Promise<string | undefined> {
  const stubPath = stubs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leak-lens-rustc-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const args = [
    '--edition', edition, '--emit=metadata', '--crate-type', 'lib', '--crate-name', 'fixture', '-A', 'warnings',
    '-L', stubPath, '--extern', `once_cell=${path.join(stubPath, 'libonce_cell.rlib')}`,
    '--extern', `lazy_static=${path.join(stubPath, 'liblazy_static.rlib')}`, '-o', path.join(dir, 'out.rmeta'), path.join(dir, 'lib.rs'),
  ];
  return new Promise((resolve) => {
    execFile(RUSTC!, args, { maxBuffer: 64 << 20 }, (error, _stdout, stderr) => {
      fs.rmSync(dir, { recursive: true, force: true });
      resolve(error ? stderr || String(error) : undefined);
    });
  });
}
