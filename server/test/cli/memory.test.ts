/**
 * What keeps a `check` run within Leak Lens's memory bound (20 times the input plus 100 MB) on
 * dense files. Peak resident sizes are the bench's business (`bench/pathological.mjs`); these
 * tests bound the mechanisms.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as path from 'node:path';
import { FileFacts, extractFacts } from '../../src/analysis/engine';
import { runFileTask } from '../../src/cli/file-task';
import { compactFacts } from '../../src/cli/compact';
import { analysisBytes, inputPaysForYoungGeneration, threadsBoundAllows, threadsPaidFor } from '../../src/cli/young-generation';
import { nodeBound } from '../../src/parsing/tree-budget';
import { siteWordCount } from '../../src/analysis/facts';
import { droppedTree, freeDroppedTrees, newRun, treeMemoryStats } from '../../src/parsing/tree-memory';
import { initParser } from '../../src/parsing/parser';
import { CLI, HANG_MS, leakLens, makeTree, removeTree } from './helpers';

const STATEMENTS = (n: number) => `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(n)}}\n`;

describe('leak-lens memory on dense files', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) removeTree(root);
    root = undefined;
  });

  /** The size of V8's young generation when a `check` run in `root` ends (a `--require` probe). */
  function youngGenerationAtExit(root: string, ...args: string[]): number {
    const probe = path.join(root, 'probe.js');
    fs.writeFileSync(
      probe,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(path.join(root, 'new-space'))}, String(require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)));\n`,
    );
    const run = spawnSync(process.execPath, ['--require', probe, CLI, 'check', ...args, '--format', 'json', '--output', 'report.json', '--fail-on', 'none'], {
      cwd: root,
      encoding: 'utf8',
      timeout: HANG_MS,
    });
    assert.equal(run.status, 0, run.stderr);
    return Number(fs.readFileSync(path.join(root, 'new-space'), 'utf8'));
  }

  it("keeps V8's young generation at its start-up size while analysing 4,000 sites", () => {
    // Left to grow, it reaches 16 MB for this file, and 32 MB (two semi-spaces of 16 MB) for 5,000.
    root = makeTree({ 'gen.rs': STATEMENTS(4_000) });
    const newSpace = youngGenerationAtExit(root, 'gen.rs');
    assert.equal(JSON.parse(fs.readFileSync(path.join(root, 'report.json'), 'utf8')).findings.length, 4_000);
    assert.ok(newSpace <= 4 * 1024 * 1024, `young generation ${newSpace} bytes`);
  });

  it('lets the young generation grow for an input of 4 MB, whose share of the bound pays for it', () => {
    // Kept small, a corpus run scavenges 15 times as often (576 scavenges instead of 37 over 52 MB).
    const file = `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(100)}}\n${'// padding\n'.repeat(9_000)}`;
    root = makeTree(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}.rs`, file])));
    const newSpace = youngGenerationAtExit(root, '.', '--jobs', '1');
    assert.equal(JSON.parse(fs.readFileSync(path.join(root, 'report.json'), 'utf8')).findings.length, 4_000);
    assert.ok(newSpace > 4 * 1024 * 1024, `young generation ${newSpace} bytes`);
  });

  it('keeps the young generation small for input dense with sites, whose kept facts and findings spend the bound', () => {
    // 30 files of 4,300 leak statements (3.6 MB) peaked at 186 MB with it grown, 159 kept small (bound 169).
    assert.equal(inputPaysForYoungGeneration(3_616_516, 120_550, 4_300), false);
    // The 4 MB of the test above: 100 sites a file of 100 KB.
    assert.equal(inputPaysForYoungGeneration(4_000_000, 100_000, 100), true);
  });

  const cores = os.availableParallelism();
  (cores > 1 ? it : it.skip)('starts no worker thread for 64 small files, whose input would not pay for its memory', () => {
    // 64 files are two threads' worth by their number; 64 KB of input is not, by its size.
    root = makeTree(Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`f${i}.rs`, 'fn main() { Box::leak(Box::new(1)); }\n'.padEnd(1024, ' ')])));
    const run = leakLens(root, 'check', '--format', 'json', '--output', 'report.json', '--fail-on', 'none', '--timings');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /phase one, thread 1 of 1: 64 files/);
  });

  (cores > 1 ? it : it.skip)('starts one for 64 files of 2 MB', () => {
    root = makeTree(Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`f${i}.rs`, `fn main() { Box::leak(Box::new(1)); }\n${'// c\n'.repeat(6_600)}`])));
    const run = leakLens(root, 'check', '--format', 'json', '--output', 'report.json', '--fail-on', 'none', '--timings');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /phase one, thread 1 of 2: /);
  });

  (cores > 1 ? it : it.skip)('starts none for 64 files of 2 MB dense with leak sites, whose findings leave the bound no room for it', () => {
    // A leak statement every 100 bytes: the findings the run keeps take what a worker would need.
    const file = `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(320)}}\n${'// c\n'.repeat(5_000)}`;
    root = makeTree(Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`f${i}.rs`, file])));
    const run = leakLens(root, 'check', '--format', 'json', '--output', 'report.json', '--fail-on', 'none', '--timings');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /phase one, thread 1 of 1: 64 files/);
  });

  it('pays for a worker thread with real code, not with input dense with leak sites', () => {
    // 64 files of 4,300 leak statements (7.7 MB), sampled 3 files in: 317 MB with 2 threads, 228 with one (bound 254).
    assert.equal(threadsPaidFor(2, 7_710_592, 354_060, 12_900), 1);
    // Real code: the standard library has a site word per 1,600 bytes; 52 MB, or 2.5 MB of it.
    assert.equal(threadsPaidFor(2, 52_000_000, 262_144, 161), 2);
    assert.equal(threadsPaidFor(2, 2_500_000, 262_144, 161), 2);
  });

  describe('--jobs N asked for', () => {
    const dense = `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(4_304)}}\n`;
    const denseAnalysis = analysisBytes(dense.length, siteWordCount(dense), nodeBound(dense));

    it('is no more threads than the memory bound holds with: none beside input dense with leak sites', () => {
      // 30 and 64 files of 4,304 leak statements (3.4 and 7.7 MB), sampled 2 files in: 239 and
      // 317 MB with 2 threads, 159 and 228 with one (bounds 169 and 254).
      assert.equal(threadsBoundAllows(2, 30 * dense.length, 2 * dense.length, 2 * 4_304, denseAnalysis), 1);
      assert.equal(threadsBoundAllows(2, 64 * dense.length, 2 * dense.length, 2 * 4_304, denseAnalysis), 1);
    });

    it('is as many as asked for beside small files', () => {
      // 64 small files: 59 MB with one thread, 75 with two (bound 101).
      const small = 'fn main() { Box::leak(Box::new(1)); }\n'.padEnd(1024, ' ');
      assert.equal(threadsBoundAllows(2, 64 * 1024, 8 * 1024, 8, analysisBytes(1024, 1, nodeBound(small))), 2);
    });

    const largestTree = '/usr/share/cargo/registry/hashbrown-0.12.3/src/map.rs';
    (fs.existsSync(largestTree) ? it : it.skip)('is as many as asked for beside real code, whose costliest file the CLI parses is sampled', () => {
      // A site word per 1,600 bytes (the standard library): 52 MB of it, or 2 MB.
      const text = fs.readFileSync(largestTree, 'utf8');
      const costliest = analysisBytes(text.length, siteWordCount(text), nodeBound(text));
      assert.equal(threadsBoundAllows(2, 52_000_000, 262_144, 161, costliest), 2);
      assert.equal(threadsBoundAllows(2, 2_000_000, 262_144, 161, costliest), 2);
    });

    (cores > 1 ? it : it.skip)('runs one thread on 2 files of 4,304 leak statements, saying so once, with the report of --jobs 1', function () {
      this.timeout(60_000);
      // Each file's analysis near its allowance takes the headroom the bound has for one.
      root = makeTree(Object.fromEntries(Array.from({ length: 2 }, (_, i) => [`f${i}.rs`, dense])));
      const two = leakLens(root, 'check', '--format', 'json', '--fail-on', 'none', '--jobs', '2', '--timings');
      assert.equal(two.status, 0, two.stderr);
      assert.match(two.stderr, /phase one, thread 1 of 1: 2 files/);
      const warnings = two.stderr.match(/^warning: --jobs 2: .*$/gm) ?? [];
      assert.equal(warnings.length, 1, two.stderr);
      assert.match(warnings[0], /^warning: --jobs 2: analysing in 1 thread: the memory bound \(20 bytes a byte of input plus 100 MB\) leaves no room for another beside the analysis of this input \(235\.4 KiB, a leak site word every 28 bytes\)$/);
      assert.equal(two.stdout, leakLens(root, 'check', '--format', 'json', '--fail-on', 'none', '--jobs', '1').stdout);
      assert.doesNotMatch(leakLens(root, 'check', '--format', 'json', '--fail-on', 'none', '--jobs', '2', '--quiet').stderr, /--jobs/);
    });
  });

  it("keeps one copy of each of a file's repeated messages, reasons and related locations", async () => {
    await initParser();
    const text = `static mut A: u8 = 0;\nfn main() {\n    unsafe {\n${'        let _r = &A;\n'.repeat(2_000)}    }\n}\n`;
    v8.setFlagsFromString('--expose-gc');
    const collect = vm.runInNewContext('gc') as () => void;
    // Heap kept by what `make` returns, after full collections (bytes, not time).
    const retained = (make: () => FileFacts): number => {
      collect();
      collect();
      const before = process.memoryUsage().heapUsed;
      const kept = make();
      collect();
      collect();
      const bytes = process.memoryUsage().heapUsed - before;
      assert.equal(kept.sites.length, 2_001);
      return bytes;
    };
    const plainRuns: number[] = [];
    const sharedRuns: number[] = [];
    // Interleaved, the first of each left out: what the process allocates once lands there.
    for (let run = 0; run < 4; run++) {
      plainRuns.push(retained(() => extractFacts('a.rs', text)));
      sharedRuns.push(retained(() => compactFacts(extractFacts('a.rs', text))));
    }
    const plain = Math.min(...plainRuns.slice(1));
    const shared = Math.min(...sharedRuns.slice(1));
    // Measured: 0.22 to 0.29 of it, depending on what the process ran before; 0.57 to 0.75 with
    // only the strings shared (each site its own lists, range objects and decision), 0.90 to 1.04 without.
    assert.ok(shared < 0.45 * plain, `${shared} bytes kept compact, ${plain} not`);
  });

  it('frees the tree of a dense file once its facts are read, before the next file is parsed', async () => {
    await initParser();
    // 4,000 statements: 76,010 nodes, more than the 50,000 dropped nodes that wait for a collection.
    root = makeTree({ 'gen.rs': STATEMENTS(4_000) });
    // A run of its own: the trees other tests parsed in this process are no part of its input.
    newRun();
    const before = treeMemoryStats.settles;
    const result = await runFileTask({ file: path.join(root, 'gen.rs'), path: 'gen.rs', role: 'own' }, 1 << 20);
    assert.equal(result.outcome.type === 'read' && result.outcome.facts?.sites.length, 4_000);
    assert.equal(treeMemoryStats.settles, before + 1);
  });

  it("lets dropped trees wait up to a node per 40 bytes of the thread's share of the run's input", async () => {
    // Measured against the input parsed so far instead, a corpus run forced 29 full collections.
    await freeDroppedTrees();
    newRun(8_000_000);
    const before = treeMemoryStats.settles;
    for (let i = 0; i < 3; i++) await droppedTree(60_000);
    assert.equal(treeMemoryStats.settles, before, '180,000 nodes of 200,000');
    await droppedTree(60_000);
    assert.equal(treeMemoryStats.settles, before + 1);
    newRun();
  });
});
