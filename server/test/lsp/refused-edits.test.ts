/**
 * Edits of an open document the server refuses (too dense to analyse, lsp/input-limits.ts): it has
 * no reading to go by, so its site words are what each edit is weighed by, and they are counted
 * again only around the edit (`WordCounts`, `siteWordsAfter`), as many as a count of the whole
 * text finds.
 */
import * as assert from 'node:assert/strict';
import { siteWordCount, siteWordStats, siteWordsAfter } from '../../src/analysis/facts';
import { WordCounts } from '../../src/lsp/input-limits';
import { TreeCache, endPoint } from '../../src/parsing/trees';

const LEAK = '    Box::leak(Box::new(1));\n';
const URI = 'file:///dense.rs';

/** A seeded generator, so a failure names the edit that broke it. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const SNIPPETS = ['x', ' ', '\n', 'leak', 'Box::leak(Box::new(2));', 'mem::forget(v);', 'into_raw', 'static ', 'Rc<', '// ', 'lea', 'k'];

/** A refused document in a tree cache, edited as the document store edits it. */
class RefusedDocument {
  readonly trees = new TreeCache();
  private version = 1;
  constructor(public text: string) {
    this.trees.open(URI, 1, text);
    this.trees.refuse(URI);
  }
  replace(start: number, end: number, insert: string): void {
    const at = (offset: number) => endPoint({ row: 0, column: 0 }, this.text.slice(0, offset));
    const [startPosition, oldEndPosition] = [at(start), at(end)];
    this.text = this.text.slice(0, start) + insert + this.text.slice(end);
    this.trees.change(URI, ++this.version, { startIndex: start, oldEndIndex: end, startPosition, oldEndPosition, newText: insert }, this.text);
  }
}

describe('the site words of a refused document', () => {
  it('are as many as a count of the whole text finds, after each of 500 random edits', () => {
    const next = random(14);
    const doc = new RefusedDocument(`fn main() {\n${LEAK.repeat(300)}}\n`);
    const counts = new WordCounts();
    assert.equal(counts.count(doc.trees, URI, doc.text), siteWordCount(doc.text));
    for (let i = 0; i < 500; i++) {
      const at = Math.floor(next() * (doc.text.length + 1));
      const edit =
        next() < 0.6
          ? ((s) => (doc.replace(at, at, s), `insert ${JSON.stringify(s)} at ${at}`))(SNIPPETS[Math.floor(next() * SNIPPETS.length)])
          : ((n) => (doc.replace(at, Math.min(doc.text.length, at + n), ''), `delete ${n} at ${at}`))(1 + Math.floor(next() * 40));
      // Two edits before a count, now and then: the damage of both is what is read again.
      if (next() < 0.2) continue;
      assert.equal(counts.count(doc.trees, URI, doc.text), siteWordCount(doc.text), `after edit ${i}: ${edit}`);
    }
  });

  it('are read whole once, then only around each edit, in a document of 20,000 leak statements', () => {
    const doc = new RefusedDocument(`fn main() {\n${LEAK.repeat(20_000)}}\n`);
    const counts = new WordCounts();
    const before = siteWordStats.wholeCounts;
    assert.equal(counts.count(doc.trees, URI, doc.text), 20_000, 'one `leak` a statement');
    for (let i = 0; i < 20; i++) {
      const at = doc.text.indexOf('\n', Math.floor((i + 0.5) * (doc.text.length / 20)));
      doc.replace(at, at, i % 2 ? 'Box::leak' : 'x');
      counts.count(doc.trees, URI, doc.text);
    }
    assert.equal(counts.count(doc.trees, URI, doc.text), siteWordCount(doc.text));
    assert.equal(siteWordStats.wholeCounts - before, 1);
  });

  it('are read whole again after a whole replacement, and in a text that names a static mut', () => {
    const doc = new RefusedDocument(`fn main() {\n${LEAK.repeat(100)}}\n`);
    const counts = new WordCounts();
    counts.count(doc.trees, URI, doc.text);
    const before = siteWordStats.wholeCounts;
    doc.text = `static mut A: u8 = 0;\n${doc.text}`;
    doc.trees.change(URI, 9, undefined, doc.text);
    assert.equal(counts.count(doc.trees, URI, doc.text), siteWordCount(doc.text));
    doc.replace(doc.text.length - 2, doc.text.length - 2, 'A; A; ');
    assert.equal(counts.count(doc.trees, URI, doc.text), siteWordCount(doc.text), 'each mention of `A` may be a site');
    assert.equal(siteWordStats.wholeCounts - before, 2);
    assert.deepEqual(siteWordsAfter('', undefined, undefined), { length: 0, count: 0, starts: new Int32Array(0) });
  });
});
