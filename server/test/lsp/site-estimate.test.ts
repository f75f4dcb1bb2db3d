/**
 * The sites an open document's edited tree is checked against (`sitesToExpect`): the last
 * reading's outside the damaged lines, found by line through the edit's added or removed lines,
 * plus those the damaged lines' words promise.
 */
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { sitesToExpect } from '../../src/lsp/input-limits';

const LEAK = '    Box::leak(Box::new(1));\n';
/** `fn main() {` and n leak statements, one site each on lines 1 to n. */
const STATEMENTS = (n: number) => `fn main() {\n${LEAK.repeat(n)}}\n`;
const readingOf = (text: string, n: number) => ({
  sites: Array.from({ length: n }, (_, i) => ({ range: { start: { line: i + 1, character: 4 }, end: { line: i + 1, character: 26 } } })),
  lines: TextDocument.create('file:///a.rs', 'rust', 1, text).lineCount,
});

/** `text` with `inserted` in place of `removed` characters at `at`, and the damage around it. */
function edit(text: string, at: number, removed: number, inserted: string) {
  const after = text.slice(0, at) + inserted + text.slice(at + removed);
  return { after, lines: TextDocument.create('file:///a.rs', 'rust', 2, after), damage: { start: at, end: at + inserted.length } };
}

describe('the sites an edited document is expected to hold', () => {
  const n = 300;
  const before = STATEMENTS(n);
  const lineStart = (line: number) => 'fn main() {\n'.length + (line - 1) * LEAK.length;

  it('counts a site on an edited line once', () => {
    // `x` typed at the end of line 100's statement, which the reparse damaged as a whole.
    const { after, lines } = edit(before, lineStart(100) + LEAK.length - 1, 0, 'x');
    const damage = { start: lineStart(100) + 4, end: lineStart(101) };
    assert.equal(sitesToExpect(after, damage, readingOf(before, n), lines), n);
  });

  it('adds the sites of the lines an edit adds, and keeps those of the lines it moved', () => {
    // Line 100 becomes three lines, two of them leaks: the 200 sites below move down by two lines.
    const { after, lines, damage } = edit(before, lineStart(100), LEAK.length, LEAK + LEAK + '    let x = 1;\n');
    assert.equal(sitesToExpect(after, damage, readingOf(before, n), lines), n + 1);
  });

  it('drops the sites of the lines an edit deletes', () => {
    // Lines 10 to 59 deleted: the sites below move up by 50 lines.
    const { after, lines, damage } = edit(before, lineStart(10), 50 * LEAK.length, '');
    assert.equal(sitesToExpect(after, damage, readingOf(before, n), lines), n - 50);
  });

  it('reads no more than the damage of a line far longer than it, and counts its sites twice rather than none', () => {
    const statement = 'Box::leak(Box::new(1)); ';
    const line = `fn main() { ${statement.repeat(10_000)}}\n`;
    const reading = { sites: Array.from({ length: 10_000 }, () => ({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } })), lines: 2 };
    const at = 12 + 5_000 * statement.length;
    const { after, lines } = edit(line, at, 0, 'x');
    assert.equal(sitesToExpect(after, { start: at, end: at + statement.length + 1 }, reading, lines), 10_001);
  });

  it('counts every site of a text without a last reading', () => {
    assert.equal(sitesToExpect(before), n);
  });
});
