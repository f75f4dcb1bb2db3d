/**
 * The CLI on inputs a stranger can push: special files, meaningless settings, absurd options.
 * Each one ends the run with an explanation, and the rest of the workspace is still analyzed.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JsonReport } from '../../../shared/src/findings';
import { Run, leakLens, leakLensBytes, makeTree, removeTree } from './helpers';

const LOOP_LEAK = 'fn main() {\n    loop {\n        Box::leak(Box::new(1));\n    }\n}\n';

function json(run: Run): JsonReport {
  assert.notEqual(run.status, null, `the run hung or was killed\n${run.stderr}`);
  return JSON.parse(run.stdout) as JsonReport;
}

describe('leak-lens on hostile input', function () {
  this.timeout(60_000);
  let root: string;
  afterEach(() => removeTree(root));

  describe('special files', () => {
    it('reports a named pipe given as a source file instead of waiting for a writer', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK });
      execFileSync('mkfifo', [path.join(root, 'x.rs')]);
      const run = leakLens(root, 'check', 'x.rs', 'src', '--format', 'json');
      const report = json(run);
      assert.equal(run.status, 1);
      assert.deepEqual(report.errors, [{ file: 'x.rs', message: 'cannot read: not a regular file (a named pipe)' }]);
      assert.equal(report.findings.length, 1);
    });

    it('reports a link to /dev/zero given as a source file instead of reading it without end', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK });
      fs.symlinkSync('/dev/zero', path.join(root, 'z.rs'));
      const report = json(leakLens(root, 'check', 'z.rs', 'src', '--format', 'json'));
      assert.deepEqual(report.errors, [{ file: 'z.rs', message: 'cannot read: not a regular file (a character device)' }]);
      assert.equal(report.findings.length, 1);
    });

    it('reports a named pipe given as --config and applies the defaults', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK });
      execFileSync('mkfifo', [path.join(root, 'fifo.toml')]);
      const report = json(leakLens(root, 'check', '--config', 'fifo.toml', '--format', 'json'));
      assert.deepEqual(report.errors, [{ file: 'fifo.toml', message: 'cannot read config: not a regular file (a named pipe)' }]);
      assert.equal(report.findings.length, 1);
    });

    it('reports a leak-lens.toml that is a named pipe and applies the defaults', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK });
      execFileSync('mkfifo', [path.join(root, 'leak-lens.toml')]);
      const report = json(leakLens(root, 'check', '--format', 'json'));
      assert.deepEqual(report.errors, [{ file: 'leak-lens.toml', message: 'cannot read config: not a regular file (a named pipe)' }]);
      assert.equal(report.findings.length, 1);
    });

    it('walks past a .gitignore that is a named pipe as if it were absent', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK, '.git/HEAD': '' });
      execFileSync('mkfifo', [path.join(root, 'src', '.gitignore')]);
      const report = json(leakLens(root, 'check', '--format', 'json'));
      assert.equal(report.findings.length, 1);
    });
  });

  describe('file names that are not valid UTF-8', () => {
    /** Writes `text` to the file of `root` named by `name`'s bytes. */
    const writeRaw = (name: number[], text: string) => fs.writeFileSync(Buffer.concat([Buffer.from(`${root}/`), Buffer.from(name)]), text);

    it('analyzes such a file, naming it with \\xHH for each bad byte in JSON and text', () => {
      root = makeTree({ 'lib.rs': '' });
      writeRaw([0xff, 0xfe, ...Buffer.from('.rs')], LOOP_LEAK);
      const report = json(leakLens(root, 'check', '--format', 'json'));
      assert.deepEqual(report.errors, []);
      assert.deepEqual(report.findings.map((f) => [f.file, f.rule, f.range.start.line]), [[String.raw`\xFF\xFE.rs`, 'box-leak', 2]]);
      assert.match(leakLens(root, 'check').stdout, /--> \\xFF\\xFE\.rs:3:9\n/);
    });

    it('gives SARIF the URI of the file itself: its name\'s bytes percent-encoded', () => {
      root = makeTree({ 'src/lib.rs': '' });
      fs.rmSync(path.join(root, 'src/lib.rs'));
      fs.writeFileSync(Buffer.concat([Buffer.from(`${root}/src/`), Buffer.from([0x5c, 0xe9]), Buffer.from('.rs')]), LOOP_LEAK);
      const log = JSON.parse(leakLens(root, 'check', '--format', 'sarif').stdout);
      const uris = log.runs[0].results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri);
      assert.deepEqual(uris, ['src/%5C%E9.rs']);
    });

    it('walks a directory whose name is not valid UTF-8, and gives SARIF the URI of its bytes', () => {
      root = makeTree({});
      const dir = Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0xe9])]);
      fs.mkdirSync(dir);
      fs.writeFileSync(Buffer.concat([dir, Buffer.from('/lib.rs')]), LOOP_LEAK);
      assert.deepEqual(json(leakLens(root, 'check', '--format', 'json')).findings.map((f) => f.file), [String.raw`\xE9/lib.rs`]);
      const log = JSON.parse(leakLens(root, 'check', '--format', 'sarif').stdout);
      assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, '%E9/lib.rs');
    });

    it('reports the same findings with --jobs 2, whose worker opens such files by their bytes', () => {
      root = makeTree({});
      for (let i = 0; i < 8; i++) writeRaw([0x61 + i, 0xff, ...Buffer.from('.rs')], LOOP_LEAK);
      const one = leakLens(root, 'check', '--format', 'json', '--jobs', '1');
      const two = leakLens(root, 'check', '--format', 'json', '--jobs', '2');
      assert.equal(json(one).findings.length, 8);
      assert.equal(two.stdout, one.stdout);
    });

    describe('named on the command line (Node.js decodes argv; the bytes come from /proc/self/cmdline)', () => {
      const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));

      it('analyzes such a file, under the name a walk of its directory gives it', () => {
        root = makeTree({ 'lib.rs': LOOP_LEAK });
        writeRaw([0xff, 0xfe, ...Buffer.from('.rs')], LOOP_LEAK);
        const run = leakLensBytes(root, [], 'check', bytes([0xff, 0xfe], '.rs'), '--format', 'json');
        assert.equal(run.status, 1, run.stderr);
        assert.deepEqual(json(run).findings.map((f) => f.file), [String.raw`\xFF\xFE.rs`]);
        const log = JSON.parse(leakLensBytes(root, [], 'check', bytes(`${root}/`, [0xff, 0xfe], '.rs'), '--format', 'sarif').stdout);
        assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, '%FF%FE.rs');
      });

      it('finds the arguments after options given to Node.js itself', () => {
        root = makeTree({});
        writeRaw([0xff, ...Buffer.from('.rs')], LOOP_LEAK);
        const run = leakLensBytes(root, ['--no-warnings', '--stack-size=2000'], 'check', bytes([0xff], '.rs'), '--format', 'json');
        assert.deepEqual(json(run).findings.map((f) => f.file), [String.raw`\xFF.rs`]);
      });

      it('walks such a directory', () => {
        root = makeTree({ 'other/lib.rs': LOOP_LEAK });
        fs.mkdirSync(bytes(`${root}/`, [0xe9]));
        fs.writeFileSync(bytes(`${root}/`, [0xe9], '/lib.rs'), LOOP_LEAK);
        const run = leakLensBytes(root, [], 'check', bytes([0xe9]), '--format', 'json');
        assert.deepEqual(json(run).findings.map((f) => f.file), [String.raw`\xE9/lib.rs`]);
      });

      it('reads such a --config, in each spelling, and writes such an --output', () => {
        root = makeTree({ 'src/main.rs': LOOP_LEAK });
        fs.writeFileSync(bytes(`${root}/c`, [0xff], '.toml'), '[rules]\nbox-leak = "allow"\n');
        for (const config of [['--config', bytes('c', [0xff], '.toml')], [bytes('--config=c', [0xff], '.toml')], [bytes('-cc', [0xff], '.toml')]]) {
          const run = leakLensBytes(root, [], 'check', 'src', ...config, '--format', 'json', '--output', bytes('out', [0xfa], '.json'));
          assert.equal(run.status, 0, run.stderr);
          const report = JSON.parse(fs.readFileSync(bytes(`${root}/out`, [0xfa], '.json'), 'utf8')) as JsonReport;
          assert.deepEqual([report.errors, report.findings], [[], []]);
        }
      });

      it('names such a file that does not exist by its bytes, and fails the run as a typo', () => {
        root = makeTree({ 'lib.rs': LOOP_LEAK });
        const run = leakLensBytes(root, [], 'check', bytes([0xff, 0xfd], '.rs'), 'lib.rs');
        assert.equal(run.status, 2);
        assert.equal(run.stderr, 'error: \\xFF\\xFD.rs: no such file or directory\n');
      });

      it('says a name with U+FFFD that names nothing may not be valid UTF-8', () => {
        root = makeTree({});
        const run = leakLens(root, 'check', '\uFFFD.rs');
        assert.equal(run.status, 2);
        assert.match(run.stderr, /^error: \uFFFD\.rs: no such file or directory \(if the name is not valid UTF-8: .*name its directory instead\)\n$/);
      });
    });
  });

  describe('line ends', () => {
    it('counts a lone CR as a line end in positions and quotes the right line', () => {
      root = makeTree({ 'cr.rs': 'fn a() {}\rfn main() {\r    Box::leak(Box::new(1));\r}\r' });
      const report = json(leakLens(root, 'check', '--format', 'json'));
      assert.deepEqual(
        report.findings.map((f) => [f.rule, f.range]),
        [['box-leak', { start: { line: 2, character: 4 }, end: { line: 2, character: 26 } }]],
      );
      const text = leakLens(root, 'check');
      assert.match(text.stdout, /--> cr\.rs:3:5\n +\|\n3 \|     Box::leak\(Box::new\(1\)\);\n +\| +\^{22}\n/);
    });
  });

  describe('many findings', () => {
    it('says when one file has an absurd number of findings, and still reports them all', () => {
      root = makeTree({ 'gen.rs': `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(1000)}}\n`, 'src/main.rs': LOOP_LEAK });
      const run = leakLens(root, 'check', '--format', 'json');
      assert.equal(json(run).findings.length, 1001);
      assert.equal(run.stderr, 'warning: gen.rs: 1,000 findings in this one file; if it is generated, leave it out with `exclude` in leak-lens.toml\n');
    });
  });

  describe('dense files', () => {
    it('refuses a small file whose tree its analysis could not share the memory bound with, and analyzes the rest', () => {
      // 60,000 nested blocks around a leak: 120 KB, 240,000 nodes; (28 MiB + 20 × 120,047 − 3,000) / 230 = 138,078 allowed.
      root = makeTree({ 'gen.rs': `fn main() {\n${'{'.repeat(60_000)}loop { Box::leak(Box::new(1)); }${'}'.repeat(60_000)}\n}\n`, 'src/main.rs': LOOP_LEAK });
      const report = json(leakLens(root, 'check', '--format', 'json'));
      assert.deepEqual(report.findings.map((f) => f.file), ['src/main.rs']);
      assert.deepEqual(report.errors.map((e) => e.file), ['gen.rs']);
      assert.match(report.errors[0].message, /^too dense to analyse within memory bounds: its syntax tree would have over [\d,]+ nodes \(counted in pieces of 64 KB\), more than the 138,078 allowed for 120,047 characters and 1 possible leak site \(/);
    });

    it('refuses a file whose syntax tree is far denser than code, with an input error, and analyzes the rest', () => {
      // 60,000 statements: 1.7 MB, 1,140,000 nodes (19 per statement) and 60,000 sites of 3 KB in
      // a memory bound of 20 bytes per character and 28 MB: (28 MiB + 20 × 1,680,014) / 3,000 = 20,986.
      root = makeTree({ 'gen.rs': `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(60_000)}}\n`, 'src/main.rs': LOOP_LEAK });
      const run = leakLens(root, 'check', '--format', 'json');
      const report = json(run);
      assert.deepEqual(report.findings.map((f) => f.file), ['src/main.rs']);
      assert.deepEqual(report.errors.map((e) => e.file), ['gen.rs']);
      assert.equal(report.errors[0].message, 'too dense to analyse within memory bounds: it may hold 60,000 leak sites, more than 20,986 for 1,680,014 characters; if it is generated, leave it out with `exclude` in leak-lens.toml');
      assert.equal(report.filesScanned, 2);
      assert.equal(run.status, 1, 'the leak in src/main.rs still fails the run');
    });
  });

  describe('settings', () => {
    it('reports exclude patterns that match nothing and analyzes everything else', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK, 'gen/a.rs': LOOP_LEAK, 'leak-lens.toml': 'exclude = ["", "./", "gen/**"]\n' });
      const run = leakLens(root, 'check', '--format', 'json');
      assert.equal(run.status, 1, run.stderr);
      assert.deepEqual(json(run).errors, [
        { file: 'leak-lens.toml', message: 'line 1: exclude pattern "" matches nothing; ignored' },
        { file: 'leak-lens.toml', message: 'line 1: exclude pattern "./" matches nothing; ignored' },
      ]);
      assert.deepEqual(
        json(run).findings.map((f) => f.file),
        ['src/main.rs'],
      );
    });

    it('runs no more threads than there are cores, whatever --jobs asks for', () => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 64; i++) files[`src/f${i}.rs`] = LOOP_LEAK;
      root = makeTree(files);
      const run = leakLens(root, 'check', '--jobs', '10000', '--timings', '--quiet');
      assert.equal(run.status, 1, run.stderr);
      const threads = [...run.stderr.matchAll(/phase one, thread \d+ of (\d+)/g)].map((m) => Number(m[1]));
      assert.ok(threads.length > 0, run.stderr);
      assert.equal(threads[0], Math.min(os.availableParallelism(), 64));
    });
  });
});
