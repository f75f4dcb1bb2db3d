/**
 * `nodesAtDepth` probes a node's children by offset instead of stepping through every one: it must
 * find exactly the nodes a plain walk finds at that depth, in document order, whatever the tree.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodesAtDepth } from '../../src/parsing/deep-query';
import { SyntaxNode, initParser, parseRust } from '../../src/parsing/parser';

const FIXTURES = path.resolve(__dirname, '../../../../test-fixtures');

/** Every node exactly `depth` levels below `root`, in document order, by a walk over all of them. */
function walked(root: SyntaxNode, depth: number): string[] {
  const out: string[] = [];
  const stack: [SyntaxNode, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, level] = stack.pop()!;
    if (level === depth) {
      out.push(describeNode(node));
      continue;
    }
    for (let i = node.childCount - 1; i >= 0; i--) stack.push([node.child(i)!, level + 1]);
  }
  return out;
}

const describeNode = (n: SyntaxNode) => `${n.type}@${n.startIndex}-${n.endIndex}`;

function rustFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? rustFiles(full) : e.name.endsWith('.rs') ? [full] : [];
  });
}

describe('nodesAtDepth', () => {
  before(() => initParser());

  // Nesting of several shapes, with non-ASCII text (offsets are in code units), comments between
  // the levels and a missing closing brace (a zero-width MISSING node).
  const generated: [string, string][] = [
    ['nested blocks', `fn main() {\n${'{ // é\n'.repeat(300)}Box::leak(Box::new("ü"));${'}\n'.repeat(300)}}\n`],
    ['nested ifs', `fn main() {\n${'if a { '.repeat(200)}x();${' }'.repeat(200)}}\n`],
    ['a missing brace', `fn main() {\n${'{ '.repeat(120)}let s = "日本";${' }'.repeat(119)}\n`],
    ['many short items', `${'// comment\nfn f() {}\n'.repeat(500)}fn main() { ${'('.repeat(150)}1${')'.repeat(150)}; }\n`],
  ];
  for (const [name, text] of generated) {
    it(`finds what a walk over every node finds at each depth: ${name}`, () => {
      const root = parseRust(text).rootNode;
      for (const depth of [0, 1, 2, 3, 7, 50, 100, 149, 150, 151, 240, 300, 301, 302, 303, 600, 601, 602, 603]) {
        // The probe bound (4 levels per character) is what makes a short subtree skippable: hold
        // the text to it, or this compares against nodes the bound says cannot be there.
        assert.deepEqual(nodesAtDepth(root, depth).map(describeNode), walked(root, depth), `depth ${depth}`);
      }
    });
  }

  it('finds what a walk over every node finds at each depth, in every fixture', () => {
    for (const file of rustFiles(FIXTURES)) {
      const root = parseRust(fs.readFileSync(file, 'utf8')).rootNode;
      for (const depth of [1, 2, 3, 5, 8, 13, 21]) {
        assert.deepEqual(nodesAtDepth(root, depth).map(describeNode), walked(root, depth), `${path.relative(FIXTURES, file)} at depth ${depth}`);
      }
    }
  });
});
