/**
 * Every tree is freed once nothing reads it: web-tree-sitter keeps trees in WebAssembly memory
 * until `delete()`d, and the web worker's heap grew with each keystroke. Counted by spying on the
 * binding's parse and on the trees' `delete` (the native binding has none: the spy stands in for
 * it). `npm test` runs this file on both bindings; on web-tree-sitter the deletes are real, so a
 * tree freed while still in use would change the findings or crash.
 */
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { compareFindings } from '../../../shared/src/findings';
import { DEFAULT_SETTINGS } from '../../../shared/src/settings';
import { analyzeText, classifyWorkspace, extractFacts } from '../../src/analysis/engine';
import { findCallSitesOfEach, textCallSiteProvider } from '../../src/analysis/callers';
import { binding } from '../../src/parsing/binding';
import { initParser, parseRust, releaseTree } from '../../src/parsing/parser';
import { TreeCache } from '../../src/parsing/trees';

const URI = 'file:///doc.rs';
// A macro's transcriber and a standard macro's arguments are read in a synthetic parse of their own.
const TEXT = `macro_rules! leak_one {
    ($e:expr) => { Box::leak(Box::new($e)) };
}

fn make() -> *mut u8 {
    Box::into_raw(Box::new(1))
}

fn main() {
    loop {
        leak_one!(1);
    }
    let p = make();
    assert_eq!(unsafe { *Box::from_raw(p) }, 1);
}
`;

/** Trees the binding parsed and trees deleted since `install`, and the live ones among them. */
class TreeCounter {
  readonly created = new Set<object>();
  readonly deleted = new Set<object>();
  private restore: (() => void)[] = [];

  install(): void {
    const sample = parseRust('');
    const proto = Object.getPrototypeOf(sample) as { delete?: () => void };
    releaseTree(sample);
    const active = binding();
    const parse = active.parse;
    active.parse = (text, oldTree) => {
      const tree = parse(text, oldTree) as object;
      this.created.add(tree);
      return tree;
    };
    this.restore.push(() => (active.parse = parse));
    const own = Object.getOwnPropertyDescriptor(proto, 'delete');
    const real = proto.delete;
    const deleted = this.deleted;
    Object.defineProperty(proto, 'delete', {
      configurable: true,
      writable: true,
      value(this: object) {
        assert.ok(!deleted.has(this), 'a tree is deleted twice');
        deleted.add(this);
        real?.call(this);
      },
    });
    this.restore.push(() => (own ? Object.defineProperty(proto, 'delete', own) : delete proto.delete));
  }

  uninstall(): void {
    for (const undo of this.restore.reverse()) undo();
    this.restore = [];
  }

  live(): object[] {
    return [...this.created].filter((t) => !this.deleted.has(t));
  }
}

/** The findings as the server computes them per keystroke: from the cache's tree, call sites from it too. */
function analyseCurrent(trees: TreeCache): unknown[] {
  const current = trees.get(URI)!;
  const facts = extractFacts(URI, current.text, current.tree);
  const calls = findCallSitesOfEach(URI, current.text, [{ name: 'make', file: URI, line: 0 }], current.tree);
  assert.ok(Array.isArray(calls[0]));
  return classifyWorkspace([facts], textCallSiteProvider([{ path: URI, text: current.text }]), DEFAULT_SETTINGS)
    .sort(compareFindings)
    .map((f) => [f.rule, f.kind, f.range.start]);
}

describe(`parse trees are freed once replaced or done with (${process.env.LEAK_LENS_PARSER === 'wasm' ? 'web-tree-sitter' : 'native tree-sitter'})`, () => {
  const counter = new TreeCounter();
  before(() => initParser());
  beforeEach(() => counter.install());
  afterEach(() => counter.uninstall());

  it('keeps one tree per open document through a sequence of edits, with the findings of a fresh analysis', () => {
    const trees = new TreeCache();
    let doc = TextDocument.create(URI, 'rust', 1, TEXT);
    trees.open(URI, 1, TEXT);
    const edits: { line: number; from: number; to: number; text: string }[] = [
      { line: 11, from: 0, to: 0, text: '    ' },
      { line: 10, from: 8, to: 20, text: 'let _x = leak_one!(2);' },
      { line: 12, from: 0, to: 0, text: '    println!("{}", 1);\n' },
      { line: 5, from: 4, to: 30, text: 'Box::into_raw(Box::new(2))' },
      { line: 14, from: 4, to: 4, text: '// ' },
      { line: 0, from: 0, to: 0, text: 'use std::mem;\n' },
    ];
    for (const [i, e] of edits.entries()) {
      const version = i + 2;
      const range = { start: { line: e.line, character: e.from }, end: { line: e.line, character: e.to } };
      const startIndex = doc.offsetAt(range.start);
      const oldEndIndex = doc.offsetAt(range.end);
      doc = TextDocument.update(doc, [{ range, text: e.text }], version);
      const position = (p: { line: number; character: number }) => ({ row: p.line, column: p.character });
      trees.change(URI, version, { startIndex, oldEndIndex, startPosition: position(range.start), oldEndPosition: position(range.end), newText: e.text }, doc.getText());
      const incremental = analyseCurrent(trees);
      assert.ok(incremental.length >= 2, `findings after edit ${i + 1}: ${JSON.stringify(incremental)}`);
      assert.deepEqual(counter.live(), [trees.get(URI)!.tree], `after edit ${i + 1}: only the current tree is alive`);
      assert.deepEqual(incremental, analyzeText(URI, doc.getText()).map((f) => [f.rule, f.kind, f.range.start]), `after edit ${i + 1}`);
      assert.deepEqual(counter.live(), [trees.get(URI)!.tree], `after edit ${i + 1}: the fresh analysis freed its trees`);
    }
    assert.ok(counter.created.size >= 2 * edits.length, `${counter.created.size} trees parsed (documents and macro code)`);
    trees.change(URI, 99, undefined, 'fn main() {}\n');
    trees.get(URI);
    trees.close(URI);
    assert.deepEqual(counter.live(), [], 'a replaced and a closed document keep no tree');
  });

  it('frees the tree of a document opened again without being closed', () => {
    const trees = new TreeCache();
    trees.open(URI, 1, TEXT);
    const first = trees.get(URI)!.tree;
    trees.open(URI, 2, 'fn main() {}\n');
    assert.ok(counter.deleted.has(first), 'the first tree is freed');
    assert.deepEqual(counter.live(), []);
    trees.get(URI);
    trees.close(URI);
    assert.deepEqual(counter.live(), []);
  });

  it('frees the tree it parses to look for call sites, and keeps the one it is handed', () => {
    const fns = [{ name: 'make', file: URI, line: 0 }];
    assert.ok(findCallSitesOfEach(URI, TEXT, fns)[0].some((c) => c.context !== 'definition'));
    assert.deepEqual(counter.live(), []);
    const tree = parseRust(TEXT);
    findCallSitesOfEach(URI, TEXT, fns, tree);
    extractFacts(URI, TEXT, tree);
    assert.deepEqual(counter.live(), [tree]);
  });
});
