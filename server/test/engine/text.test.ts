/** Lexical helpers the cache reads code with (`analysis/text.ts`). */
import * as assert from 'node:assert/strict';
import { positionCounter, withoutComments } from '../../src/analysis/text';

describe('code without its comments', function () {
  const blanked = (text: string) => withoutComments(text).replace(/ +/g, ' ');

  it('blanks line and block comments, keeping every offset and line end', () => {
    const text = 'a // the b\nc /* d\ne */ f';
    const out = withoutComments(text);
    assert.equal(out.length, text.length);
    assert.equal(out, 'a         \nc     \n     f');
  });

  it('blanks nested block comments to their own end', () => {
    assert.equal(blanked('a /* b /* c */ d */ e'), 'a e');
  });

  it('keeps strings whole, comment markers and all', () => {
    assert.equal(withoutComments('let s = "// not a comment /* nor this";'), 'let s = "// not a comment /* nor this";');
    assert.equal(blanked('f("a\\"// b") // c'), 'f("a\\"// b") ');
  });

  it('keeps raw strings to the end their own `#`s mark', () => {
    assert.equal(blanked('r#"a "// b"# // c'), 'r#"a "// b"# ');
    assert.equal(blanked('br"/*"; x // y'), 'br"/*"; x ');
  });

  it("tells a character `'\"'` from a lifetime `'a`", () => {
    assert.equal(blanked(`let q = '"'; // "c`), `let q = '"'; `);
    assert.equal(blanked("fn f<'a>(x: &'a str) {} // g"), "fn f<'a>(x: &'a str) {} ");
    assert.equal(blanked("'\\'' // h"), "'\\'' ");
  });
});

describe('positions of offsets', function () {
  it("counts the editor's lines: a `\\n`, a `\\r\\n` and a lone `\\r` each end one, with or without any `\\r` in the text", () => {
    for (const text of ['ab\ncd\n\nef', 'ab\r\ncd\rx\n\r\nef\r', 'one line', '\n\n\n']) {
      const at = positionCounter(text);
      // Each offset's position written out by hand from the definition: rows are line ends before it.
      let row = 0;
      let lineStart = 0;
      for (let offset = 0; offset <= text.length; offset++) {
        assert.deepEqual(at(offset), { row, column: offset - lineStart }, `${JSON.stringify(text)} at ${offset}`);
        if (text[offset] === '\n' || (text[offset] === '\r' && text[offset + 1] !== '\n')) {
          row++;
          lineStart = offset + 1;
        }
      }
    }
  });

  it('answers the same offset asked twice, and offsets asked far apart', () => {
    const text = 'a\nb\nc\nd';
    const at = positionCounter(text);
    assert.deepEqual(at(2), { row: 1, column: 0 });
    assert.deepEqual(at(2), { row: 1, column: 0 });
    assert.deepEqual(at(7), { row: 3, column: 1 });
  });
});
