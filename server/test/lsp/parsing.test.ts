/**
 * The parse-tree layer under the server: the incremental tree cache stays identical to a fresh
 * parse, and the web-tree-sitter fallback produces the same trees as the native binding.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseRust } from '../../src/parsing/parser';
import { TreeCache } from '../../src/parsing/trees';
import { loadWasmRust } from '../../src/parsing/wasm';

const REPO = path.resolve(__dirname, '../../../..');

function rustFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? rustFiles(path.join(dir, e.name)) : e.name.endsWith('.rs') ? [path.join(dir, e.name)] : [],
  );
}

describe('tree cache', function () {
  it('applies edits incrementally and ends with the tree a fresh parse gives', function () {
    const trees = new TreeCache();
    let doc = TextDocument.create('file:///a.rs', 'rust', 1, 'fn main() {\n    let s = Box::leak(Box::new(1));\n}\n');
    trees.open(doc.uri, 1, doc.getText());
    assert.ok(trees.get(doc.uri));
    const edits = [
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '    for _ in 0..3 {\n' },
      { range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: '    }\n' },
      { range: { start: { line: 2, character: 8 }, end: { line: 2, character: 9 } }, text: 'leaked_é' },
    ];
    let version = 1;
    for (const change of edits) {
      const start = doc.offsetAt(change.range.start);
      const end = doc.offsetAt(change.range.end);
      const next = TextDocument.update(doc, [change], ++version);
      trees.change(
        doc.uri,
        version,
        {
          startIndex: start,
          oldEndIndex: end,
          startPosition: { row: change.range.start.line, column: change.range.start.character },
          oldEndPosition: { row: change.range.end.line, column: change.range.end.character },
          newText: change.text,
        },
        next.getText(),
      );
      doc = next;
      const current = trees.get(doc.uri)!;
      assert.equal(current.tree.rootNode.toString(), parseRust(doc.getText()).rootNode.toString());
    }
    assert.equal(trees.stats.fullParses, 1);
    assert.equal(trees.stats.incrementalParses, edits.length);
  });

  it('forgets closed documents', function () {
    const trees = new TreeCache();
    trees.open('file:///b.rs', 1, 'fn f() {}');
    trees.close('file:///b.rs');
    assert.equal(trees.get('file:///b.rs'), undefined);
  });
});

describe('web-tree-sitter fallback', function () {
  it('parses every fixture to the same tree as the native binding', async function () {
    const { parser } = await loadWasmRust();
    const files = rustFiles(path.join(REPO, 'test-fixtures'));
    assert.ok(files.length > 0);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const wasm = (parser.parse(text) as { rootNode: { toString(): string } }).rootNode.toString();
      assert.equal(wasm, parseRust(text).rootNode.toString(), path.relative(REPO, file));
    }
  });
});
