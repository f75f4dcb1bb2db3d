#!/usr/bin/env node
/**
 * The language server's peak resident size for each dense shape of bench/pathological.mjs at the
 * largest size the server analyses rather than refuses (its analysis allowance,
 * `analysisAllowance` with `SERVER_COSTS` in parsing/tree-budget.ts), against issue 14's bound
 * of 20 times the input plus 100 MB. Two rows per shape, a fresh server each: the text opened as
 * a document (no workspace folder) and then edited 20 times (`LEAK_LENS_BENCH_EDITS` to change it: a
 * bound that holds for 20 edits may not for 100) as `measureDenseKeystrokes` edits
 * (type `x` at the end of a line, delete it, on lines spread over the text), each edit waiting
 * for its diagnostics; and the text as the one file of a workspace folder, read by the scan.
 * Part of `npm run bench`; alone: `node bench/lsp-allowance.mjs [--only NAME] [--n N]` (needs a
 * build; `--n` measures that size instead of the allowance's, for calibration).
 */
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LspSession, typeAndDelete } from './lsp.mjs';
import { INPUTS } from './pathological.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SERVER = path.join(REPO, 'dist', 'server.js');
const MB = 1024 * 1024;
/** Issue 14's bound for an input of `chars` characters (the shapes are ASCII). */
const bound = (chars) => 20 * chars + 100 * MB;
const EDITS = Number(process.env.LEAK_LENS_BENCH_EDITS ?? 20);
/** Shapes that are refused at every size: no largest analysed size to measure. */
const ALWAYS_REFUSED = new Set(['too-dense']);

/**
 * Whether the server analyses `text` opened as a document: the build's own checks, in the order
 * `Workspace.analyseOpen` makes them (before the whole parse, on the tree, on the sites found).
 */
export async function serverAnalyser() {
  const require = createRequire(import.meta.url);
  const out = (m) => require(path.join(REPO, 'out', 'server', 'src', m));
  const { initParser, parseRust, releaseTree } = out('parsing/parser');
  const { extractFacts } = out('analysis/engine');
  const limits = out('lsp/input-limits');
  await initParser();
  return async (text) => {
    if (await limits.beforeWholeParse(text)) return false;
    const tree = parseRust(text);
    try {
      if (limits.afterParse(tree, text, limits.sitesToExpect(text))) return false;
      return !limits.afterReading(tree, text, extractFacts('file:///bench.rs', text, tree).sites.length);
    } finally {
      releaseTree(tree);
    }
  };
}

/** The largest n of a shape the server analyses, doubling and then halving to within 0.5%. */
export async function largestAnalysed(analyses, make) {
  let low = 1;
  let high = 2;
  while (await analyses(make(high))) [low, high] = [high, 2 * high];
  while (high - low > Math.max(1, Math.floor(low / 200))) {
    const mid = Math.floor((low + high) / 2);
    if (await analyses(make(mid))) low = mid;
    else high = mid;
  }
  return low;
}

const refusedIn = (params) => params.diagnostics.length === 1 && /did not analyse/.test(params.diagnostics[0].message);

/** Peak RSS (bytes) of a fresh server after opening `text` and after `EDITS` edits; whether it was analysed. */
async function openAndEdit(text, name) {
  const session = LspSession.start(SERVER);
  try {
    await session.initialize([]);
    const uri = session.open(path.join(os.tmpdir(), `leak-lens-bench-allowance-${name}.rs`), text, 1);
    const opened = await session.diagnosticsFor(uri, 1, 10 * 60_000);
    const open = session.peakRss();
    let refusedLater = false;
    await typeAndDelete(session, uri, text, EDITS, ({ params }) => (refusedLater ||= refusedIn(params)));
    return { open, edited: session.peakRss(), analysed: !refusedIn(opened.params), refusedLater };
  } finally {
    await session.stop();
  }
}

/** Peak RSS of a fresh server whose workspace folder holds `text` as its one file, after the scan. */
async function scanned(text) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'leak-lens-bench-allowance-'));
  const file = path.join(folder, 'src', 'main.rs');
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, text);
  const session = LspSession.start(SERVER);
  try {
    // A closed file without findings is never published: the scan's end and the server's own list say.
    const ended = session.waitFor((e) => e.type === 'progress' && e.kind === 'end', 10 * 60_000, 'end of the background scan');
    await session.initialize([folder]);
    await ended;
    const listed = await session.connection.sendRequest('leakLens/workspaceFindings');
    const entry = listed.find((f) => f.uri === pathToFileURL(file).href);
    return { peak: session.peakRss(), analysed: !entry?.refused };
  } finally {
    await session.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** Table rows: each shape at the server's allowance, opened and edited, and scanned from disk. */
export async function measureServerAtAllowance(log = () => {}, only, fixedN) {
  if (!fs.existsSync(SERVER)) return [['Language server at its allowance', 'n/a (dist/server.js not built)', '', '']];
  const analyses = await serverAnalyser();
  const rows = [];
  for (const [name, what, , make] of INPUTS) {
    if ((only && name !== only) || (ALWAYS_REFUSED.has(name) && !fixedN)) continue;
    const n = fixedN ?? (await largestAnalysed(analyses, make));
    const text = make(n);
    log(`language server, ${name} at its allowance: n = ${n}, opened and edited ${EDITS} times, then scanned`);
    const limit = bound(text.length);
    const mb = (b) => `${(b / MB).toFixed(0)} MB`;
    const shape = `n = ${n} (${(text.length / 1024).toFixed(0)} KB)`;
    const doc = await openAndEdit(text, name);
    const disk = await scanned(text);
    const what_ = what.replace(/, --format \w+$/, '');
    const status = (analysed) => (analysed ? '' : ', **refused**');
    rows.push([
      `\`${name}\` in the language server at its allowance: ${what_}, opened and edited ${EDITS} times`,
      `${shape}: peak RSS ${mb(doc.open)} opened, ${mb(doc.edited)} after the edits${status(doc.analysed)}${doc.refusedLater ? ', refused after an edit' : ''} (bound ${mb(limit)})`,
      'RSS ≤ 20× input + 100 MB',
      doc.analysed && doc.edited <= limit ? 'yes' : '**no**',
    ]);
    rows.push([
      `\`${name}\` in the language server at its allowance, read from disk by the scan`,
      `${shape}: peak RSS ${mb(disk.peak)}${status(disk.analysed)} (bound ${mb(limit)})`,
      'RSS ≤ 20× input + 100 MB',
      disk.analysed && disk.peak <= limit ? 'yes' : '**no**',
    ]);
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (flag) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined);
  const n = arg('--n');
  const rows = await measureServerAtAllowance((m) => process.stderr.write(`${m}\n`), arg('--only'), n === undefined ? undefined : Number(n));
  const header = ['Measurement', 'Result', 'Target', 'Met'];
  process.stdout.write([header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n');
}
