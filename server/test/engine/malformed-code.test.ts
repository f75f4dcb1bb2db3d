/**
 * Code tree-sitter had to repair (a fuzzer's, or a half-typed line) is analysed like any other:
 * the parts it invents — a `let` without a pattern, a name with no text — are read as what they
 * are, never as a pattern that matches everywhere.
 */
import * as assert from 'node:assert/strict';
import { extractFacts } from '../../src/analysis/facts';
import { matchOffsets } from '../../src/analysis/text';
import { initParser } from '../../src/parsing/parser';

describe('malformed code', () => {
  before(() => initParser());

  it('reads a `let` without a pattern, whose binding has no name', () => {
    // Looking for the uses of the empty name once matched at every offset, without end.
    const facts = extractFacts('broken.rs', 'let = Box::into_raw(Box::new(1)) as *mut u8;\n');
    assert.deepEqual(
      facts.sites.map((s) => s.rule),
      ['into-raw'],
    );
  });

  it('steps past an empty match when listing where a pattern matches', () => {
    assert.deepEqual(matchOffsets('abc', /(?:)/g), [0, 1, 2, 3]);
    assert.deepEqual(matchOffsets('a b', /\b/g), [0, 1, 2, 3]);
  });
});
