/**
 * End-to-end: the built `leak-lens` executable in a child process, as CI runs it. Relies on
 * `npm run build` having produced `dist/cli.js` (`npm test` builds first). The Rust snippets are
 * chosen so their findings are beyond doubt; the formatters' details are unit-tested elsewhere.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonReport } from '../../../shared/src/findings';
import { CLI, REPO_ROOT, Run, leakLens, makeTree, removeTree } from './helpers';

const LOOP_LEAK = 'fn main() {\n    loop {\n        Box::leak(Box::new(1));\n    }\n}\n';
const STATIC_MUT = 'static mut X: i32 = 0;\n';
const CLEAN = 'fn main() {\n    println!("hello");\n}\n';

function json(run: Run): JsonReport {
  return JSON.parse(run.stdout) as JsonReport;
}

describe('leak-lens executable', function () {
  let root: string;

  before(function () {
    if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
  });
  afterEach(() => removeTree(root));

  describe('exit status', () => {
    it('is 0 when nothing is found', () => {
      root = makeTree({ 'src/main.rs': CLEAN });
      const run = leakLens(root, 'check');
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^leak-lens: no findings in 1 file scanned$/m);
    });

    it('is 1 when a warning is found under the default --fail-on warning', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK });
      assert.equal(leakLens(root, 'check').status, 1);
    });

    it('is 0 when every finding is below --fail-on', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK });
      assert.equal(leakLens(root, 'check', '--fail-on', 'error').status, 0);
    });

    it('is 0 with --fail-on none whatever is found', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK });
      assert.equal(leakLens(root, 'check', '--fail-on', 'none').status, 0);
    });

    it("takes the threshold from the config's fail-on when the flag is absent", () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK, 'leak-lens.toml': 'fail-on = "error"\n' });
      assert.equal(leakLens(root, 'check').status, 0);
    });

    it('lets --fail-on override the config', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK, 'leak-lens.toml': 'fail-on = "error"\n' });
      assert.equal(leakLens(root, 'check', '--fail-on', 'warning').status, 1);
    });

    it('is 1 under --fail-on error when the config denies the rule', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK, 'leak-lens.toml': '[rules]\nbox-leak = "deny"\n' });
      const run = leakLens(root, 'check', '--fail-on', 'error', '--format', 'json');
      assert.equal(run.status, 1);
      assert.deepEqual(
        json(run).findings.map((f) => f.severity),
        ['error'],
      );
    });

    it('is not changed by unreadable files found while walking', () => {
      root = makeTree({ 'src/main.rs': CLEAN, 'src/blob.rs': Buffer.from([0, 1, 2]) });
      const run = leakLens(root, 'check', 'src');
      assert.equal(run.status, 0);
      assert.match(run.stderr, /^error: src\/blob\.rs: binary file/m);
    });

    it('is 2 for a path that does not exist, named next to one that does', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK });
      const run = leakLens(root, 'check', 'src/', 'typo/');
      assert.equal(run.status, 2, run.stderr);
      assert.equal(run.stderr, 'error: typo: no such file or directory\n');
      assert.equal(run.stdout, '');
    });

    for (const [what, args] of [
      ['an unknown format', ['check', '--format', 'xml']],
      ['an unknown --fail-on value', ['check', '--fail-on', 'loud']],
      ['a malformed --max-file-size', ['check', '--max-file-size', 'big']],
      ['an unknown option', ['check', '--frobnicate']],
      ['an unknown subcommand', ['chekc']],
      ['a missing --config file', ['check', '--config', 'nope.toml']],
      ['an unknown rule to explain', ['explain', 'box-leek']],
      ['no subcommand', []],
    ] as const) {
      it(`is 2 for ${what}`, () => {
        root = makeTree({ 'main.rs': CLEAN });
        const run = leakLens(root, ...args);
        assert.equal(run.status, 2, run.stderr);
        assert.equal(run.stdout.includes('findings'), false);
      });
    }
  });

  describe('check', () => {
    it('reports a Box::leak in a loop as a real-leak warning', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK });
      const findings = json(leakLens(root, 'check', '--format', 'json')).findings;
      assert.deepEqual(
        findings.map((f) => [f.rule, f.kind, f.severity]),
        [['box-leak', 'real-leak', 'warning']],
      );
    });

    it('reports a static mut as a static-mut warning', () => {
      root = makeTree({ 'src/lib.rs': STATIC_MUT });
      const findings = json(leakLens(root, 'check', '--format', 'json')).findings;
      assert.deepEqual(
        findings.map((f) => [f.rule, f.severity]),
        [['static-mut', 'warning']],
      );
    });

    it('honours a suppression comment', () => {
      root = makeTree({ 'src/lib.rs': '// leak-lens: allow(static-mut) FFI needs a mutable global\n' + STATIC_MUT });
      const run = leakLens(root, 'check');
      assert.equal(run.status, 0);
      assert.match(run.stdout, /no findings/);
    });

    it('warns about an unknown rule in a suppression comment', () => {
      root = makeTree({ 'src/lib.rs': '// leak-lens: allow(static-mutt)\n' + STATIC_MUT });
      const run = leakLens(root, 'check');
      assert.match(run.stderr, /^warning: src\/lib\.rs: line 1: unknown rule `static-mutt` in suppression comment \(did you mean `static-mut`\?\)/m);
    });

    it('prints paths relative to the working directory with forward slashes', () => {
      root = makeTree({ 'crate/src/main.rs': LOOP_LEAK });
      const run = leakLens(path.join(root, 'crate'), 'check', path.join(root, 'crate', 'src'), '--format', 'json');
      assert.equal(json(run).findings[0].file, 'src/main.rs');
      assert.match(leakLens(root, 'check').stdout, /^ --> crate\/src\/main\.rs:3:9$/m);
    });

    it('analyzes the current directory by default, skipping target/', () => {
      root = makeTree({ 'src/main.rs': CLEAN, 'target/debug/gen.rs': LOOP_LEAK });
      const report = json(leakLens(root, 'check', '--format', 'json'));
      assert.equal(report.filesScanned, 1);
      assert.deepEqual(report.findings, []);
    });

    it('applies exclude globs from leak-lens.toml', () => {
      root = makeTree({ 'src/main.rs': CLEAN, 'generated/leaks.rs': LOOP_LEAK, 'leak-lens.toml': 'exclude = ["generated/**"]\n' });
      assert.equal(leakLens(root, 'check').status, 0);
    });

    it('reports problems in leak-lens.toml and still applies its valid parts', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK, 'leak-lens.toml': '[rules]\nbox-leek = "deny"\nbox-leak = "allow"\n' });
      const run = leakLens(root, 'check', '--format', 'json');
      assert.equal(run.status, 0);
      assert.deepEqual(json(run).errors, [{ file: 'leak-lens.toml', message: 'line 2: unknown rule `box-leek` in [rules] (did you mean `box-leak`?); `leak-lens rules` lists them' }]);
    });

    it('writes the report to --output and nothing to standard output', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK });
      const run = leakLens(root, 'check', '--format', 'json', '--output', 'report.json');
      assert.equal(run.stdout, '');
      assert.equal(run.status, 1);
      assert.equal(JSON.parse(fs.readFileSync(path.join(root, 'report.json'), 'utf8')).findings.length, 1);
    });

    it('does not colour output that is not a terminal', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK });
      assert.doesNotMatch(leakLens(root, 'check').stdout, /\x1b\[/);
    });

    it('leaves out the summary with --quiet', () => {
      root = makeTree({ 'src/main.rs': LOOP_LEAK });
      const run = leakLens(root, 'check', '--quiet');
      assert.match(run.stdout, /^warning\[box-leak\]/m);
      assert.doesNotMatch(run.stdout, /^leak-lens:/m);
    });

    it('prints where the time went to standard error with --timings, leaving the report as it was', () => {
      // A leaking function and its caller in another file: the cross-file pass searches for calls.
      root = makeTree({ 'src/a.rs': "pub fn intern(s: String) -> &'static str {\n    Box::leak(s.into_boxed_str())\n}\n", 'src/b.rs': 'fn main() {\n    loop {\n        crate::a::intern(String::new());\n    }\n}\n' });
      const plain = leakLens(root, 'check', '--format', 'json', '--jobs', '2');
      for (const jobs of ['1', '2']) {
        const timed = leakLens(root, 'check', '--format', 'json', '--jobs', jobs, '--timings');
        assert.equal(timed.stdout, plain.stdout);
        assert.match(timed.stderr, /^timings: discovery \d+ ms, phase one \d+ ms, cross-file pass \d+ ms, report \d+ ms; total \d+ ms$/m);
        const threads = [...timed.stderr.matchAll(/^ {2}phase one, thread (\d) of (\d): (\d+) files, reading \d+ ms, analysis \d+ ms$/gm)];
        assert.equal(threads.length, Number(jobs), timed.stderr);
        assert.equal(threads.reduce((n, m) => n + Number(m[3]), 0), 2, 'every file counted once');
        assert.match(timed.stderr, /^ {2}cross-file pass: call sites of 1 function in 1 round, \d+ ms$/m);
        assert.match(timed.stderr, /^ {2}cpu time, all threads: \d+ ms \(user \d+ ms, system \d+ ms\) in \d+ ms since process start, \d+\.\d\d cores busy on average$/m);
        // What bench/pathological.mjs compares between sizes: at most the whole process's.
        const command = Number(/^ {2}cpu time of the command, all threads: (\d+) ms$/m.exec(timed.stderr)?.[1]);
        assert.ok(command <= Number(/cpu time, all threads: (\d+) ms/.exec(timed.stderr)?.[1]), timed.stderr);
      }
      assert.doesNotMatch(plain.stderr, /timings/);
    });

    it('survives a file with a syntax error', () => {
      root = makeTree({ 'src/broken.rs': 'fn main( {\n    Box::leak(Box::new(1))\n', 'src/main.rs': LOOP_LEAK });
      const run = leakLens(root, 'check', '--format', 'json');
      assert.equal(run.status, 1, run.stderr);
      assert.ok(json(run).findings.some((f) => f.file === 'src/main.rs'));
    });
  });

  describe('bad inputs', () => {
    function badTree(): string {
      const dir = makeTree({
        'src/main.rs': LOOP_LEAK,
        'src/latin1.rs': Buffer.from([0x2f, 0x2f, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]),
        'src/binary.rs': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x00]),
        'src/huge.rs': `// ${'x'.repeat(4096)}\n`,
      });
      fs.symlinkSync(path.join(dir, 'src'), path.join(dir, 'src', 'loop'));
      return dir;
    }

    it('each get one error entry in the JSON report while the rest is analyzed', () => {
      root = badTree();
      const run = leakLens(root, 'check', 'src', '--format', 'json', '--max-file-size', '1K');
      assert.equal(run.status, 1);
      const report = json(run);
      assert.equal(report.filesScanned, 1);
      assert.deepEqual(
        report.errors.map((e) => e.file),
        ['src/loop', 'src/binary.rs', 'src/huge.rs', 'src/latin1.rs'],
      );
      assert.equal(report.findings.length, 1);
    });

    it('keep the SARIF report valid JSON with one notification each', () => {
      root = badTree();
      const run = leakLens(root, 'check', 'src', '--format', 'sarif', '--max-file-size', '1K');
      const log = JSON.parse(run.stdout);
      assert.equal(log.runs[0].invocations[0].toolExecutionNotifications.length, 4);
      assert.equal(log.runs[0].results.length, 1);
    });
  });

  describe('rules and explain', () => {
    it('rules lists every rule id with its title', () => {
      root = makeTree();
      const run = leakLens(root, 'rules');
      assert.equal(run.status, 0);
      for (const id of ['box-leak', 'into-raw', 'mem-forget', 'static-mut', 'rc-cycle', 'shared-to-mut-cast']) assert.match(run.stdout, new RegExp(`^${id} +\\S`, 'm'));
    });

    it('explain prints the explanation, run-time behaviour, fixes and documentation link', () => {
      root = makeTree();
      const run = leakLens(root, 'explain', 'box-leak');
      assert.equal(run.status, 0);
      assert.match(run.stdout, /^box-leak: Box::leak and friends$/m);
      assert.match(run.stdout, /^At run time$/m);
      assert.match(run.stdout, /^ {2}1\. Keep the value owned instead of leaking it$/m);
      assert.match(run.stdout, /docs\/rules\/box-leak\.md/);
    });

    it('--version prints the package version', () => {
      root = makeTree();
      const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
      assert.equal(leakLens(root, '--version').stdout.trim(), version);
    });
  });

  describe('lsp', () => {
    it('starts the language server, which answers initialize over --stdio', function (done) {
      root = makeTree();
      // The server bundle is built from another part of the tree; without it there is nothing to start.
      if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'server.js'))) this.skip();
      const child = spawn(process.execPath, [CLI, 'lsp', '--stdio'], { cwd: root });
      const message = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
      let output = '';
      let answered = false;
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (!answered && output.includes('"capabilities"')) {
          answered = true;
          child.kill();
          done();
        }
      });
      child.on('exit', (code) => {
        if (!answered) done(new Error(`language server exited with ${code} before answering: ${output}`));
      });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
    });
  });
});
