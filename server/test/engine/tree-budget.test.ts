/**
 * The tree allowance (`parsing/tree-budget.ts`): refuses what no code is, admits all real code.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { initParser, parseRust, releaseTree } from '../../src/parsing/parser';
import { extractFacts, siteWordCount } from '../../src/analysis/facts';
import { analysisAllowance, estimateStats, nodeBound, parseWithinBudget, tooDenseToParse, treeAllowance, treeTooDense } from '../../src/parsing/tree-budget';
import { freeDroppedTrees } from '../../src/parsing/tree-memory';

const STATEMENTS = (n: number) => `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(n)}}\n`;

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

  it('bounds a line comment by its own nodes, whatever its words: two, a doc comment five', () => {
    assert.equal(nodeBound('// one two three four\n'.repeat(100)), 200);
    assert.equal(nodeBound('    /// one two three four\n'.repeat(100)), 500);
    assert.equal(nodeBound('//! one two three four\r\n'.repeat(100)), 500);
  });

  describe('never bounds a text below its tree, where a line from `//` is not all comment', () => {
    const dense = ';'.repeat(200);
    const cases: [string, string][] = [
      ['a string that ends within it, code after', `"\n// " ${dense}`],
      ['a raw string that ends within it', `r#"\n// "# ${dense}`],
      ['a block comment that ends within it', `/*\n// */ ${dense}`],
      ['nested block comments that end within it', `/* /*\n// */ */ ${dense}`],
      ['a string of escapes', `"\n// ${'\\n'.repeat(100)}\n"`],
      ['a lone carriage return after the comment', `// c\r${dense}`],
      ['a comment after code', `x; // ${dense}`],
    ];
    for (const [what, text] of cases) {
      it(what, () => {
        // The root is the one node no token stands for.
        const nodes = parseRust(text).rootNode.descendantCount;
        assert.ok(nodeBound(text) + 1 >= nodes, `${nodeBound(text)} + 1 for ${nodes} nodes`);
      });
    }
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

  it('refuses a piece-counted file without keeping a piece alive while the dropped ones are freed', async function () {
    this.timeout(30_000);
    // A piece still referenced when `settle` collects is resident beside the whole file's tree.
    v8.setFlagsFromString('--expose-gc');
    const collect = vm.runInNewContext('gc') as () => void;
    let parsed = 0;
    let freed = 0;
    const registry = new FinalizationRegistry(() => freed++);
    const parse = (t: string) => {
      const tree = parseRust(t);
      const held = { rootNode: { descendantCount: tree.rootNode.descendantCount } };
      registry.register(held, undefined);
      parsed++;
      return held;
    };
    const unfreedAtSettle: number[] = [];
    const settle = async () => {
      for (let turn = 0; turn < 3; turn++) {
        collect();
        await new Promise((resolve) => setImmediate(resolve));
      }
      unfreedAtSettle.push(parsed - freed);
    };
    // 4,000 leak statements: 112 KB in two pieces, admitted; 6,000 in three, refused.
    assert.equal(await tooDenseToParse(STATEMENTS(4_000), parse, settle, 80_000), undefined);
    assert.match((await tooDenseToParse(STATEMENTS(6_000), parse, settle, 80_000)) ?? '', /would have over/);
    assert.ok(unfreedAtSettle.length >= 2, `settled ${unfreedAtSettle.length} times`);
    assert.deepEqual(unfreedAtSettle, unfreedAtSettle.map(() => 0));
  });
});

describe("the CLI's tree allowance for a file it analyses", () => {
  before(() => initParser());

  it('is 28 MB of headroom and 20 bytes per character, at 230 bytes per node, less 3 KB per site', () => {
    assert.equal(analysisAllowance(0, 0), 127_652);
    assert.equal(analysisAllowance(100_000, 0), 136_348);
    assert.equal(analysisAllowance(100_000, 1_000), 123_304);
  });

  it('refuses 10,000 leak statements in one function from their tree counted in pieces, never built whole', async () => {
    const text = STATEMENTS(10_000);
    let wholeParses = 0;
    const parse = (t: string) => {
      if (t.length === text.length) wholeParses++;
      return parseRust(t);
    };
    const parsed = await parseWithinBudget(text, siteWordCount(text), parse, freeDroppedTrees);
    assert.equal(parsed.tree, undefined);
    // (28 MiB + 20 × 280,014 − 3,000 × 10,000) / 230; the tree has 19 nodes per statement, and its
    // 140,006 tokens could be 280,012 nodes: more than the (36 MiB + 20 × 280,014) / 230 = 188,473
    // that would fit whole; its first piece alone has 44,000.
    assert.match(parsed.refused ?? '', /^too dense to analyse within memory bounds: its syntax tree would have over 4\d,\d{3} nodes \(counted in pieces of 64 KB\), more than the 21,566 allowed for 280,014 characters and 10,000 possible leak sites/);
    assert.equal(wholeParses, 0);
  });

  it('refuses 5,000 from their whole tree, which is small enough to build', async () => {
    const text = STATEMENTS(5_000);
    const parsed = await parseWithinBudget(text, siteWordCount(text), parseRust, freeDroppedTrees);
    // (28 MiB + 20 × 140,014 − 3,000 × 5,000) / 230 = 74,610.
    assert.match(parsed.refused ?? '', /^too dense to analyse within memory bounds: its syntax tree has 95,010 nodes, more than the 74,610 allowed for 140,014 characters and 5,000 possible leak sites/);
    releaseTree(parsed.tree);
  });

  it('admits 4,000, and hands over their tree', async () => {
    const text = STATEMENTS(4_000);
    const parsed = await parseWithinBudget(text, siteWordCount(text), parseRust, freeDroppedTrees);
    assert.equal(parsed.refused, undefined);
    assert.equal(parsed.tree?.rootNode.descendantCount, 76_010);
  });

  it('does not count in pieces a file of 81,408 comment lines (407 KB) before one leak: a comment is two nodes whatever its words', async () => {
    const text = '// c\n'.repeat(81_408) + 'fn main() { Box::leak(Box::new(1)); }\n';
    const before = estimateStats.piecesParsed;
    const parsed = await parseWithinBudget(text, siteWordCount(text), parseRust, freeDroppedTrees);
    assert.equal(parsed.refused, undefined);
    assert.equal(estimateStats.piecesParsed, before);
    releaseTree(parsed.tree);
  });

  it('counts in pieces only as much as proves the whole tree can be built: a quarter of 11,808 nested closures (165 KB)', async () => {
    // (36 MiB + 20 × 165,352) / 230 = 178,503 nodes fit whole; the tokens could be 188,968, 10,465
    // too many; a first piece bounded at three times that (32 KB) has 19,112 nodes, and with two
    // per token of the rest (156,204) they fit.
    const n = 11_808;
    const text = `fn main() {\n${'let f = || {'.repeat(n)} Box::leak(Box::new(1)); ${'};'.repeat(n)}\n}\n`;
    const [pieces, chars] = [estimateStats.piecesParsed, estimateStats.charsParsed];
    const parsed = await parseWithinBudget(text, siteWordCount(text), parseRust, freeDroppedTrees);
    assert.equal(parsed.refused, undefined);
    assert.equal(estimateStats.piecesParsed - pieces, 1);
    assert.ok(estimateStats.charsParsed - chars <= 40_000, `${estimateStats.charsParsed - chars} characters parsed in pieces`);
    releaseTree(parsed.tree);
  });

  it('refuses a file whose words alone promise more sites than fit, before parsing it', async () => {
    const text = 'static mut A: u8 = 0;\nfn main() {\n    unsafe {\n' + '        let _r = &A;\n'.repeat(20_000) + '    }\n}\n';
    let parses = 0;
    const parsed = await parseWithinBudget(text, siteWordCount(text), (t) => (parses++, parseRust(t)), freeDroppedTrees);
    // (28 MiB + 20 × 420,055) / 3,000 = 12,587 sites; the text names `A` 20,002 times.
    assert.equal(parsed.refused, 'too dense to analyse within memory bounds: it may hold 20,002 leak sites, more than 12,587 for 420,055 characters; if it is generated, leave it out with `exclude` in leak-lens.toml');
    assert.equal(parses, 0);
  });

  describe('counts at least the sites the analysis finds, also those whose text spells no leak word', () => {
    const cases: [string, string][] = [
      ['leak calls', STATEMENTS(50)],
      ['references to a static mut', `static mut A: u8 = 0;\nfn main() { unsafe {\n${'    let _r = &A;\n'.repeat(50)}} }\n`],
      ['calls of a renamed forget', `use std::mem::forget as f;\nfn main() {\n${'    f(vec![1]);\n'.repeat(50)}}\n`],
      ['the statics of one lazy_static!', `lazy_static::lazy_static! {\n${Array.from({ length: 50 }, (_, i) => `    static ref S${i}: Vec<u8> = Vec::new();\n`).join('')}}\n`],
      ['the statics of one thread_local!', `thread_local! {\n${Array.from({ length: 50 }, (_, i) => `    static T${i}: Vec<u8> = Vec::new();\n`).join('')}}\n`],
    ];
    for (const [what, text] of cases) {
      it(what, () => {
        const sites = extractFacts('a.rs', text).sites.length;
        assert.ok(sites >= 50, `the analysis finds ${sites}`);
        assert.ok(siteWordCount(text) >= sites, `${siteWordCount(text)} words for ${sites} sites`);
      });
    }
  });

  const parsedByCli = ['/usr/share/cargo/registry/hashbrown-0.12.3/src/map.rs', '/usr/share/cargo/registry/winapi-0.3.9/src/um/winnt.rs'].filter((f) => fs.existsSync(f));
  (parsedByCli.length > 0 ? it : it.skip)('admits the largest trees of real code the CLI parses, with under half of their allowance', async () => {
    for (const file of parsedByCli) {
      const text = fs.readFileSync(file, 'utf8');
      const parsed = await parseWithinBudget(text, siteWordCount(text), parseRust, freeDroppedTrees);
      assert.equal(parsed.refused, undefined, file);
      assert.ok(parsed.tree!.rootNode.descendantCount < analysisAllowance(text.length, siteWordCount(text)) / 2, file);
    }
  });
});
