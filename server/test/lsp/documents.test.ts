/**
 * The document store on its own, fed the notifications a sloppy client sends: after every change
 * the text is what the editor holds, and the incrementally edited tree is the tree of that text.
 */
import * as assert from 'node:assert/strict';
import type { Connection } from 'vscode-languageserver/node';
import { DocumentStore } from '../../src/lsp/documents';
import type { Logger } from '../../src/lsp/logger';
import { SyntaxNode, initParser, parseRust } from '../../src/parsing/parser';
import { TreeCache } from '../../src/parsing/trees';

const LOOP_LEAK = 'fn main() {\n    loop {\n        Box::leak(Box::new(1));\n    }\n}\n';
const URI = 'file:///doc.rs';

type Handler = (params: unknown) => void;

function openStore(text: string): { store: DocumentStore; trees: TreeCache; change: (changes: unknown[]) => void } {
  const handlers = new Map<string, Handler>();
  const connection = {
    onDidOpenTextDocument: (h: Handler) => handlers.set('open', h),
    onDidChangeTextDocument: (h: Handler) => handlers.set('change', h),
    onDidCloseTextDocument: (h: Handler) => handlers.set('close', h),
  } as unknown as Connection;
  const quiet = { warn: () => {}, debug: () => {}, info: () => {}, error: () => {} } as unknown as Logger;
  const trees = new TreeCache();
  const store = new DocumentStore(trees, quiet);
  store.listen(connection, () => true, { onDidOpen: () => trees.get(URI), onDidChange: () => {}, onDidClose: () => {} });
  handlers.get('open')!({ textDocument: { uri: URI, languageId: 'rust', version: 1, text } });
  let version = 1;
  return { store, trees, change: (contentChanges) => handlers.get('change')!({ textDocument: { uri: URI, version: ++version }, contentChanges }) };
}

/** Every node with its offsets and points: the S-expression alone would hide shifted positions. */
function layout(node: SyntaxNode, out: string[] = []): string[] {
  const { row: r0, column: c0 } = node.startPosition;
  const { row: r1, column: c1 } = node.endPosition;
  out.push(`${node.type} ${node.startIndex}-${node.endIndex} ${r0}:${c0}-${r1}:${c1}`);
  for (let i = 0; i < node.childCount; i++) layout(node.child(i)!, out);
  return out;
}

function assertTreeOfText(trees: TreeCache): void {
  const current = trees.get(URI)!;
  assert.deepEqual(layout(current.tree.rootNode), layout(parseRust(current.text).rootNode));
}

describe('document store', () => {
  before(() => initParser(() => {}));

  it('applies a reversed range as the same range in order, to the text and the tree alike', () => {
    const { store, trees, change } = openStore(LOOP_LEAK);
    change([{ range: { start: { line: 2, character: 8 }, end: { line: 1, character: 4 } }, text: 'loop { ' }]);
    assert.equal(store.get(URI)!.getText(), 'fn main() {\n    loop { Box::leak(Box::new(1));\n    }\n}\n');
    assertTreeOfText(trees);
  });

  it('clamps a range past the end to the end, and the next edit lands where the editor put it', () => {
    const { store, trees, change } = openStore('fn main() {}\n');
    change([{ range: { start: { line: 10, character: 0 }, end: { line: 11, character: 0 } }, text: 'fn g() {}\n' }]);
    change([{ range: { start: { line: 1, character: 8 }, end: { line: 1, character: 8 } }, text: ' loop {} ' }]);
    assert.equal(store.get(URI)!.getText(), 'fn main() {}\nfn g() { loop {} }\n');
    assertTreeOfText(trees);
  });

  it('reads negative, fractional and non-numeric positions as clamped whole numbers', () => {
    const { store, trees, change } = openStore('fn main() {}\n');
    change([{ range: { start: { line: -3, character: 'x' }, end: { line: 0.5, character: 2.9 } }, text: 'pub ' }]);
    change([{ range: { start: { line: 1e300, character: 0 }, end: { line: Infinity, character: 5 } }, text: '// end\n' }]);
    assert.equal(store.get(URI)!.getText(), 'pub  main() {}\n// end\n');
    assertTreeOfText(trees);
  });
});
