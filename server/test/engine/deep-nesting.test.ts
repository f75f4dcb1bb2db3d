/**
 * Nesting deeper than tree-sitter's query cursor can count (65,535 levels below where a query
 * starts; the engine finds its candidates without one) is analysed like any other code: no finding
 * is silently dropped.
 */
import * as assert from 'node:assert/strict';
import { extractFacts } from '../../src/analysis/facts';
import { initParser } from '../../src/parsing/parser';

describe('deep nesting', function () {
  this.timeout(120_000);
  before(() => initParser());

  it('finds a leak inside 40,000 nested blocks (80,000 tree levels)', () => {
    const n = 40_000;
    const text = `fn main() {\n${'{'.repeat(n)}loop { Box::leak(Box::new(1)); }${'}'.repeat(n)}\n}\n`;
    const facts = extractFacts('deep.rs', text);
    assert.deepEqual(
      facts.sites.map((s) => [s.rule, s.range.start]),
      [['box-leak', { line: 1, character: n + 7 }]],
    );
  });

  it('finds leaks above, inside and below the deep part, in document order', () => {
    const n = 40_000;
    const leak = 'Box::leak(Box::new(1));';
    const text = `fn a() { ${leak} }\nfn main() {\n${'{'.repeat(n)}${leak}${'}'.repeat(n)}\n}\nfn z() { ${leak} }\n`;
    const lines = extractFacts('deep.rs', text).sites.map((s) => s.range.start.line);
    assert.deepEqual(lines, [0, 2, 4]);
  });
});
