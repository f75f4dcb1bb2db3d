/**
 * How lines end is not code: every fixture, with its line feeds turned into `\r\n` or into lone
 * `\r`s (old Mac files, which the editor and the tree read as lines too), gives the same findings
 * at the same lines and columns, with the same reasons and related locations.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeSources } from '../../src/analysis/engine';
import { initParser } from '../../src/parsing/parser';
import { FIXTURES, fixtureCases } from './fixture-cases';

const LINE_ENDS = { 'CRLF': '\r\n', 'lone CR': '\r' };

describe('line ends: every fixture gives the same findings with \\n, \\r\\n or \\r', () => {
  before(() => initParser());

  for (const c of fixtureCases()) {
    it(c.name, () => {
      const read = (eol: string) => c.files.map((f) => ({ path: path.relative(FIXTURES, f), text: fs.readFileSync(f, 'utf8').replace(/\r?\n/g, eol) }));
      const findings = (eol: string) => analyzeSources(read(eol)).findings;
      const expected = findings('\n');
      for (const [name, eol] of Object.entries(LINE_ENDS)) assert.deepEqual(findings(eol), expected, `with ${name} line ends`);
    });
  }
});
