/**
 * Every Rust file under test-fixtures/ is a specification: its `//~` annotations list exactly the
 * findings the engine must report (no more, no fewer). A directory whose name ends in `.workspace`
 * is analyzed as one workspace (cross-file pairing); every other file is analyzed on its own.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeSources } from '../../src/analysis/engine';
import { initParser } from '../../src/parsing/parser';
import { diff, Expectation, parseAnnotations } from './annotations';
import { FIXTURES as ROOT, fixtureCases as cases } from './fixture-cases';

// `LEAK_LENS_PARSER=wasm` runs the same specifications on the web-tree-sitter fallback (`npm test` does both).
describe(`fixtures: findings match their //~ annotations (${process.env.LEAK_LENS_PARSER === 'wasm' ? 'web-tree-sitter' : 'native tree-sitter'})`, () => {
  before(async function () {
    const name = await initParser();
    assert.equal(name, process.env.LEAK_LENS_PARSER === 'wasm' ? 'wasm' : 'native');
  });

  for (const c of cases(ROOT)) {
    it(c.name, () => {
      const inputs = c.files.map((f) => ({ path: path.relative(ROOT, f), text: fs.readFileSync(f, 'utf8') }));
      const { findings, errors } = analyzeSources(inputs);
      assert.deepEqual(errors, []);
      const problems: string[] = [];
      for (const input of inputs) {
        const expected = parseAnnotations(input.text);
        const actual: Expectation[] = findings
          .filter((f) => f.file === input.path)
          .map((f) => ({ line: f.range.start.line, kind: f.kind, rule: f.rule }));
        const { missing, extra } = diff(expected, actual);
        for (const m of missing) problems.push(`${input.path}:${m}  (expected, not reported)`);
        for (const e of extra) {
          const f = findings.find((x) => x.file === input.path && `${x.range.start.line + 1}: ${x.kind} ${x.rule}` === e);
          problems.push(`${input.path}:${e}  (reported, not expected) — ${f?.message}; ${f?.reasons.join('; ')}`);
        }
      }
      assert.ok(problems.length === 0, `\n${problems.join('\n')}`);
    });
  }
});
