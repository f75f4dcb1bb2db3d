/**
 * The words without which a file holds no site (`analysis/facts.ts`): most files of a workspace
 * have none, and each is scanned to its end to know it.
 */
import * as assert from 'node:assert/strict';
import { extractFacts, mayContainSites, wordStats } from '../../src/analysis/facts';
import { initParser } from '../../src/parsing/parser';

describe('the words that let a file hold sites', () => {
  before(() => initParser());

  it('are looked for once in a text that the caller asks about before its facts are extracted', () => {
    const without = `fn main() {\n${'    let v = vec![1, 2, 3];\n'.repeat(100)}}\n`;
    const before = wordStats.scans;
    assert.equal(mayContainSites(without), false);
    assert.equal(extractFacts('a.rs', without).sites.length, 0);
    assert.equal(wordStats.scans, before + 1);
  });

  it('are looked for again in another text, also one of the same length', () => {
    const leaks = 'fn main() { Box::leak(Box::new(1)); }\n';
    const same = 'fn main() { Box::keep(Box::new(1)); }\n';
    assert.equal(mayContainSites(leaks), true);
    assert.equal(extractFacts('b.rs', same).sites.length, 0);
    assert.equal(mayContainSites(same), false);
    assert.equal(extractFacts('c.rs', leaks).sites.length, 1);
  });
});
