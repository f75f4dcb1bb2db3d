/**
 * Parent and sibling links (`parsing/node-links.ts`): the same nodes as the binding's own getters,
 * for a cost that does not grow with the depth of the node or its index among its siblings.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractFacts } from '../../src/analysis/facts';
import { FLAT, MEMO, bindingLink, heldByLinks, linkStats } from '../../src/parsing/node-links';
import { SyntaxNode, initParser, parseRust } from '../../src/parsing/parser';

const FIXTURES = path.resolve(__dirname, '../../../../test-fixtures');

function* allNodes(node: SyntaxNode): Generator<SyntaxNode> {
  yield node;
  for (let i = 0; i < node.childCount; i++) yield* allNodes(node.child(i)!);
}

const idOf = (n: SyntaxNode | null) => (n ? `${n.type}@${n.startIndex}-${n.endIndex}` : 'null');

describe('node links', () => {
  before(() => initParser());

  // Runs of comments are flat lists of hundreds of children, where the cursor cannot step back.
  const run = (n: number, line: string) => line.repeat(n);
  const flatRuns = `${run(300, '// c\n')}#[test]\n${run(260, '/* d */\n')}fn a() {\n${run(150, '    // e\n    x;\n')}}\n${run(260, '// f\n')}`;
  for (const [fixture, read] of [
    ...['article/thread_leak.rs', 'rules/syntax_error.rs', 'rules/static_mut.rs'].map((f) => [f, () => fs.readFileSync(path.join(FIXTURES, f), 'utf8')] as const),
    ['runs of 260 to 800 comments and statements', () => flatRuns] as const,
  ]) {
    it(`give the binding's own parent, and the siblings in its children lists, for every node of ${fixture}`, () => {
      const tree = parseRust(read());
      for (const node of allNodes(tree.rootNode)) {
        const parent = bindingLink(node, 'parent');
        assert.equal(idOf(node.parent), idOf(parent), `parent of ${idOf(node)}`);
        // Siblings by their definition, the parent's children in order (web-tree-sitter's own
        // getters skip a zero-width missing node that its `children` lists).
        const siblings = parent ? parent.children : [node];
        const at = siblings.findIndex((s) => s.id === node.id);
        const named = (from: number, step: number) => {
          for (let i = from; i >= 0 && i < siblings.length; i += step) if (siblings[i].isNamed) return siblings[i];
          return null;
        };
        assert.equal(idOf(node.nextSibling), idOf(siblings[at + 1] ?? null), `nextSibling of ${idOf(node)}`);
        assert.equal(idOf(node.previousSibling), idOf(siblings[at - 1] ?? null), `previousSibling of ${idOf(node)}`);
        assert.equal(idOf(node.nextNamedSibling), idOf(named(at + 1, 1)), `nextNamedSibling of ${idOf(node)}`);
        assert.equal(idOf(node.previousNamedSibling), idOf(named(at - 1, -1)), `previousNamedSibling of ${idOf(node)}`);
      }
    });
  }

  for (const [what, make] of [
    ['a leak inside n nested blocks', (n: number) => `fn main() {\n${'{'.repeat(n)}loop { Box::leak(Box::new(1)); }${'}'.repeat(n)}\n}\n`],
    ['a leak after n comment lines', (n: number) => `${'// c\n'.repeat(n)}fn main() { Box::leak(Box::new(1)); }\n`],
  ] as const) {
    it(`step the cursor over each level or sibling about once for ${what}`, () => {
      for (const n of [1000, 4000]) {
        const before = { ...linkStats };
        const facts = extractFacts('a.rs', make(n));
        assert.equal(facts.sites.length, 1);
        const steps = linkStats.steps - before.steps;
        // Nested blocks: a block and a statement per level; comments: one step back over each.
        // Linear in n, with room for the rules.
        assert.ok(steps <= 6 * n + 100, `${steps} cursor steps for n = ${n}`);
      }
    });
  }

  // A JavaScript node object and the map entry that finds it cost more than the native node: links
  // that kept one per node visited doubled the memory of a dense file (issue 14, item 4).
  for (const [what, make, sites] of [
    ['n leak statements in one function', (n: number) => `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(n)}}\n`, (n: number) => n],
    ['a leak after n comment lines', (n: number) => `${'// c\n'.repeat(n)}fn main() { Box::leak(Box::new(1)); }\n`, () => 1],
    ['a leak inside n nested blocks', (n: number) => `fn main() {\n${'{'.repeat(n)}loop { Box::leak(Box::new(1)); }${'}'.repeat(n)}\n}\n`, () => 1],
  ] as const) {
    it(`hold at most ${MEMO} nodes of a tree and a flat run's ${FLAT}, however many they visit, for ${what}`, () => {
      const n = 2 * MEMO;
      const text = make(n);
      const tree = parseRust(text);
      const before = linkStats.steps;
      assert.equal(extractFacts('a.rs', text, tree).sites.length, sites(n));
      // The analysis reads a comment run from the text; walk it back as a rule that needs the nodes would.
      for (let s: SyntaxNode | null = tree.rootNode.lastNamedChild; s; s = s.previousNamedSibling);
      // The walks did visit more nodes than the links keep.
      assert.ok(linkStats.steps - before > n, 'the analysis walked the tree');
      assert.ok(heldByLinks(tree) <= MEMO + 2 * FLAT, `${heldByLinks(tree)} nodes held`);
    });
  }
});
