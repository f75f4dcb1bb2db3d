/**
 * `leak-lens check`: config → discovery → per-file facts (in worker threads with `--jobs`) →
 * workspace classification → report → exit status.
 *
 * Input problems (unreadable files, bad config entries) are collected, printed and carried into
 * every output format; they never abort the run nor decide its exit status. Only findings at or
 * above `--fail-on` do.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileFacts, classifyWorkspace } from '../analysis/engine';
import { mayContainSites, siteWordCount } from '../analysis/facts';
import { FileError, Finding, atLeast, compareFindings } from '../../../shared/src/findings';
import { LeakLensSettings } from '../../../shared/src/settings';
import { initParser } from '../parsing/parser';
import { collectGarbage, freeDroppedTrees, newRun } from '../parsing/tree-memory';
import { FailOn, LoadedConfig, discoverFiles, findConfig, loadConfig, loadConfigFile, formatSize, readSource } from '../config';
import { SharedStrings, compactFindings } from './compact';
import { FactsPass, runFactsPass } from './facts-pass';
import { FileTask } from './file-task';
import { jsonChunks } from './format-json';
import { sarifChunks } from './format-sarif';
import { textChunks } from './format-text';
import { CliIo, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './io';
import { commonDirectory, displayBytes, displayPath, resolveBytes } from './paths';
import { printable } from './printable';
import { CheckReport, OutputFormat } from './report';
import { ANSI, PLAIN, Style, wantsColor } from './style';
import { Shard, inShard } from './shard';
import { packageVersion } from './version';
import { SAMPLE_BYTES, analysisBytes, threadsBoundAllows, threadsPaidFor } from './young-generation';
import { nodeBound } from '../parsing/tree-budget';

export interface CheckOptions {
  paths: string[];
  format: OutputFormat;
  /** From `--fail-on`; when absent the config's `fail-on`, then `warning`. */
  failOn?: FailOn;
  config?: string;
  maxFileSize: number;
  /** False with `--no-color`. */
  color: boolean;
  output?: string;
  quiet: boolean;
  /** Threads for reading and per-file analysis (the main thread and `jobs - 1` workers); absent: one per core, fewer for small inputs. */
  jobs?: number;
  /** Analyze and report only this shard's files (see `shard.ts`). */
  shard?: Shard;
  /** Print where the time went to standard error (`--timings`). */
  timings?: boolean;
}

export async function runCheck(options: CheckOptions, io: CliIo): Promise<number> {
  const cwd = io.cwd;
  const given = options.paths.length > 0 ? options.paths : ['.'];
  const targets = given.map((p) => path.resolve(cwd, p));
  // An argument that is not valid UTF-8 is opened by its bytes (see raw-args.ts).
  const bytesOf = (arg: string) => {
    const raw = io.rawArgs?.get(arg);
    return raw && resolveBytes(raw, cwd);
  };
  const targetBytes = new Map(given.flatMap((p, i) => (io.rawArgs?.has(p) ? [[targets[i], bytesOf(p)!] as const] : [])));
  const configBytes = options.config === undefined ? undefined : bytesOf(options.config);
  const errStyle = wantsColor(options.color, io.stderr.isTTY, io.env) ? ANSI : PLAIN;

  if (options.config !== undefined && !fs.existsSync(configBytes ?? path.resolve(cwd, options.config))) {
    io.stderr.write(`${errStyle.severity('error', 'error')}: config file not found: ${options.config}${undecodedHint(options.config)}\n`);
    return EXIT_USAGE;
  }
  // A typo in a CI job's paths must fail it, not pass forever with nothing scanned. Only paths
  // named on the command line count: what a walk finds unreadable stays a non-fatal input error.
  const missing = targets.filter((t) => !exists(targetBytes.get(t) ?? t));
  if (missing.length > 0) {
    for (const t of missing) io.stderr.write(`${errStyle.severity('error', 'error')}: ${displayPath(t, cwd)}: no such file or directory${undecodedHint(t)}\n`);
    return EXIT_USAGE;
  }
  const config = readConfig(options.config, targets, cwd, configBytes);
  const root = config.path ? path.dirname(config.path) : cwd;
  const show = (file: string) => displayPath(file, cwd);

  const clock = new PhaseClock();
  const discovery = discoverFiles(targets, { exclude: config.settings.exclude, root, bytes: targetBytes });
  const tasks: FileTask[] = discovery.files.map((file) => {
    const shown = show(file);
    return { file, path: shown, role: inShard(shown, options.shard) ? 'own' : 'context', bytes: discovery.bytes.get(file) };
  });
  // What Leak Lens's memory bound allows the run grows with its input: known before any file is read.
  const inputBytes = tasks.reduce((sum, task) => sum + fileSize(task), 0);
  clock.lap('discovery');
  await selectParser(io, errStyle, options.quiet);
  // More threads than cores only adds start-up time and memory (a parser and a bundle each).
  const cores = os.availableParallelism();
  const jobs = options.jobs === undefined ? Math.min(autoJobs(tasks, inputBytes, options.maxFileSize), cores) : askedJobs(Math.min(options.jobs, cores), tasks, inputBytes, options.maxFileSize, (m) => options.quiet || io.stderr.write(`${errStyle.severity('warning', 'warning')}: ${m}\n`));
  const inputShare = inputBytes / jobs;
  newRun(inputShare);
  const pass = await runFactsPass(tasks, { jobs, maxFileSize: options.maxFileSize, workerScript: io.entryScript, inputShare });
  // Phase one's last trees are garbage now, but native memory nobody freed stays resident under
  // phase two's own (its call-site searches parse again) and the report's.
  await freeDroppedTrees();
  clock.lap('phase one');
  let report: CheckReport;
  try {
    const inputErrors = [...config.errors, ...discovery.errors].map((e) => ({ file: show(e.file), message: e.message }));
    const rawNames = new Map(tasks.flatMap((t) => (t.bytes ? [[t.path, displayBytes(t.bytes, cwd)] as const] : [])));
    report = await buildReport(tasks, pass, config.settings, inputErrors, rawNames);
  } finally {
    await pass.close();
  }
  clock.lap('cross-file pass');

  if (!options.quiet) {
    for (const w of report.warnings) io.stderr.write(`${errStyle.severity('warning', 'warning')}: ${printable(`${w.file}: ${w.message}`)}\n`);
  }
  for (const e of report.errors) io.stderr.write(`${errStyle.severity('error', 'error')}: ${printable(`${e.file}: ${e.message}`)}\n`);

  if (options.output === undefined) {
    const style = wantsColor(options.color, io.stdout.isTTY, io.env) ? ANSI : PLAIN;
    await writeChunks(render(report, options, style, cwd), io.stdout);
  } else {
    try {
      writeChunksToFile(render(report, options, PLAIN, cwd), bytesOf(options.output) ?? path.resolve(cwd, options.output));
    } catch (e) {
      io.stderr.write(`${errStyle.severity('error', 'error')}: cannot write report to ${options.output}: ${(e as Error).message}\n`);
      return EXIT_USAGE;
    }
  }
  clock.lap('report');
  if (options.timings) io.stderr.write(formatTimings(clock, pass));
  return fails(report.findings, options.failOn ?? config.failOn ?? 'warning') ? EXIT_FINDINGS : EXIT_OK;
}

/** Wall time of consecutive phases since the clock was made. */
class PhaseClock {
  readonly laps: [phase: string, ms: number][] = [];
  /** CPU time of every thread when the command began, after Node's start-up and loading the bundle. */
  readonly cpuAtStart = process.cpuUsage();
  private last = performance.now();

  lap(phase: string): void {
    const now = performance.now();
    this.laps.push([phase, now - this.last]);
    this.last = now;
  }
}

/**
 * `--timings`: for whoever tunes performance, not a stable format. Process start-up before the
 * command runs is not included; `--jobs N` shows each thread's own busy time.
 */
function formatTimings(clock: PhaseClock, pass: FactsPass): string {
  const ms = (n: number) => `${Math.round(n)} ms`;
  const total = clock.laps.reduce((sum, [, t]) => sum + t, 0);
  const search = pass.searchStats;
  const lines = [
    `timings: ${clock.laps.map(([phase, t]) => `${phase} ${ms(t)}`).join(', ')}; total ${ms(total)}`,
    ...pass.threadTimes.map(
      (t, i) => `  phase one, thread ${i + 1} of ${pass.threadTimes.length}: ${t.files} files, reading ${ms(t.readMs)}, analysis ${ms(t.analysisMs)}`,
    ),
    `  cross-file pass: call sites of ${plural(search.functions, 'function')} in ${plural(search.rounds, 'round')}, ${ms(search.ms)}`,
    cpuLine(),
    commandCpuLine(clock),
  ];
  return lines.join('\n') + '\n';
}

/**
 * CPU time of every thread the process has had (workers included, finished or not), against the
 * wall time since the process started: how busy `--jobs N` kept the cores, and the floor its wall
 * time could reach if every thread were busy from start to end.
 */
function cpuLine(): string {
  const { user, system } = process.cpuUsage();
  const cpuMs = (user + system) / 1000;
  const wallMs = process.uptime() * 1000;
  return `  cpu time, all threads: ${Math.round(cpuMs)} ms (user ${Math.round(user / 1000)} ms, system ${Math.round(system / 1000)} ms) in ${Math.round(wallMs)} ms since process start, ${(cpuMs / wallMs).toFixed(2)} cores busy on average`;
}

/**
 * What the input cost, without what every run costs before the command begins (starting Node,
 * loading the bundle): the measure bench/pathological.mjs compares between sizes, since a
 * machine busy with other work stretches wall time but not CPU time.
 */
function commandCpuLine(clock: PhaseClock): string {
  const { user, system } = process.cpuUsage(clock.cpuAtStart);
  return `  cpu time of the command, all threads: ${Math.round((user + system) / 1000)} ms`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * The native tree-sitter binding, or web-tree-sitter where it cannot load. Which one is in use is
 * news only when it is the fallback nobody asked for (it is slower).
 */
async function selectParser(io: CliIo, errStyle: Style, quiet: boolean): Promise<void> {
  const messages: string[] = [];
  const binding = await initParser((m) => messages.push(m));
  if (binding === 'wasm' && io.env.LEAK_LENS_PARSER !== 'wasm' && !quiet) {
    for (const m of messages) io.stderr.write(`${errStyle.severity('warning', 'warning')}: ${m}\n`);
  }
}

/**
 * Starting a worker thread (loading the bundle and the parser in it) costs tens of milliseconds;
 * below this many files per worker, that is more than it saves. Nor does a run start workers its
 * input does not pay for in memory (`threadsPaidFor`). `--jobs` given explicitly is a maximum
 * (`askedJobs`).
 */
const AUTO_FILES_PER_WORKER = 32;
/**
 * A worker thread also takes some 15 MB of its own (a V8 heap, the bundle, the parser: 59 MB for
 * 64 small files with `--jobs 1`, 75 MB with `--jobs 2`), which Leak Lens's memory bound, 20
 * times the input plus 100 MB, pays for only from this much input on.
 */
const AUTO_BYTES_PER_WORKER = 2 * 1024 * 1024;

/** How many files spread over the run it reads (`SAMPLE_BYTES` at most) before it chooses its threads. */
const DENSITY_SAMPLE_FILES = 8;

function autoJobs(tasks: readonly FileTask[], inputBytes: number, maxFileSize: number): number {
  const byFiles = Math.max(1, Math.min(os.availableParallelism(), Math.floor(tasks.length / AUTO_FILES_PER_WORKER)));
  const jobs = Math.min(byFiles, 1 + Math.floor(inputBytes / AUTO_BYTES_PER_WORKER));
  if (jobs === 1) return 1;
  // The files a dense run keeps findings of leave the bound no room for a worker's own memory.
  const { read, sites } = sample(tasks, maxFileSize);
  return threadsPaidFor(jobs, inputBytes, read, sites);
}

/**
 * `--jobs N` (at most the cores) is a maximum: no more threads than the memory bound holds with
 * (`threadsBoundAllows`), which input dense with leak sites leaves no room for a worker beside what
 * it keeps (30 files of 4,300 leak statements peaked at 239 MB with 2 threads, 159 with one,
 * against 169). Said once, to `warn`, when fewer.
 */
function askedJobs(asked: number, tasks: readonly FileTask[], inputBytes: number, maxFileSize: number, warn: (message: string) => void): number {
  if (asked === 1 || tasks.length === 0) return asked;
  const { read, sites, analysis } = sample(tasks, maxFileSize);
  const jobs = threadsBoundAllows(asked, inputBytes, read, sites, analysis);
  if (jobs < asked) {
    const every = sites > 0 ? `, a leak site word every ${Math.round(read / sites).toLocaleString('en')} bytes` : '';
    warn(`--jobs ${asked}: analysing in ${jobs === 1 ? '1 thread' : `${jobs} threads`}: the memory bound (20 bytes a byte of input plus 100 MB) leaves no room for another beside the analysis of this input (${formatSize(inputBytes)}${every})`);
  }
  return jobs;
}

/**
 * Up to `DENSITY_SAMPLE_FILES` files spread over the run (`SAMPLE_BYTES` at most): their bytes,
 * their site words, and at most what the costliest of them takes to analyse (`analysisBytes`).
 */
function sample(tasks: readonly FileTask[], maxFileSize: number): { read: number; sites: number; analysis: number } {
  let read = 0;
  let sites = 0;
  let analysis = 0;
  const picks = Math.min(DENSITY_SAMPLE_FILES, tasks.length);
  for (let k = 0; k < picks && read < SAMPLE_BYTES; k++) {
    const task = tasks[Math.floor((k * tasks.length) / picks)];
    const source = readSource(task.bytes ?? task.file, maxFileSize);
    if (!source.ok) continue;
    const words = siteWordCount(source.text);
    read += source.text.length;
    sites += words;
    // A file without a leak word is not parsed (file-task.ts).
    if (mayContainSites(source.text)) analysis = Math.max(analysis, analysisBytes(source.text.length, words, nodeBound(source.text)));
  }
  return { read, sites, analysis };
}


/** 0 for a file that cannot be statted: reading it fails later, with the reason. */
function fileSize(task: FileTask): number {
  try {
    return fs.statSync(task.bytes ? Buffer.from(task.bytes) : task.file).size;
  } catch {
    return 0;
  }
}

/**
 * Phase two and the report. Errors keep the order they always had: configuration and paths,
 * then unreadable files, then files whose analysis failed, each in discovery order. Files of
 * other shards contribute facts but no findings, errors or warnings: their own shard reports them.
 */
async function buildReport(
  tasks: readonly FileTask[],
  pass: FactsPass,
  settings: LeakLensSettings,
  inputErrors: FileError[],
  rawNames: ReadonlyMap<string, Buffer>,
): Promise<CheckReport> {
  const readErrors: FileError[] = [];
  const analysisErrors: FileError[] = [];
  const warnings: FileError[] = [];
  const facts: { task: number; facts: FileFacts }[] = [];
  let filesScanned = 0;
  pass.outcomes.forEach((outcome, index) => {
    const task = tasks[index];
    const own = task.role === 'own';
    if (outcome.type === 'unreadable') {
      if (own) readErrors.push({ file: task.path, message: outcome.message });
      return;
    }
    if (own) {
      filesScanned++;
      warnings.push(...outcome.warnings);
      if (outcome.analysisError !== undefined) analysisErrors.push({ file: task.path, message: outcome.analysisError });
    }
    if (outcome.facts) facts.push({ task: index, facts: outcome.facts });
  });

  const analysis = classify(facts, pass, settings);
  // The findings hold what of the facts the report needs. The rest is garbage now, collected
  // before what the report allocates piles up beside it until V8's next full collection.
  facts.length = 0;
  pass.releaseFacts();
  if (analysis.findings.length >= COLLECT_BEFORE_REPORT) await freeDroppedTrees();
  const quoted = new Set<string>();
  for (const f of analysis.findings) {
    quoted.add(f.file);
    for (const r of f.related) quoted.add(r.file);
  }
  return {
    filesScanned,
    findings: analysis.findings,
    errors: [...inputErrors, ...readErrors, ...analysisErrors, ...analysis.errors],
    warnings: [...warnings, ...floodWarnings(analysis.findings)],
    sources: pass.sources(quoted),
    rawNames,
  };
}

/**
 * Findings enough that the facts they were made of are worth a full collection before the report:
 * some 8 MB of them (a collection of a heap that large takes tens of milliseconds).
 */
const COLLECT_BEFORE_REPORT = 20_000;

/**
 * Hand-written code does not leak in thousands of places per file: so many findings mean
 * generated code, which the report (and the user reading it) is better off without.
 */
const FLOOD_FINDINGS = 1_000;

function floodWarnings(findings: readonly Finding[]): FileError[] {
  const perFile = new Map<string, number>();
  for (const f of findings) perFile.set(f.file, (perFile.get(f.file) ?? 0) + 1);
  return [...perFile]
    .filter(([, count]) => count >= FLOOD_FINDINGS)
    .map(([file, count]) => ({
      file,
      message: `${count.toLocaleString('en')} findings in this one file; if it is generated, leave it out with \`exclude\` in leak-lens.toml`,
    }));
}

/**
 * Sites classified at once. The run keeps every finding until its report, and a finding shares
 * its range and reasons with its site; classifying a dense file set at once kept every site and
 * what classifying it takes beside them (30 files of 4,300 leak statements: 92 MB of heap at the
 * end of it). In slices of files, a slice's sites go once its findings are made, and the
 * findings are compacted as they come. More slices would cost more: each builds the workspace's
 * index anew, and may search the workspace for its functions' callers (the 4,198 files of the
 * benchmark corpus are one slice).
 */
const SITES_PER_SLICE = 20_000;

/**
 * The engine promises not to throw, but a crash on one odd file must not cost the user the whole
 * report: retry the slice file by file, and name the file that still fails.
 */
function classify(facts: { task: number; facts: FileFacts }[], pass: FactsPass, settings: LeakLensSettings): { findings: Finding[]; errors: FileError[] } {
  const all = facts.map((f) => f.facts);
  const callers = pass.callSites();
  const strings = new SharedStrings();
  const findings: Finding[] = [];
  const errors: FileError[] = [];
  const keep = (found: Finding[]) => {
    for (const f of compactFindings(found, strings)) findings.push(f);
  };
  for (const [i, slice] of slices(facts).entries()) {
    // The last slice's sites are garbage: collected before this slice's findings pile up beside them.
    if (i > 0) collectGarbage();
    const inSlice = new Set(slice.map((f) => f.facts));
    try {
      // Every file's facts but the sites of other slices: what a finding depends on but its site.
      keep(classifyWorkspace(inSlice.size === all.length ? all : all.map((f) => (inSlice.has(f) ? f : { ...f, sites: [] })), callers, settings));
    } catch {
      for (const { task, facts: one } of slice) {
        if (one.sites.length === 0) continue;
        try {
          keep(classifyWorkspace([one], pass.callSites(task), settings));
        } catch (e) {
          errors.push({ file: one.path, message: `internal error, file not analyzed: ${(e as Error).message}` });
        }
      }
    }
    for (const f of inSlice) f.sites = [];
  }
  return { findings: findings.sort(compareFindings), errors };
}

/** Consecutive files with at least `SITES_PER_SLICE` sites each, but the last. */
function slices<T extends { facts: FileFacts }>(facts: T[]): T[][] {
  const out: T[][] = [[]];
  let sites = 0;
  for (const f of facts) {
    if (sites >= SITES_PER_SLICE) {
      out.push([]);
      sites = 0;
    }
    out[out.length - 1].push(f);
    sites += f.facts.sites.length;
  }
  return out;
}

function readConfig(explicit: string | undefined, targets: string[], cwd: string, explicitBytes?: Buffer): LoadedConfig {
  if (explicit !== undefined) return loadConfigFile(path.resolve(cwd, explicit), explicitBytes);
  // Look where the code is, not only where the command runs: `leak-lens check ../other` should
  // use `../other`'s config.
  const start = commonDirectory(targets, isDirectory);
  const found = findConfig(start) ?? findConfig(cwd);
  return found ? loadConfig(path.dirname(found)) : loadConfig(cwd);
}

/** In pieces: a large report is longer than the longest string V8 can hold. */
function render(report: CheckReport, options: CheckOptions, style: Style, cwd: string): Iterable<string> {
  switch (options.format) {
    case 'json':
      return jsonChunks(report);
    case 'sarif':
      return sarifChunks(report, { toolVersion: packageVersion(), cwd });
    case 'text':
      return textChunks(report, { style, summary: !options.quiet });
  }
}

/**
 * Pieces are joined up to this size before each write: fewer system calls, bounded memory. Not
 * more: each write encodes its batch into a buffer of its own, and buffers of 64 KB were freed
 * only by full collections, which V8 put off while the report was written (a SARIF report of
 * 34,000 results: 36 MB of them at the peak, 2 with 16 KB).
 */
const WRITE_BATCH = 1 << 14;

function* batches(chunks: Iterable<string>): Generator<string> {
  let batch = '';
  for (const chunk of chunks) {
    batch += chunk;
    if (batch.length >= WRITE_BATCH) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

/** Waits for a full pipe to drain, so the report never piles up in memory behind a slow reader. */
async function writeChunks(chunks: Iterable<string>, out: CliIo['stdout']): Promise<void> {
  for (const batch of batches(chunks)) {
    if (out.write(batch) === false && out.once) await new Promise<void>((resolve) => out.once!('drain', resolve));
  }
}

function writeChunksToFile(chunks: Iterable<string>, file: string | Buffer): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const batch of batches(chunks)) fs.writeSync(fd, batch);
  } finally {
    fs.closeSync(fd);
  }
}

function fails(findings: readonly Finding[], failOn: FailOn): boolean {
  return failOn !== 'none' && findings.some((f) => atLeast(f.severity, failOn));
}

/**
 * Where `/proc/self/cmdline` is not there to read (not Linux), an argument that is not valid
 * UTF-8 arrives decoded, a U+FFFD for each bad byte, and names nothing.
 */
function undecodedHint(arg: string): string {
  return arg.includes('\uFFFD') ? ' (if the name is not valid UTF-8: it reached leak-lens decoded, and its bytes could not be read back; name its directory instead)' : '';
}

/** A dangling symlink does not exist either; a path we may not look at does, as far as we know. */
function exists(p: string | Buffer): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code !== 'ENOENT' && code !== 'ENOTDIR';
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
