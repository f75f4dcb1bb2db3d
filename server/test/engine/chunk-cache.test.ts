/**
 * Phase one after an edit (`chunks.ts`): the facts kept from the last reading are exactly the
 * facts a fresh reading gives, and an edit re-reads only what it can change.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FactsCache, Layout, chunksOf, layoutStats, relayout } from '../../src/analysis/chunks';
import { FileFacts, extractFacts } from '../../src/analysis/facts';
import { initParser } from '../../src/parsing/parser';
import { TreeCache, endPoint } from '../../src/parsing/trees';

const FIXTURES = path.resolve(__dirname, '../../../../test-fixtures');

function rustFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? rustFiles(p) : e.name.endsWith('.rs') ? [p] : [];
  });
}

/** A document edited as the server edits it: the old tree `edit()`ed, then reparsed incrementally. */
class Document {
  private readonly trees = new TreeCache();
  private version = 1;
  constructor(public text: string) {
    this.trees.open('doc', 1, text);
  }
  replace(start: number, end: number, insert: string): void {
    const at = (offset: number) => {
      const before = this.text.slice(0, offset);
      return endPoint({ row: 0, column: 0 }, before);
    };
    const startPosition = at(start);
    const oldEndPosition = at(end);
    this.text = this.text.slice(0, start) + insert + this.text.slice(end);
    this.trees.change('doc', ++this.version, { startIndex: start, oldEndIndex: end, startPosition, oldEndPosition, newText: insert }, this.text);
  }
  facts(cache: FactsCache): FileFacts {
    const damage = this.trees.takeDamage('doc');
    return extractFacts('doc.rs', this.text, this.trees.get('doc')!.tree, {}, undefined, cache, damage);
  }
  tree() {
    return this.trees.get('doc')!.tree;
  }
  takeDamage() {
    return this.trees.takeDamage('doc');
  }
  /**
   * A reading without the cache, of the same tree: an incremental parse of broken code can recover
   * from the error differently than a parse from scratch, and the cache answers for the tree it is given.
   */
  fresh(): FileFacts {
    return extractFacts('doc.rs', this.text, this.trees.get('doc')!.tree);
  }
}

const plain = (facts: FileFacts) => JSON.parse(JSON.stringify(facts));

/** A seeded generator, so a failure names the edit that broke it. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const SNIPPETS = [
  ' ', '\n', 'x', ';', '}', '{', '(', 'p', 'let q = Box::into_raw(Box::new(1));', 'unsafe { drop(Box::from_raw(q)); }',
  'std::mem::forget(v);', 'Box::leak(Box::new(0));', 'fn helper(p: *mut u8) {}', 'loop { ', 'static mut G: u8 = 0;',
  // Line ends as old Macs and Windows write them: a lone `\r` ends a line too.
  '\r', '\r\n',
];

function randomEdit(doc: Document, next: () => number): string {
  const n = doc.text.length;
  const at = Math.floor(next() * (n + 1));
  const pick = next();
  if (pick < 0.35) {
    const s = SNIPPETS[Math.floor(next() * SNIPPETS.length)];
    doc.replace(at, at, s);
    return `insert ${JSON.stringify(s)} at ${at}`;
  }
  if (pick < 0.6) {
    const end = Math.min(n, at + 1 + Math.floor(next() * 8));
    doc.replace(at, end, '');
    return `delete ${at}..${end}`;
  }
  // Move a line elsewhere (or copy it): bindings and their uses drift apart.
  const lines = doc.text.split('\n');
  const from = Math.floor(next() * lines.length);
  const line = lines[from] + '\n';
  const lineStart = lines.slice(0, from).reduce((a, l) => a + l.length + 1, 0);
  if (pick < 0.8 && lineStart + line.length <= n) doc.replace(lineStart, lineStart + line.length, '');
  const to = Math.floor(next() * (doc.text.length + 1));
  const target = doc.text.lastIndexOf('\n', to - 1) + 1;
  doc.replace(target, target, line);
  return `${pick < 0.8 ? 'move' : 'copy'} line ${from + 1} to offset ${target}`;
}

describe('facts kept across edits', function () {
  this.timeout(300_000);
  before(() => initParser());

  for (const [label, split] of [['function bodies', undefined], ['every statement its own chunk', 0]] as const) {
    it(`equal a fresh reading after random edits of every fixture (${label})`, () => {
      for (const file of rustFiles(FIXTURES)) {
        const doc = new Document(fs.readFileSync(file, 'utf8'));
        const cache = new FactsCache(split);
        // Seeded by the fixture's own path, so every checkout runs the same edits.
        const next = random(path.relative(FIXTURES, file).length * 7919);
        doc.facts(cache);
        for (let i = 0; i < 20; i++) {
          const edit = randomEdit(doc, next);
          const kept = plain(doc.facts(cache));
          const fresh = plain(doc.fresh());
          assert.deepEqual(kept, fresh, `${path.relative(FIXTURES, file)}, edit ${i + 1}: ${edit}`);
        }
      }
    });
  }

  for (const [label, split] of [['function bodies', undefined], ['every statement its own chunk', 0]] as const) {
    it(`lay out a file after random edits of every fixture as a walk of the whole tree does (${label})`, () => {
      const whole = layoutStats.whole;
      let edits = 0;
      for (const file of rustFiles(FIXTURES)) {
        const doc = new Document(fs.readFileSync(file, 'utf8'));
        const next = random(path.relative(FIXTURES, file).length * 104729);
        let layout: Layout = chunksOf(doc.tree().rootNode, doc.text, split);
        doc.takeDamage();
        for (let i = 0; i < 30; i++) {
          const before = doc.text.length;
          const edit = randomEdit(doc, next);
          const damage = doc.takeDamage()!;
          layout = relayout(doc.tree().rootNode, doc.text, layout, damage, doc.text.length - before, split);
          assert.deepEqual(layout, chunksOf(doc.tree().rootNode, doc.text, split), `${path.relative(FIXTURES, file)}, edit ${i + 1}: ${edit}`);
          edits++;
        }
      }
      // The edits are spliced in, not answered by walking everything again.
      assert.ok(layoutStats.whole - whole < edits / 20, `${layoutStats.whole - whole} of ${edits} edits walked the whole tree`);
    });
  }

  const leak = '    Box::leak(Box::new(1));\n';

  it('walk again only the function typed in, of 2,000 functions, and only the method typed in, of an impl of 2,000', () => {
    for (const [open, close] of [['', ''], ['struct S;\nimpl S {\n', '}\n']]) {
      const doc = new Document(open + Array.from({ length: 2000 }, (_, i) => `    /// Leaks.\n    #[inline]\n    fn f${i}() {\n    ${leak}    }\n`).join('') + close);
      let layout = chunksOf(doc.tree().rootNode, doc.text);
      doc.takeDamage();
      const at = doc.text.indexOf('Box::new', doc.text.indexOf('fn f1000('));
      const before = doc.text.length;
      doc.replace(at, at, ' ');
      const walked = layoutStats.items;
      layout = relayout(doc.tree().rootNode, doc.text, layout, doc.takeDamage()!, doc.text.length - before);
      assert.ok(layoutStats.items - walked <= 4, `${layoutStats.items - walked} items walked`);
      assert.deepEqual(layout, chunksOf(doc.tree().rootNode, doc.text));
    }
  });

  it('cut again only the statements around the edit, of a function of 2,000 statements and of a loop of 2,000 in it', () => {
    for (const [open, close] of [['fn main() {\n', '}\n'], ['fn main() {\n    let a = 1;\n    loop {\n', '    }\n}\n']]) {
      const doc = new Document(open + leak.repeat(2000) + close);
      let layout = chunksOf(doc.tree().rootNode, doc.text);
      doc.takeDamage();
      for (const [at, insert] of [[doc.text.indexOf('Box::new', open.length + 1000 * leak.length), ' '], [open.length + 700 * leak.length - 1, '\n']] as const) {
        const before = doc.text.length;
        doc.replace(at, at, insert);
        const cut = layoutStats.statements;
        layout = relayout(doc.tree().rootNode, doc.text, layout, doc.takeDamage()!, doc.text.length - before);
        assert.ok(layoutStats.statements - cut <= 4, `${layoutStats.statements - cut} statements cut`);
        assert.deepEqual(layout, chunksOf(doc.tree().rootNode, doc.text));
      }
    }
  });

  it('re-read only the statement typed in, of a function of 2,000 statements', () => {
    const doc = new Document(`fn main() {\n${leak.repeat(2000)}}\n`);
    const cache = new FactsCache();
    doc.facts(cache);
    assert.equal(cache.stats.reused, 0);
    const at = doc.text.indexOf('Box::new', 1000 * leak.length);
    doc.replace(at, at, ' ');
    assert.deepEqual(plain(doc.facts(cache)), plain(doc.fresh()));
    assert.deepEqual(cache.stats, { chunks: 2000, reused: 1999 });
  });

  it('move the facts below a new line with their lines, re-reading only the line edited', () => {
    const doc = new Document(`fn main() {\n${leak.repeat(2000)}}\n`);
    const cache = new FactsCache();
    doc.facts(cache);
    const at = 'fn main() {\n'.length + 1000 * leak.length - 1;
    doc.replace(at, at, '\n');
    const kept = plain(doc.facts(cache));
    assert.deepEqual(kept, plain(doc.fresh()));
    assert.deepEqual(cache.stats, { chunks: 2000, reused: 1999 });
    assert.equal(kept.sites[1999].range.start.line, 2001, 'the last statement moved down a line');
  });

  it('cut a body of 20,000 nested blocks without running out of stack', function () {
    // web-tree-sitter's own parent walk is quadratic in the nesting (node-links fall back to it there).
    if (process.env.LEAK_LENS_PARSER === 'wasm') this.skip();
    const n = 20_000;
    const doc = new Document(`fn main() {\n${'{'.repeat(n)}loop { Box::leak(Box::new(1)); }${'}'.repeat(n)}\n}\n`);
    const kept = doc.facts(new FactsCache());
    assert.deepEqual(
      kept.sites.map((site) => site.rule),
      ['box-leak'],
    );
    assert.deepEqual(plain(kept), plain(doc.fresh()));
  });

  it('re-read only the function typed in, of 2,000 functions', () => {
    const doc = new Document(Array.from({ length: 2000 }, (_, i) => `fn f${i}() {\n${leak}}\n`).join(''));
    const cache = new FactsCache();
    doc.facts(cache);
    const at = doc.text.indexOf('Box::new', doc.text.indexOf('fn f1000('));
    doc.replace(at, at, ' ');
    assert.deepEqual(plain(doc.facts(cache)), plain(doc.fresh()));
    assert.deepEqual(cache.stats, { chunks: 2000, reused: 1999 });
  });

  it("re-read a function and its callers, not the rest, when its header or doc comment changes", () => {
    const others = Array.from({ length: 50 }, (_, i) => `fn f${i}() {\n${leak}}\n`).join('');
    const doc = new Document(`/// Makes one.\nfn make() -> &'static mut u8 {\n    Box::leak(Box::new(1))\n}\nfn user() {\n    make();\n}\n${others}`);
    const cache = new FactsCache();
    doc.facts(cache);
    const comment = doc.text.indexOf('one.');
    doc.replace(comment, comment, 'exactly ');
    assert.deepEqual(plain(doc.facts(cache)), plain(doc.fresh()));
    assert.deepEqual(cache.stats, { chunks: 52, reused: 50 }, 'make and user read again');
    const header = doc.text.indexOf('-> &');
    doc.replace(header, header, ' ');
    assert.deepEqual(plain(doc.facts(cache)), plain(doc.fresh()));
    assert.deepEqual(cache.stats, { chunks: 52, reused: 50 });
  });

  it('re-read a method whose impl closes before it', () => {
    // The method writes no word of the header: only its place in the `impl` ties it there.
    const doc = new Document(`use crate::handle::Handle;\nimpl Drop for Handle {\n    fn drop(&mut self) {\n        unsafe { drop(Box::from_raw(self.raw)) };\n    }\n}\n`);
    const cache = new FactsCache();
    assert.equal(doc.facts(cache).owners.reclaims[0].within?.isDrop, true);
    const at = doc.text.indexOf('    fn drop');
    doc.replace(at, at, '}\n');
    const kept = doc.facts(cache);
    assert.equal(kept.owners.reclaims[0].within?.isDrop, false, 'now a free function named drop');
    assert.deepEqual(plain(kept), plain(doc.fresh()));
  });

  it('keep the facts of functions that share with the one edited only a local name, a type or a comment word', () => {
    const body = (i: number) => `fn f${i}(v: Vec<u8>) {\n    // SAFETY: the value is never used again\n    let b: Box<Thing> = Box::new(Thing);\n    std::mem::forget(v);\n    Box::leak(b);\n}\n`;
    const doc = new Document(`struct Thing;\n${Array.from({ length: 50 }, (_, i) => body(i)).join('')}`);
    const cache = new FactsCache();
    doc.facts(cache);
    const at = doc.text.indexOf('Box::leak', doc.text.indexOf('fn f20('));
    doc.replace(at, at, ' ');
    assert.deepEqual(plain(doc.facts(cache)), plain(doc.fresh()));
    assert.deepEqual(cache.stats, { chunks: 50, reused: 49 });
  });

  it('re-read a function that calls an item declared inside another function when that item changes', () => {
    const doc = new Document('fn outer() {\n    fn make() -> Box<u8> { Box::new(1) }\n}\nfn user(p: *mut u8) {\n    std::mem::forget(make());\n}\n');
    const cache = new FactsCache();
    const before = plain(doc.facts(cache));
    const at = doc.text.indexOf('Box::new(1)');
    doc.replace(at, at + 'Box::new(1)'.length, 'unsafe { Box::from_raw(p) }');
    const after = plain(doc.facts(cache));
    assert.deepEqual(after, plain(doc.fresh()));
    assert.notDeepEqual(after.sites, before.sites, "the forget site reads `make`'s body");
  });

  it('re-read the functions that call a function edited', () => {
    const doc = new Document(`fn make() -> &'static mut u8 {\n    Box::leak(Box::new(1))\n}\nfn user() {\n    make();\n}\nfn other() {\n${leak}}\n`);
    const cache = new FactsCache();
    doc.facts(cache);
    const at = doc.text.indexOf('Box::new');
    doc.replace(at, at, ' ');
    doc.facts(cache);
    assert.deepEqual(cache.stats, { chunks: 3, reused: 1 }, 'make and user read again, other kept');
  });

  it("re-read a binding's statement when a later use of it changes", () => {
    const filler = leak.repeat(100);
    const doc = new Document(`fn main() {\n    let p = Box::into_raw(Box::new(1));\n${filler}    unsafe { drop(Box::from_raw(p)); }\n}\n`);
    const cache = new FactsCache();
    const before = doc.facts(cache).sites.find((s) => s.rule === 'into-raw')!;
    const at = doc.text.indexOf('from_raw(p)') + 'from_raw('.length;
    doc.replace(at, at + 1, 'other');
    const after = doc.facts(cache).sites.find((s) => s.rule === 'into-raw')!;
    assert.notDeepEqual(after, before, 'the reclaim is gone, so the into_raw site reads differently');
    assert.deepEqual(plain(doc.facts(cache)), plain(doc.fresh()));
  });

  describe('of a file naming its `static mut` 2,000 times', () => {
    const statements = '        let _r = &A;\n'.repeat(2000);
    const refs = (decl: string) => `${decl}\nfn main() {\n    unsafe {\n${statements}    }\n}\n`;
    const references = (facts: FileFacts) => facts.sites.filter((s) => s.rule === 'static-mut' && s.message.startsWith('a shared reference'));

    it('keep the references of the functions not typed in, the same sites, and read the one typed in again', () => {
      const functions = Array.from({ length: 2000 }, (_, i) => `fn f${i}() {\n    unsafe {\n        let _r = &A;\n    }\n}\n`).join('');
      const doc = new Document(`static mut A: u8 = 0;\n${functions}`);
      const cache = new FactsCache();
      const before = new Set(references(doc.facts(cache)));
      assert.equal(before.size, 2000);
      const at = doc.text.indexOf('&A', doc.text.length / 2);
      doc.replace(at, at, ' ');
      const after = references(doc.facts(cache));
      assert.equal(after.length, 2000);
      assert.equal(after.filter((s) => before.has(s)).length, 1999, 'sites kept, not made anew');
      assert.deepEqual(plain(doc.facts(cache)), plain(doc.fresh()));
    });

    it('drop every reference when the static stops being mut, and find them again when it is', () => {
      const doc = new Document(refs('static mut A: u8 = 0;'));
      const cache = new FactsCache();
      doc.facts(cache);
      const mut = doc.text.indexOf('mut ');
      doc.replace(mut, mut + 4, '');
      assert.equal(references(doc.facts(cache)).length, 0);
      assert.deepEqual(plain(doc.facts(cache)), plain(doc.fresh()));
      doc.replace(mut, mut, 'mut ');
      assert.equal(references(doc.facts(cache)).length, 2000);
      assert.deepEqual(plain(doc.facts(cache)), plain(doc.fresh()));
    });

    it('find the references once the static is declared, and none once a static in the block hides it', () => {
      const doc = new Document(refs('static B: u8 = 0;'));
      const cache = new FactsCache();
      assert.equal(references(doc.facts(cache)).length, 0);
      doc.replace(0, 0, 'static mut A: u8 = 0;\n');
      assert.equal(references(doc.facts(cache)).length, 2000);
      assert.deepEqual(plain(doc.facts(cache)), plain(doc.fresh()));
      const body = doc.text.indexOf('        let _r');
      doc.replace(body, body, '        static A: u8 = 1;\n');
      assert.equal(references(doc.facts(cache)).length, 0, 'each `&A` now borrows the inner static');
      assert.deepEqual(plain(doc.facts(cache)), plain(doc.fresh()));
    });
  });
});
