/**
 * The optimisations that make Leak Lens fast must never change what it reports. These tests pin
 * the optimised paths to the straightforward ones on the fixtures: worker threads to one thread,
 * shards to the whole run, the text pre-filter to always parsing. They compare results, not
 * timings; the timings live in `npm run bench`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileFacts, extractFacts } from '../../src/analysis/engine';
import { mayContainSites } from '../../src/analysis/facts';
import { findCallSites, findCallSitesOfEach } from '../../src/analysis/callers';
import type { FnRef } from '../../src/analysis/site';
import { parseRust } from '../../src/parsing/parser';
import { shardOf } from '../../src/cli/shard';
import { compareFindings, type Finding, type JsonReport } from '../../../shared/src/findings';
import { CLI, REPO_ROOT, Run, leakLens as runLeakLens, makeTree, removeTree } from '../cli/helpers';

const FIXTURES = path.join(REPO_ROOT, 'test-fixtures');
/** The Rust standard library, when installed (`apt-get install rust-src`); see ../shared/corpus.md. */
const STD_SOURCES = '/usr/lib/rustlib/src/rust/library';

/** `leak-lens` that must have run to the end: exit 0 (nothing found) or 1 (findings). */
function leakLens(cwd: string, ...args: string[]): Run {
  const run = runLeakLens(cwd, ...args);
  if (run.status !== 0 && run.status !== 1) throw new Error(`leak-lens ${args.join(' ')} exited with ${run.status}:\n${run.stderr}`);
  return run;
}

function report(cwd: string, ...args: string[]): JsonReport {
  return JSON.parse(leakLens(cwd, 'check', '--format', 'json', ...args).stdout) as JsonReport;
}

function rustFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.rs'))
    .sort()
    .map((f) => path.join(dir, f));
}

function sorted(findings: Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

describe('performance optimisations report exactly what the plain path reports', function () {
  this.timeout(120_000);

  before(function () {
    if (!fs.existsSync(CLI) || !fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  });

  describe('worker threads (--jobs)', () => {
    for (const format of ['json', 'text', 'sarif']) {
      it(`--jobs 2 and --jobs 3 print the same ${format} report as --jobs 1 on test-fixtures/, byte for byte`, () => {
        const single = leakLens(REPO_ROOT, 'check', 'test-fixtures', '--format', format, '--jobs', '1');
        for (const jobs of ['2', '3']) {
          const parallel = leakLens(REPO_ROOT, 'check', 'test-fixtures', '--format', format, '--jobs', jobs);
          assert.equal(parallel.stdout, single.stdout);
          assert.equal(parallel.stderr, single.stderr);
          assert.equal(parallel.status, single.status);
        }
      });
    }

    it('keeps errors and warnings in discovery order, whichever thread read the file', () => {
      const root = makeTree({
        'a_binary.rs': Buffer.from([0x66, 0x6e, 0x00, 0x01]),
        'b_latin1.rs': Buffer.from('// caf\xe9\nfn main() {}\n', 'latin1'),
        'c_typo.rs': 'fn main() {\n    // leak-lens: allow(box-leek)\n    Box::leak(Box::new(1));\n}\n',
        'd_ok.rs': 'static mut N: u32 = 0;\n',
        'e_typo.rs': '// leak-lens: allow(mem-forgot)\nfn f(v: Vec<u8>) { std::mem::forget(v) }\n',
      });
      try {
        const single = leakLens(root, 'check', '--format', 'json', '--jobs', '1');
        const parallel = leakLens(root, 'check', '--format', 'json', '--jobs', '4');
        assert.equal(parallel.stdout, single.stdout);
        assert.equal(parallel.stderr, single.stderr);
        const json = JSON.parse(single.stdout) as JsonReport;
        assert.deepEqual(
          json.errors.map((e) => e.file),
          ['a_binary.rs', 'b_latin1.rs'],
        );
        assert.match(single.stderr, /c_typo\.rs[^\n]*box-leek[\s\S]*e_typo\.rs[^\n]*mem-forgot/);
      } finally {
        removeTree(root);
      }
    });
  });

  describe('sharding (--shard i/n)', () => {
    const whole = () => report(REPO_ROOT, 'test-fixtures', '--jobs', '1');

    for (const count of [2, 3, 5]) {
      it(`the ${count} shards of test-fixtures/ together report exactly the unsharded findings, each file once`, () => {
        const all = whole();
        const shards = Array.from({ length: count }, (_, i) => report(REPO_ROOT, 'test-fixtures', '--shard', `${i + 1}/${count}`));
        assert.deepEqual(sorted(shards.flatMap((s) => s.findings)), sorted(all.findings));
        assert.equal(
          shards.reduce((n, s) => n + s.filesScanned, 0),
          all.filesScanned,
        );
        for (const [i, shard] of shards.entries()) {
          for (const finding of shard.findings) assert.equal(shardOf(finding.file, count), i + 1, `${finding.file} reported by shard ${i + 1}`);
        }
      });
    }

    it('pairs an into_raw with a from_raw that lives in another shard', () => {
      // Choose file names that land in different shards of two, so the pairing must cross shards.
      const names = Array.from({ length: 20 }, (_, i) => `m${i}.rs`);
      const give = names.find((n) => shardOf(n, 2) === 1)!;
      const take = names.find((n) => shardOf(n, 2) === 2)!;
      const root = makeTree({
        [give]: 'pub fn open() -> *mut u32 {\n    Box::into_raw(Box::new(7))\n}\n',
        [take]: 'pub unsafe fn close(p: *mut u32) {\n    drop(Box::from_raw(p));\n}\n',
      });
      try {
        const first = report(root, '--shard', '1/2', '--fail-on', 'none');
        assert.deepEqual(
          first.findings.map((f) => [f.file, f.rule, f.kind]),
          [[give, 'into-raw', 'reclaimed']],
        );
        assert.equal(first.findings[0].related[0]?.file, take);
        assert.deepEqual(report(root, '--shard', '2/2').findings, []);
      } finally {
        removeTree(root);
      }
    });

    it('judges a leaking function by its callers in another shard', () => {
      const names = Array.from({ length: 20 }, (_, i) => `f${i}.rs`);
      const leaks = names.find((n) => shardOf(n, 2) === 1)!;
      const calls = names.find((n) => shardOf(n, 2) === 2)!;
      const root = makeTree({
        [leaks]: 'pub fn intern(s: &str) -> &\'static str {\n    Box::leak(s.to_owned().into_boxed_str())\n}\n',
        [calls]: 'pub fn serve(names: &[&str]) {\n    for n in names {\n        let _k = intern(n);\n    }\n}\n',
      });
      try {
        const sharded = report(root, '--shard', '1/2');
        assert.deepEqual(sharded.findings, report(root).findings);
        assert.equal(sharded.findings[0]?.kind, 'real-leak');
      } finally {
        removeTree(root);
      }
    });
  });

  describe('the batched call-site search', () => {
    /** One search for all of `fns` against one search per function. */
    function assertSameCallSites(file: string, text: string, fns: FnRef[]): void {
      const each = findCallSitesOfEach(file, text, fns);
      assert.deepEqual(each, fns.map((fn) => findCallSites(file, text, fn)), `${file}: ${fns.map((f) => f.name).join(', ')}`);
    }

    const fn = (name: string, implType?: string): FnRef => ({ name, implType, file: 'lib.rs', line: 1 });

    it('finds, for names that are prefixes or suffixes of each other, what one search per name finds', () => {
      const text = [
        'fn init() {}',
        'fn try_init() { init(); }',
        'fn init_from_env() { try_init(); }',
        'fn a() { for _ in 0..3 { init_from_env(); Builder::init(); b.init(); self::init ::<u8>(); } }',
        'fn c() { println!("{}", try_init()); let uninit = init; }',
        'impl Builder { fn init() {} fn d() { Self::init(); } }',
      ].join('\n');
      const fns = [fn('init'), fn('try_init'), fn('init_from_env'), fn('init', 'Builder'), fn('nothing_calls_me')];
      const each = findCallSitesOfEach('lib.rs', text, fns);
      assert.deepEqual(
        each.map((sites) => sites.filter((s) => s.context !== 'definition').length),
        [2, 2, 1, 3, 0],
        'init: in try_init and self::init::<u8>; try_init: in init_from_env and println!; Builder::init: Builder::init, b.init, Self::init',
      );
      assert.deepEqual(
        each.map((sites) => sites.filter((s) => s.context === 'definition').map((s) => s.range.start.line + 1)),
        [[1], [2], [3], [], []],
        'the module-level definitions of the free functions, not the associated `Builder::init`',
      );
      assertSameCallSites('lib.rs', text, fns);
    });

    it('takes a non-ASCII function name as present without scanning for it', () => {
      const text = 'fn crée() {}\nfn main() { loop { crée(); } }\n';
      assertSameCallSites('lib.rs', text, [fn('crée'), fn('main')]);
      assert.equal(findCallSitesOfEach('lib.rs', text, [fn('crée'), fn('main')])[0].filter((s) => s.context !== 'definition').length, 1);
    });

    it('agrees with one search per function on every fixture, for the functions the fixtures leak through', () => {
      const files = rustFiles(FIXTURES);
      const fns = new Map<string, FnRef>();
      for (const file of files) {
        for (const site of extractFacts(file, fs.readFileSync(file, 'utf8')).sites) {
          if (site.decision.type === 'callers') fns.set(`${site.decision.fn.implType}::${site.decision.fn.name}`, site.decision.fn);
        }
      }
      assert.ok(fns.size >= 5, `only ${fns.size} leaking functions in the fixtures`);
      for (const file of files) assertSameCallSites(path.relative(REPO_ROOT, file), fs.readFileSync(file, 'utf8'), [...fns.values(), fn('new'), fn('new', 'Box'), fn('leak', 'Box')]);
    });
  });

  describe('the text pre-filter', () => {
    /** Facts with a tree given (the engine then always parses) against facts found on its own. */
    function assertSameFacts(file: string, text: string): void {
      const filtered = extractFacts(file, text);
      const parsed = extractFacts(file, text, parseRust(text));
      assert.deepEqual(comparable(filtered), comparable(parsed), file);
    }

    /**
     * `hasSyntaxErrors` of a file the filter skipped is unknown (it was never parsed) and only
     * ever shows in the reasons of the file's findings, of which a skipped file has none.
     */
    function comparable(facts: FileFacts): unknown {
      const hasFindings = facts.sites.length > 0;
      return { ...facts, hasSyntaxErrors: hasFindings ? facts.hasSyntaxErrors : undefined };
    }

    it('never changes the facts of any fixture', () => {
      const files = rustFiles(FIXTURES);
      assert.ok(files.length > 20, 'fixtures not found');
      for (const file of files) assertSameFacts(path.relative(REPO_ROOT, file), fs.readFileSync(file, 'utf8'));
    });

    it('skips only files in which parsing finds no site, reclaim or leaking method (a sample of the Rust standard library)', function () {
      if (!fs.existsSync(STD_SOURCES)) this.skip();
      // Every 8th file the filter rejects: enough real code to catch a missing trigger word,
      // few enough to keep the suite fast.
      const skipped = rustFiles(STD_SOURCES).filter((f) => !mayContainSites(fs.readFileSync(f, 'utf8')));
      assert.ok(skipped.length > 100);
      for (const file of skipped.filter((_, i) => i % 8 === 0)) assertSameFacts(file, fs.readFileSync(file, 'utf8'));
    });
  });
});
