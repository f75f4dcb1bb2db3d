/**
 * Where the report goes when the input or the output is hostile: control characters in a
 * stranger's source lines and file names never reach the terminal as controls, and a standard
 * output that fails or closes early still ends the run with a status that says what happened.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatText } from '../../src/cli/format-text';
import { CLI, finding, makeTree, removeTree, report } from './helpers';

const LOOP_LEAK = 'fn main() {\n    loop {\n        Box::leak(Box::new(1));\n    }\n}\n';
/** C0 controls (tab and line feed aside), DEL, C1 controls, bidirectional controls. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('leak-lens output on hostile input', function () {
  this.timeout(60_000);

  describe('control characters in the text report', () => {
    it('shows those of a quoted source line as visible characters, the underline still under the span', () => {
      // An escape that erases the line above, a bell, and a right-to-left override before the leak.
      const line = '    /* \x1b[1A\x1b[2K \x07 \u202e */ Box::leak(Box::new(1));';
      const start = line.indexOf('Box::leak');
      const f = finding({ range: { start: { line: 1, character: start }, end: { line: 1, character: start + 22 } } });
      const text = formatText(report({ findings: [f], sources: new Map([['src/main.rs', `fn main() {\n${line}\n}\n`]]) }), { summary: false });
      const [quoted, carets] = text.split('\n').slice(3, 5);
      assert.doesNotMatch(text, CONTROL);
      assert.equal(quoted, '2 |     /* ␛[1A␛[2K ␇ \uFFFD */ Box::leak(Box::new(1));');
      assert.equal(carets.indexOf('^'), quoted.indexOf('Box::leak'));
    });

    it('keeps a file name holding a line feed, a carriage return or an escape on its one `-->` line', () => {
      const file = 'src/a\nb\r\x1b[2J.rs';
      const text = formatText(report({ findings: [finding({ file })], sources: new Map([[file, 'fn main() {\n    let s = Box::leak(Box::new(x));\n}\n']]) }), { summary: false });
      assert.match(text, /^ --> src\/a␊b␍␛\[2J\.rs:2:13$/m);
      assert.doesNotMatch(text, CONTROL);
    });

    it('shows them in the input errors written to standard error', () => {
      const root = makeTree({ 'src/main.rs': LOOP_LEAK });
      try {
        fs.writeFileSync(path.join(root, 'src', 'bad\x1b]0;owned\x07.rs'), Buffer.from([0x66, 0x6e, 0xff]));
        const run = spawnSync(process.execPath, [CLI, 'check', 'src'], { cwd: root, encoding: 'utf8' });
        assert.equal(run.status, 1, run.stderr);
        assert.match(run.stderr, /^error: src\/bad␛\]0;owned␇\.rs: invalid UTF-8 at byte 2/m);
        assert.doesNotMatch(run.stderr, CONTROL);
      } finally {
        removeTree(root);
      }
    });
  });

  describe('standard output', () => {
    let root: string;
    beforeEach(() => (root = makeTree({ 'src/main.rs': LOOP_LEAK.replace('Box::leak(Box::new(1));', 'Box::leak(Box::new(1));\n'.repeat(300)) })));
    afterEach(() => removeTree(root));

    it('says the report could not be written when standard output refuses writes, with status 2', () => {
      const full = fs.openSync('/dev/full', 'w');
      try {
        const run = spawnSync(process.execPath, [CLI, 'check', '--format', 'json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', full, 'pipe'] });
        assert.equal(run.status, 2, run.stderr);
        assert.match(run.stderr, /^error: cannot write report to standard output: ENOSPC/m);
        assert.doesNotMatch(run.stderr, /\n\s+at /);
      } finally {
        fs.closeSync(full);
      }
    });

    for (const format of ['text', 'json', 'sarif']) {
      it(`exits with the findings' status when the reader closes the pipe early (${format})`, async () => {
        const child = spawn(process.execPath, [CLI, 'check', '--format', format], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
        child.stdout.once('data', () => child.stdout.destroy());
        const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
        assert.equal(status, 1);
      });
    }
  });
});
