/**
 * The tree allowance (`parsing/tree-budget.ts`): refuses what no code is, admits all real code.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { initParser, parseRust } from '../../src/parsing/parser';
import { estimateStats, tooDenseToParse, treeAllowance, treeTooDense } from '../../src/parsing/tree-budget';
import { freeDroppedTrees } from '../../src/parsing/tree-memory';

const STDARCH = '/usr/lib/rustlib/src/rust/library/stdarch/crates/core_arch/src';
/** The trees with the most nodes, and the densest large one, of the standard library and the Debian crates. */
const LARGEST_REAL = [
  `${STDARCH}/arm_shared/neon/generated.rs`,
  `${STDARCH}/x86/avx512f.rs`,
  `${STDARCH}/aarch64/neon/generated.rs`,
  '/usr/share/cargo/registry/syn-1.0.107/src/gen/visit.rs',
  '/usr/share/cargo/registry/regex-syntax-0.6.27/src/unicode_tables/case_folding_simple.rs',
];

describe('the syntax tree allowance', () => {
  before(() => initParser());

  it('refuses a function of leak statements beyond a megabyte, saying why', () => {
    const text = `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(40_000)}}\n`;
    const reason = treeTooDense(parseRust(text), text);
    assert.match(reason ?? '', /^too dense to analyse within memory bounds: its syntax tree has 760,010 nodes, more than the 730,003 allowed for 1,120,014 characters/);
  });

  it('refuses such a file from its tree counted in pieces, before its whole tree is built', async () => {
    const text = `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(40_000)}}\n`;
    let wholeParses = 0;
    const parse = (t: string) => {
      if (t.length === text.length) wholeParses++;
      return parseRust(t);
    };
    assert.match((await tooDenseToParse(text, parse, freeDroppedTrees)) ?? '', /^too dense to analyse within memory bounds: its syntax tree would have over 7[3-6]\d,\d{3} nodes \(counted in pieces of 64 KB\), more than the 730,003 allowed/);
    assert.equal(wholeParses, 0);
  });

  it('does not count the pieces of a file that even the densest code would not make too dense', async () => {
    const before = estimateStats.piecesParsed;
    // 600,000 characters, 100,000 of them visible.
    const text = `fn main() {\n${`${' '.repeat(44)}Box::leak(Box::new(1));\n`.repeat(4_000)}}\n`.padEnd(600_000, '\n');
    assert.equal(await tooDenseToParse(text, parseRust, freeDroppedTrees), undefined);
    assert.equal(estimateStats.piecesParsed, before);
  });

  it('admits 120,000 nested blocks, and refuses 160,000', () => {
    const nested = (n: number) => `fn main() {\n${'{'.repeat(n)}${'}'.repeat(n)}\n}\n`;
    assert.equal(treeTooDense(parseRust(nested(120_000)), nested(120_000)), undefined);
    assert.notEqual(treeTooDense(parseRust(nested(160_000)), nested(160_000)), undefined);
  });

  const present = LARGEST_REAL.filter((f) => fs.existsSync(f));
  (present.length > 0 ? it : it.skip)('admits the largest and densest real files (rust-src and the Debian crates), whole and in pieces', async () => {
    for (const file of present) {
      const text = fs.readFileSync(file, 'utf8');
      const tree = parseRust(text);
      assert.equal(treeTooDense(tree, text), undefined, file);
      assert.equal(await tooDenseToParse(text, parseRust, freeDroppedTrees), undefined, file);
      // With room to spare: a grammar update may add a few nodes.
      assert.ok(tree.rootNode.descendantCount < 0.8 * treeAllowance(text.length), `${file}: ${tree.rootNode.descendantCount} nodes`);
    }
  });
});
