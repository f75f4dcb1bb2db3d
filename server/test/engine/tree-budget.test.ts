/**
 * The tree allowance (`parsing/tree-budget.ts`): refuses what no code is, admits all real code.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { initParser, parseRust } from '../../src/parsing/parser';
import { treeAllowance, treeTooDense } from '../../src/parsing/tree-budget';

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

  it('admits 120,000 nested blocks, and refuses 160,000', () => {
    const nested = (n: number) => `fn main() {\n${'{'.repeat(n)}${'}'.repeat(n)}\n}\n`;
    assert.equal(treeTooDense(parseRust(nested(120_000)), nested(120_000)), undefined);
    assert.notEqual(treeTooDense(parseRust(nested(160_000)), nested(160_000)), undefined);
  });

  const present = LARGEST_REAL.filter((f) => fs.existsSync(f));
  (present.length > 0 ? it : it.skip)('admits the largest and densest real files (rust-src and the Debian crates)', () => {
    for (const file of present) {
      const text = fs.readFileSync(file, 'utf8');
      const tree = parseRust(text);
      assert.equal(treeTooDense(tree, text), undefined, file);
      // With room to spare: a grammar update may add a few nodes.
      assert.ok(tree.rootNode.descendantCount < 0.8 * treeAllowance(text.length), `${file}: ${tree.rootNode.descendantCount} nodes`);
    }
  });
});
