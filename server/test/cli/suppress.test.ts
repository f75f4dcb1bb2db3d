import * as assert from 'node:assert/strict';
import { isSuppressed, parseSuppressions } from '../../src/analysis/suppress';

describe('suppression comments', () => {
  it('silence the named rule on the line of a trailing comment', () => {
    const s = parseSuppressions('let a = Box::leak(b); // leak-lens: allow(box-leak)\n');
    assert.equal(isSuppressed(s, 0, 'box-leak'), true);
  });

  it('silence the named rule on the line below a comment on its own line', () => {
    const s = parseSuppressions('// leak-lens: allow(box-leak)\nlet a = Box::leak(b);\n');
    assert.equal(isSuppressed(s, 1, 'box-leak'), true);
  });

  it('do not reach the line below a trailing comment', () => {
    const s = parseSuppressions('a(); // leak-lens: allow(box-leak)\nlet b = Box::leak(c);\n');
    assert.equal(isSuppressed(s, 1, 'box-leak'), false);
  });

  it('do not reach two lines below the comment', () => {
    const s = parseSuppressions('// leak-lens: allow(box-leak)\n\nlet a = Box::leak(b);\n');
    assert.equal(isSuppressed(s, 2, 'box-leak'), false);
  });

  it('do not reach the line above the comment', () => {
    const s = parseSuppressions('let a = Box::leak(b);\n// leak-lens: allow(box-leak)\n');
    assert.equal(isSuppressed(s, 0, 'box-leak'), false);
  });

  it('silence only the rules they name', () => {
    const s = parseSuppressions('// leak-lens: allow(box-leak)\nstatic mut X: i32 = 0;\n');
    assert.equal(isSuppressed(s, 1, 'static-mut'), false);
  });

  it('accept several comma-separated rules with any spacing', () => {
    const s = parseSuppressions('//leak-lens:allow( box-leak ,static-mut )\n');
    assert.equal(isSuppressed(s, 0, 'box-leak'), true);
    assert.equal(isSuppressed(s, 0, 'static-mut'), true);
  });

  it('silence every rule with allow(all)', () => {
    const s = parseSuppressions('x(); // leak-lens: allow(all) generated code\n');
    assert.equal(isSuppressed(s, 0, 'rc-cycle'), true);
    assert.equal(isSuppressed(s, 0, 'mem-forget'), true);
  });

  it('keep the free-text reason after the parenthesis', () => {
    const s = parseSuppressions('// leak-lens: allow(box-leak) config lives for the whole program\n');
    assert.equal(s.comments[0].reason, 'config lives for the whole program');
  });

  it('ignore unknown rule names but expose them for a warning', () => {
    const s = parseSuppressions('// leak-lens: allow(box-leek, static-mut)\n');
    assert.deepEqual(s.comments[0].unknownRules, ['box-leek']);
    assert.deepEqual(s.comments[0].rules, ['static-mut']);
  });

  it('require `//` comment syntax', () => {
    const s = parseSuppressions('/* leak-lens: allow(box-leak) */ let a = Box::leak(b);\nleak-lens: allow(box-leak)\n');
    assert.equal(s.comments.length, 0);
    assert.equal(isSuppressed(s, 0, 'box-leak'), false);
  });

  it('count lines the way LSP positions do, for \\r\\n and \\n alike', () => {
    const s = parseSuppressions('fn a() {}\r\n// leak-lens: allow(box-leak)\r\nlet a = Box::leak(b);\n');
    assert.equal(isSuppressed(s, 2, 'box-leak'), true);
  });

  it('merge a trailing comment with a comment on the line above', () => {
    const s = parseSuppressions('// leak-lens: allow(box-leak)\nlet a = 1; // leak-lens: allow(static-mut)\n');
    assert.equal(isSuppressed(s, 1, 'box-leak'), true);
    assert.equal(isSuppressed(s, 1, 'static-mut'), true);
  });

  it('find nothing in text without the marker', () => {
    const s = parseSuppressions('fn main() { Box::leak(Box::new(1)); }\n');
    assert.equal(s.comments.length, 0);
    assert.equal(s.byLine.size, 0);
  });
});
