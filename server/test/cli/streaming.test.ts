/**
 * Reports go out in pieces: a report larger than V8's longest string (a generated file with a
 * million findings) would otherwise be lost. The pieces must add up to exactly the document a
 * whole `JSON.stringify` gives, and the CLI must write them in bounded writes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCheck } from '../../src/cli/check';
import { jsonChunks, toJsonReport } from '../../src/cli/format-json';
import { sarifChunks, toSarifLog } from '../../src/cli/format-sarif';
import { STREAMED_ARRAY, prettyJsonChunks } from '../../src/cli/json-chunks';
import { CliIo } from '../../src/cli/io';
import { initParser } from '../../src/parsing/parser';
import { finding, makeTree, removeTree, report } from './helpers';

describe('streamed reports', () => {
  for (const count of [0, 1, 3]) {
    const findings = Array.from({ length: count }, (_, i) => finding({ range: { start: { line: i, character: 1 }, end: { line: i, character: 5 } } }));

    it(`JSON with ${count} finding(s) is byte for byte JSON.stringify of the whole report`, () => {
      const r = report({ findings, errors: [{ file: 'a.rs', message: 'binary' }] });
      assert.equal([...jsonChunks(r)].join(''), JSON.stringify(toJsonReport(r), null, 2) + '\n');
    });

    it(`SARIF with ${count} result(s) is byte for byte JSON.stringify of the whole log`, () => {
      const r = report({ findings });
      const options = { toolVersion: '1.2.3', cwd: '/work' };
      assert.equal([...sarifChunks(r, options)].join(''), JSON.stringify(toSarifLog(r, options), null, 2) + '\n');
    });
  }

  it('places the streamed array at any depth with its indentation', () => {
    const doc = { a: { b: [{ c: STREAMED_ARRAY }] }, d: 1 };
    const items = [{ x: [1, 2] }, 'y'];
    const expected = JSON.stringify({ a: { b: [{ c: items }] }, d: 1 }, null, 2) + '\n';
    assert.equal([...prettyJsonChunks(doc, items)].join(''), expected);
  });

  describe('the CLI', () => {
    let root: string;
    before(() => initParser());
    afterEach(() => removeTree(root));

    it('writes a large report in bounded pieces, not as one string', async () => {
      root = makeTree({ 'many.rs': `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(2000)}}\n` });
      const writes: string[] = [];
      const io: CliIo = {
        stdout: { write: (text: string) => writes.push(text) },
        stderr: { write: () => true },
        cwd: root,
        env: {},
        entryScript: path.join(root, 'unused.js'),
      };
      const status = await runCheck({ paths: [], format: 'json', maxFileSize: 1 << 20, color: false, quiet: true, jobs: 1 }, io);
      assert.equal(status, 1);
      const whole = writes.join('');
      assert.equal(JSON.parse(whole).findings.length, 2000);
      assert.ok(writes.length > 4, `${writes.length} write(s) of ${whole.length} characters`);
      // A batch of 16 KB and the finding that fills it: larger writes' buffers stay until a full collection.
      assert.ok(Math.max(...writes.map((w) => w.length)) < 20 * 1024, `writes of up to ${Math.max(...writes.map((w) => w.length))} characters`);
      assert.equal(fs.existsSync(path.join(root, 'unused.js')), false);
    });
  });
});
