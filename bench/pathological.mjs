#!/usr/bin/env node
/**
 * Pathological inputs (issue 14): small files built to make an analyzer super-linear, each run by
 * the CLI at size n and 2n, 2n the largest it analyses. Linear means doubling the input at most
 * about doubles the time; the table reports both sizes' CPU time of the command (`--timings`),
 * their ratio and the peak RSS of the larger run against issue 14's bound, 20 times the input
 * plus 100 MB. Part of
 * `npm run bench`; alone: `node bench/pathological.mjs [--only NAME] [--memory] [--many]` (needs a build).
 *
 * Each row's generator is here so that whoever fixes the cause (or adds a new input) measures
 * exactly what this table does. A run that exceeds the time limit is reported as such. Then each
 * shape runs at the largest size the CLI analyses, in every output format, against the bound.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const TIME_LIMIT_MS = 120_000;
/** Doubling the input may cost this much more time and still count as linear (noise, GC). */
const LINEAR_RATIO = 2.3;
/** Issue 14's memory bound for an input of `bytes`: peak RSS at most 20 times it plus 100 MB. */
const rssBoundKiB = (bytes) => (20 * bytes) / 1024 + 100 * 1024;

const LEAK = 'Box::leak(Box::new(1));';

/**
 * name, what it is, n, file text for a size, CLI format. n is null for a shape the CLI analyses up
 * to some size: its rows time n and 2n with 2n the largest it analyses (`largestAnalysed`), and
 * measure every format there (`measureAtAllowance`). A shape refused at every size has its n.
 */
export const INPUTS = [
  ['comments', 'n comment lines before one leak', null, (n) => '// c\n'.repeat(n) + `fn main() { ${LEAK} }\n`],
  ['nested-blocks', 'a leak in a loop inside n nested blocks', null, (n) => `fn main() {\n${'{'.repeat(n)}loop { ${LEAK} }${'}'.repeat(n)}\n}\n`],
  ['nested-closures', 'a leak inside n nested closures', null, (n) => `fn main() {\n${'let f = || {'.repeat(n)} ${LEAK} ${'};'.repeat(n)}\n}\n`],
  ['nested-ifs', 'a leak inside n nested ifs', null, (n) => `fn main() {\n${'if x {'.repeat(n)} ${LEAK} ${'}'.repeat(n)}\n}\n`],
  [
    'callers-in-loop',
    'n leaking functions, all called from one loop',
    null,
    (n) => Array.from({ length: n }, (_, i) => `fn f${i}() { ${LEAK} }\n`).join('') + `fn main() { loop { ${Array.from({ length: n }, (_, i) => `f${i}();`).join(' ')} } }\n`,
  ],
  [
    'mutual-recursion',
    'n leaking functions, each calling the next, the last the first',
    null,
    (n) => Array.from({ length: n }, (_, i) => `fn f${i}() { ${LEAK} f${(i + 1) % n}(); }\n`).join(''),
  ],
  ['long-line-text', 'one line with n leaks, --format text', null, (n) => `fn main() { loop { ${LEAK.repeat(n)} } }\n`, 'text'],
  ['many-findings', 'n leak statements in one function, --format json', null, (n) => `fn main() {\n${`    ${LEAK}\n`.repeat(n)}}\n`],
  // The densest sites: a reference to a `static mut` is one, and names no leak word.
  ['static-mut-refs', 'n references to one static mut in one function', null, (n) => `static mut A: u8 = 0;\nfn main() {\n    unsafe {\n${'        let _r = &A;\n'.repeat(n)}    }\n}\n`],
  ['too-dense', 'n leak statements in one function, beyond the tree allowance (refused)', 60_000, (n) => `fn main() {\n${`    ${LEAK}\n`.repeat(n)}}\n`],
  // Owned by the rc-cycle rewrite (issue 11): a struct field of n nested `Rc<…>`.
  ['rc-nested-type', 'a struct field of type Rc<Rc<…n deep…<S>>>', null, (n) => `use std::rc::Rc;\nstruct S { a: ${'Rc<'.repeat(n)}S${'>'.repeat(n)} }\nfn main() {}\n`],
];

function hasGnuTime() {
  return spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
}

/**
 * One CLI run on `text`: wall time (with Node's start-up), the CPU time of the command itself
 * (`--timings`: every thread, from the command's start to its end) and peak RSS (KiB, when
 * /usr/bin/time is there).
 */
function runOnce(text, format) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leak-lens-patho-'));
  try {
    const file = path.join(dir, 'input.rs');
    fs.writeFileSync(file, text);
    return runCli([file], format, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `leak-lens check PATHS… --timings`, its report into `dir`. */
function runCli(paths, format, dir, extra = []) {
  const rssFile = path.join(dir, 'rss');
  const cli = [process.execPath, CLI, 'check', ...paths, '--format', format, '--output', path.join(dir, 'report'), '--fail-on', 'none', '--quiet', '--timings', ...extra];
  const command = gnuTime ? ['/usr/bin/time', '-f', '%M', '-o', rssFile, ...cli] : cli;
  const start = performance.now();
  const result = spawnSync(command[0], command.slice(1), { encoding: 'utf8', timeout: TIME_LIMIT_MS, killSignal: 'SIGKILL' });
  const ms = performance.now() - start;
  if (result.status === null) return { ms, timedOut: true };
  if (result.status !== 0) return { ms, failed: `exit ${result.status}: ${result.stderr.split('\n')[0]}` };
  const cpu = /cpu time of the command, all threads: (\d+) ms/.exec(result.stderr);
  if (!cpu) throw new Error(`leak-lens check --timings printed no command cpu time: ${result.stderr}`);
  const rssKiB = gnuTime ? Number(fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop()) : undefined;
  return { ms, cpuMs: Number(cpu[1]), rssKiB };
}

const gnuTime = hasGnuTime();

/**
 * Runs at each size, n and 2n taking turns so that a machine whose load changes during the row
 * slows both alike. Each run's CPU time varies by a fifth under load; the median of 5 by less.
 */
const TIMED_RUNS = 5;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Per text: the fastest wall time, the median command CPU time, the highest peak RSS; or the first failure. */
function interleaved(texts, format) {
  const runs = texts.map(() => []);
  for (let i = 0; i < TIMED_RUNS; i++) {
    for (const [k, text] of texts.entries()) {
      const r = runOnce(text, format);
      if (r.timedOut || r.failed) return texts.map(() => r);
      runs[k].push(r);
    }
  }
  return runs.map((rs) => {
    const peaks = rs.map((r) => r.rssKiB).filter((k) => k !== undefined);
    return { ms: Math.min(...rs.map((r) => r.ms)), cpuMs: median(rs.map((r) => r.cpuMs)), rssKiB: peaks.length > 0 ? Math.max(...peaks) : undefined };
  });
}

/**
 * Work beyond an empty file's smaller than this is jitter (an empty file's command CPU time varies
 * by some 20 ms): a refused input costs no more than an empty one, and its ratio would be of noise
 * (×22 for 1 ms against 22).
 */
const NOISE_MS = 50;

/**
 * Table rows: input, n → 2n, time at n and 2n, ratio, peak RSS at 2n, linear? 2n is the largest
 * size the CLI analyses (`largestAnalysed`), where the work is largest against start-up; shapes
 * refused at every size keep their own n. The ratio is of the command's CPU time (`--timings`),
 * less an empty file's: what the input costs, without Node's start-up (0.2 s, a constant that would
 * hide a super-linear part) nor the waits of a machine busy with other work (the bench shares 2
 * cores). Wall times with start-up are shown beside it.
 */
export async function measurePathological(log = () => {}, only) {
  const rows = [];
  const [empty] = interleaved(['fn main() {}\n'], 'json');
  for (const [name, what, fixedN, make, format = 'json'] of INPUTS) {
    if (only && name !== only) continue;
    const n = fixedN ?? Math.floor((await largestAnalysed(make)) / 2);
    log(`pathological input ${name}: n = ${n} and ${2 * n}, ${TIMED_RUNS} runs each, taking turns`);
    const [small, large] = interleaved([make(n), make(2 * n)], format);
    const bytes = Buffer.byteLength(make(2 * n));
    const failed = large.timedOut ? `> ${TIME_LIMIT_MS / 1000} s (killed)` : large.failed;
    const work = (r) => Math.max(r.cpuMs - empty.cpuMs, NOISE_MS);
    const ratio = failed ? NaN : work(large) / work(small);
    const bound = rssBoundKiB(bytes);
    const rss = large.rssKiB ? `${(large.rssKiB / 1024).toFixed(0)} MB for ${(bytes / 1024).toFixed(0)} KB (bound ${(bound / 1024).toFixed(0)} MB)` : 'n/a';
    const linear = Number.isFinite(ratio) && ratio <= LINEAR_RATIO;
    const bounded = large.rssKiB === undefined ? 'n/a' : large.rssKiB <= bound ? 'yes' : '**no**';
    const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
    rows.push([
      `\`${name}\`: ${what}`,
      failed
        ? `n = ${n}, 2n: ${failed}`
        : `n = ${n}: CPU ${s(small.cpuMs)}, 2n: ${s(large.cpuMs)}; ×${ratio.toFixed(2)} beyond an empty file's ${s(empty.cpuMs)} (wall with start-up ${s(small.ms)}, ${s(large.ms)}); peak RSS ${rss}`,
      `×≤ ${LINEAR_RATIO}; RSS ≤ 20× input + 100 MB`,
      `${linear ? 'yes' : '**no**'}; RSS ${bounded}`,
    ]);
  }
  return rows;
}

/**
 * The largest n of a shape the CLI analyses rather than refuses, found by asking the tree budget
 * itself (the build's `parsing/tree-budget.ts`, as `check` does) while doubling and halving n.
 */
const largest = new Map();

function largestAnalysed(make) {
  if (!largest.has(make)) largest.set(make, searchLargestAnalysed(make));
  return largest.get(make);
}

async function searchLargestAnalysed(make) {
  const require = createRequire(import.meta.url);
  const out = (m) => require(path.join(REPO, 'out', 'server', 'src', m));
  const { initParser, parseRust, releaseTree } = out('parsing/parser');
  const { parseWithinBudget } = out('parsing/tree-budget');
  const { freeDroppedTrees } = out('parsing/tree-memory');
  const { siteWordCount } = out('analysis/facts');
  await initParser();
  const analysed = async (n) => {
    const text = make(n);
    const parsed = await parseWithinBudget(text, siteWordCount(text), parseRust, freeDroppedTrees);
    releaseTree(parsed.tree);
    return !parsed.refused;
  };
  let low = 1;
  let high = 2;
  while (await analysed(high)) [low, high] = [high, 2 * high];
  // To within half a percent: the row is about memory, not the last statement.
  while (high - low > Math.max(1, Math.floor(low / 200))) {
    const mid = Math.floor((low + high) / 2);
    if (await analysed(mid)) low = mid;
    else high = mid;
  }
  return low;
}

/**
 * Table rows: each shape at the largest size the CLI analyses (its tree allowance, which counts
 * its sites), peak RSS in each output format against issue 14's bound. The densest inputs the
 * CLI accepts: above them it refuses the file with an input error.
 */
export async function measureAtAllowance(log = () => {}, only) {
  const rows = [];
  for (const [name, what, fixedN, make] of INPUTS) {
    if ((only && name !== only) || fixedN !== null) continue;
    const n = await largestAnalysed(make);
    log(`pathological input ${name} at its allowance: n = ${n}, json, sarif and text`);
    const text = make(n);
    const bytes = Buffer.byteLength(text);
    const bound = rssBoundKiB(bytes);
    const runs = ['json', 'sarif', 'text'].map((format) => [format, runOnce(text, format)]);
    const shown = runs.map(([format, r]) => `${format} ${r.failed ? r.failed : r.timedOut ? 'killed' : r.rssKiB === undefined ? 'n/a' : `${(r.rssKiB / 1024).toFixed(0)} MB`}`);
    const held = runs.every(([, r]) => r.rssKiB !== undefined && r.rssKiB <= bound);
    rows.push([
      `\`${name}\` at its allowance: ${what.replace(/, --format \w+$/, '')}`,
      `n = ${n} (${(bytes / 1024).toFixed(0)} KB): peak RSS ${shown.join(', ')} (bound ${(bound / 1024).toFixed(0)} MB)`,
      'RSS ≤ 20× input + 100 MB',
      gnuTime ? (held ? 'yes' : '**no**') : 'n/a',
    ]);
  }
  return rows;
}

/** Files in the many-files row: a generated folder of dense files, as a code generator leaves. */
const MANY_FILES = 30;

/**
 * Table rows: `MANY_FILES` files of a dense shape at its allowance in one run, `--format json`:
 * what the run keeps of every file until its report (facts, then findings) adds up against the
 * bound of the whole input. `many-findings` with `--jobs 1` (the default for so few files) and
 * `--jobs 2`, `static-mut-refs` (the most sites a byte) with `--jobs 1`. CPU time of the command
 * and peak RSS, one run each.
 */
export async function measureManyFiles(log = () => {}) {
  const rows = [];
  for (const [shape, jobs] of [['many-findings', '1'], ['many-findings', '2'], ['static-mut-refs', '1']]) {
    const [name, what, , make] = INPUTS.find(([n]) => n === shape);
    const n = await largestAnalysed(make);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leak-lens-patho-many-'));
    try {
      const files = path.join(dir, 'src');
      fs.mkdirSync(files);
      for (let i = 0; i < MANY_FILES; i++) fs.writeFileSync(path.join(files, `f${i}.rs`), make(n));
      const bytes = MANY_FILES * Buffer.byteLength(make(n));
      const bound = rssBoundKiB(bytes);
      log(`pathological input ${name}, ${MANY_FILES} files at its allowance in one run, --jobs ${jobs}`);
      const r = runCli([files], 'json', dir, ['--jobs', jobs]);
      const result = r.timedOut ? `> ${TIME_LIMIT_MS / 1000} s (killed)` : r.failed ?? `CPU ${(r.cpuMs / 1000).toFixed(1)} s; peak RSS ${r.rssKiB === undefined ? 'n/a' : `${(r.rssKiB / 1024).toFixed(0)} MB`} for ${(bytes / 1024 / 1024).toFixed(1)} MB (bound ${(bound / 1024).toFixed(0)} MB)`;
      rows.push([
        `\`${name}\`, ${MANY_FILES} files at its allowance (${what.replace(/, --format \w+$/, '')}, n = ${n}) in one run, \`--jobs ${jobs}\`${jobs === '1' ? ` (the default for ${MANY_FILES} files)` : ''}`,
        result,
        'RSS ≤ 20× input + 100 MB',
        r.rssKiB === undefined ? 'n/a' : r.rssKiB <= bound ? 'yes' : '**no**',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const log = (m) => process.stderr.write(`${m}\n`);
  // --memory: only the rows at each shape's allowance; --many: only the many-files rows.
  const many = process.argv.includes('--many');
  const rows = many
    ? await measureManyFiles(log)
    : [
        ...(process.argv.includes('--memory') ? [] : await measurePathological(log, only)),
        ...(await measureAtAllowance(log, only)),
        ...(only ? [] : await measureManyFiles(log)),
      ];
  const header = ['Pathological input', 'Result (time at n and 2n, ratio, peak RSS at 2n; or at the allowance)', 'Target', 'Met'];
  process.stdout.write([header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n');
}
