/**
 * The parse-tree layer under the server: the incremental tree cache stays identical to a fresh
 * parse, and the web-tree-sitter fallback produces the same trees as the native binding.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseRust } from '../../src/parsing/parser';
import { TreeCache, endPoint } from '../../src/parsing/trees';
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

  /** Replaces `start..end` of the document `uri` in `trees` (whose text is `text`), as the server's edits do. */
  function replace(trees: TreeCache, uri: string, text: string, start: number, end: number, insert: string, version: number): string {
    const at = (offset: number) => endPoint({ row: 0, column: 0 }, text.slice(0, offset));
    const next = text.slice(0, start) + insert + text.slice(end);
    trees.change(uri, version, { startIndex: start, oldEndIndex: end, startPosition: at(start), oldEndPosition: at(end), newText: insert }, next);
    return next;
  }

  it('tells what changed since it was last asked: nothing known at first, then the edits, moved by the later ones', function () {
    const trees = new TreeCache();
    let text = 'fn a() {}\nfn b() {}\nfn c() {}\n';
    trees.open('file:///d.rs', 1, text);
    assert.equal(trees.takeDamage('file:///d.rs'), undefined, 'a first reading knows of no earlier one');
    assert.deepEqual(trees.takeDamage('file:///d.rs'), { start: 0, end: 0 }, 'nothing changed since');
    text = replace(trees, 'file:///d.rs', text, 28, 28, 'x();', 2); // in c's body: 28..32
    text = replace(trees, 'file:///d.rs', text, 3, 3, 'zz', 3); // in a's name: 3..5, and c's body moves to 30..34
    const damage = trees.takeDamage('file:///d.rs')!;
    // Both edits, and no more than c's body (up to its `}` at 34), which is all their tree changed.
    assert.equal(damage.start, 3);
    assert.ok(damage.end >= 34 && damage.end <= 35, JSON.stringify(damage));
    text = replace(trees, 'file:///d.rs', text, 0, text.length, 'fn e() {}\n', 4);
    trees.change('file:///d.rs', 5, undefined, 'fn f() {}\n');
    assert.equal(trees.takeDamage('file:///d.rs'), undefined, 'a whole-document replacement leaves nothing to compare');
  });

  it("counts where tree-sitter's tree changed beyond the text typed: an unclosed comment", function () {
    const trees = new TreeCache();
    let text = 'fn a() {}\nfn b() {}\nfn c() {}\n';
    trees.open('file:///e.rs', 1, text);
    trees.takeDamage('file:///e.rs');
    text = replace(trees, 'file:///e.rs', text, 10, 10, '/*', 2);
    const damage = trees.takeDamage('file:///e.rs')!;
    assert.equal(damage.start, 10);
    assert.ok(damage.end >= text.length - 1, `the comment runs to the end of the file: ${JSON.stringify(damage)}`);
  });

  it('parses nothing of a refused document until it is admitted, and then knows nothing of its earlier readings', function () {
    const trees = new TreeCache();
    const uri = 'file:///r.rs';
    let text = 'fn a() {}\nfn b() {}\n';
    trees.open(uri, 1, text);
    trees.takeDamage(uri);
    trees.refuse(uri);
    text = replace(trees, uri, text, 0, 0, ' ', 2);
    const before = trees.stats.fullParses + trees.stats.incrementalParses;
    assert.equal(trees.get(uri), undefined, 'a hover or a code action on it builds no tree');
    assert.equal(trees.takeDamage(uri), undefined);
    assert.equal(trees.stats.fullParses + trees.stats.incrementalParses, before);
    assert.ok(trees.parsesWhole(uri));
    trees.admit(uri);
    assert.equal(trees.get(uri)!.text, text);
    assert.equal(trees.stats.fullParses + trees.stats.incrementalParses, before + 1);
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
