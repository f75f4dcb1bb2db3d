/** Lexical helpers the cache reads code with (`analysis/text.ts`). */
import * as assert from 'node:assert/strict';
import { withoutComments } from '../../src/analysis/text';

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
