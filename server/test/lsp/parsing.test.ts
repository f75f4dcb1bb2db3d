/**
 * The parse-tree layer under the server: the incremental tree cache stays identical to a fresh
 * parse, and the web-tree-sitter fallback produces the same trees as the native binding.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseRust } from '../../src/parsing/parser';
import { TreeCache, changedAround, endPoint, errorsIn } from '../../src/parsing/trees';
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
    // Both edits, and no more than the functions they are in (a's starts at 0, c's body ends at 34).
    assert.ok(damage.start >= 0 && damage.start <= 3, JSON.stringify(damage));
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

  it('finds what an edit of code without errors changed around it, without comparing the whole trees', function () {
    const trees = new TreeCache();
    const uri = 'file:///g.rs';
    let text = Array.from({ length: 2000 }, (_, i) => `fn f${i}() {\n    let v${i} = g(${i});\n}\n`).join('');
    trees.open(uri, 1, text);
    trees.takeDamage(uri);
    for (let i = 0; i < 50; i++) {
      const fn = text.indexOf(`fn f${i * 40}(`);
      const at = text.indexOf('g(', fn);
      text = replace(trees, uri, text, at, at, i % 2 ? ' ' : 'h', i + 2);
      const damage = trees.takeDamage(uri)!;
      assert.ok(damage.start >= fn && damage.end <= text.indexOf('}', fn) + 1, `edit ${i}: ${JSON.stringify(damage)} is outside f${i * 40}`);
    }
    assert.equal(trees.stats.wholeComparisons, 0);
  });

  it('finds what typing a statement into one function of 2,000 changed around it, errors and all, without comparing the whole trees', function () {
    const trees = new TreeCache();
    const uri = 'file:///t.rs';
    let text = Array.from({ length: 2000 }, (_, i) => `fn f${i}() {\n    let v${i} = g(${i});\n}\n`).join('');
    trees.open(uri, 1, text);
    trees.takeDamage(uri);
    const fn = text.indexOf('fn f1000(');
    const at = text.indexOf(';', fn) + 1;
    // Each keystroke but the last leaves an error in f1000. (An unclosed `(` or `Box:` on the way to
    // `Box::` makes tree-sitter read the rest of the file as one error: those are compared whole.)
    const typed = '\n    let quux = 12;\n    drop(quux);';
    for (let i = 0; i < typed.length; i++) {
      text = replace(trees, uri, text, at + i, at + i, typed[i], i + 2);
      const damage = trees.takeDamage(uri)!;
      assert.ok(damage.start >= fn && damage.end <= text.indexOf('}', at) + 1, `after ${JSON.stringify(typed.slice(0, i + 1))}: ${JSON.stringify(damage)} is outside f1000`);
    }
    assert.equal(trees.stats.wholeComparisons, 0);
  });

  it('takes no comment for a neighbour that stops the search: a variant typed above doc comments makes an error of the variant below them', function () {
    const trees = new TreeCache();
    const uri = 'file:///c.rs';
    let text = 'enum E {\n    A,\n    /// one\n    /// two\n    B,\n}\nfn main() {}\n';
    trees.open(uri, 1, text);
    trees.takeDamage(uri);
    const at = text.indexOf('/// one') + '/// one'.length;
    text = replace(trees, uri, text, at, at, '\n    ', 2);
    trees.takeDamage(uri);
    text = replace(trees, uri, text, at + 5, at + 5, 'f', 3);
    const damage = trees.takeDamage(uri)!;
    assert.match(trees.get(uri)!.tree.rootNode.toString(), /ERROR/, 'B is read as an error now');
    assert.ok(damage.end >= text.indexOf('B,') + 1, `${JSON.stringify(damage)} does not reach B at ${text.indexOf('B,')}`);
  });

  it('covers every change tree-sitter finds between the trees, for random edits and typing in every fixture', function () {
    const snippets = [' ', '\n', 'x', ';', '}', '{', '(', '"', '/*', "'", '//', 'fn g() {', 'let q = Box::into_raw(Box::new(1));'];
    const typed = ['\n    let q = Box::into_raw(Box::new(1));', '\n    f(a, "s");', '\n    fn g() {}', '\n    /* c */ x'];
    let s = 7;
    const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    let compared = 0;
    for (const file of rustFiles(path.join(REPO, 'test-fixtures'))) {
      let text = fs.readFileSync(file, 'utf8');
      let tree = parseRust(text);
      const edit = (at: number, end: number, insert: string, what: string) => {
        const startPosition = endPoint({ row: 0, column: 0 }, text.slice(0, at));
        const oldEndPosition = endPoint({ row: 0, column: 0 }, text.slice(0, end));
        tree.edit({ startIndex: at, oldEndIndex: end, newEndIndex: at + insert.length, startPosition, oldEndPosition, newEndPosition: endPoint(startPosition, insert) });
        text = text.slice(0, at) + insert + text.slice(end);
        const now = parseRust(text, tree);
        const found = changedAround(tree, now, text, { start: at, end: at + insert.length }, errorsIn(tree, { start: 0, end: text.length }));
        if (found) {
          compared++;
          for (const r of tree.getChangedRanges(now)) {
            // Tree-sitter's ranges hold the whitespace before a token; no node does.
            const code = text.slice(r.startIndex, r.endIndex);
            if (code.trim() === '') continue;
            const start = r.startIndex + code.length - code.trimStart().length;
            const end = r.endIndex - (code.length - code.trimEnd().length);
            assert.ok(start >= Math.min(found.start, at) && end <= Math.max(found.end, at + insert.length), `${path.relative(REPO, file)}, ${what}: tree-sitter changed ${start}..${end}, found ${JSON.stringify(found)}`);
          }
        }
        tree = now;
      };
      for (let i = 0; i < 20; i++) {
        const at = Math.floor(next() * (text.length + 1));
        const end = next() < 0.4 ? Math.min(text.length, at + 1 + Math.floor(next() * 8)) : at;
        edit(at, end, end > at && next() < 0.5 ? '' : snippets[Math.floor(next() * snippets.length)], `edit ${i}`);
      }
      for (let k = 0; k < 2; k++) {
        const at = text.indexOf('\n', Math.floor(next() * text.length));
        if (at < 0) continue;
        const snippet = typed[Math.floor(next() * typed.length)];
        for (let i = 0; i < snippet.length; i++) edit(at + i, at + i, snippet[i], `typing ${JSON.stringify(snippet.slice(0, i + 1))}`);
        for (let i = snippet.length; i > 0; i--) edit(at + i - 1, at + i, '', `deleting back to ${JSON.stringify(snippet.slice(0, i - 1))}`);
      }
    }
    assert.ok(compared > 500, `${compared} edits compared`);
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
