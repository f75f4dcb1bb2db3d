/**
 * Where the report goes when the output is hostile: a standard output that fails or closes early
 * still ends the run with a status that says what happened.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { CLI, makeTree, removeTree } from './helpers';

const LOOP_LEAK = 'fn main() {\n    loop {\n        Box::leak(Box::new(1));\n    }\n}\n';

describe('leak-lens output on hostile input', function () {
  this.timeout(60_000);

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
