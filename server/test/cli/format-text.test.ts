import * as assert from 'node:assert/strict';
import { formatText, summaryLine, underline } from '../../src/cli/format-text';
import { ANSI } from '../../src/cli/style';
import { finding, report } from './helpers';

describe('text output', () => {
  it('renders a finding like rustc: header, location, source line, carets, notes and help', () => {
    const text = formatText(report(), { summary: false });
    assert.equal(
      text,
      [
        'warning[box-leak]: real leak: `Box::leak` leaks on every iteration of the `loop` at line 1',
        ' --> src/main.rs:2:13',
        '  |',
        '2 |     let s = Box::leak(Box::new(x));',
        '  |             ^^^^^^^^^^^^^^^^^^^^^^',
        '  |',
        '  = note: `Box::leak` happens inside the `loop` at line 1',
        '  = note: every iteration leaks a new allocation',
        '  = help: Keep the value owned instead of leaking it',
        '  = help: for more information see https://github.com/leak-lens/leak-lens/blob/main/docs/rules/box-leak.md',
        '',
      ].join('\n'),
    );
  });

  it('names the kind in the first note when the message does not (rules about undefined behaviour)', () => {
    const f = finding({ rule: 'static-mut', kind: 'intentional-static', message: '`static mut X: u8` is a mutable global', reasons: ['`X` lives for the whole program', 'every access is `unsafe`'] });
    const notes = formatText(report({ findings: [f] }), { summary: false }).split('\n').filter((l) => l.includes('= note:'));
    assert.deepEqual(notes, ['  = note: intentional static: `X` lives for the whole program', '  = note: every access is `unsafe`']);
  });

  it('writes no empty note when the message already names the kind and there are no reasons', () => {
    const text = formatText(report({ findings: [finding({ reasons: [] })] }), { summary: false });
    assert.doesNotMatch(text, /= note:/);
    const bare = formatText(report({ findings: [finding({ rule: 'static-mut', kind: 'intentional-static', message: '`static mut X: u8` is a mutable global', reasons: [] })] }), { summary: false });
    assert.match(bare, /^ {2}= note: intentional static$/m);
  });

  it('uses info and hint as the words for information and hint severities', () => {
    const text = formatText(report({ findings: [finding({ severity: 'information' }), finding({ severity: 'hint', rule: 'into-raw' })] }));
    assert.match(text, /^info\[box-leak\]: /m);
    assert.match(text, /^hint\[into-raw\]: /m);
  });

  it('widens the gutter to fit the largest line number', () => {
    const source = 'x\n'.repeat(11) + '    Box::leak(b);\n';
    const f = finding({ range: { start: { line: 11, character: 4 }, end: { line: 11, character: 16 } } });
    const text = formatText(report({ findings: [f], sources: new Map([['src/main.rs', source]]) }), { summary: false });
    assert.match(text, /^ {2}--> src\/main\.rs:12:5$/m);
    assert.match(text, /^12 \|     Box::leak\(b\);$/m);
    assert.match(text, /^ {3}\|     \^{12}$/m);
  });

  it('underlines a multi-line range to the end of its first line', () => {
    const f = finding({ range: { start: { line: 1, character: 12 }, end: { line: 2, character: 1 } } });
    const text = formatText(report({ findings: [f] }), { summary: false });
    assert.match(text, /^ {2}\| {13}\^{23}$/m);
  });

  it('prints related locations as notes with their own source line', () => {
    const f = finding({ related: [{ file: 'src/main.rs', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } }, message: 'the loop that repeats it' }] });
    const text = formatText(report({ findings: [f] }), { summary: false });
    assert.match(text, /^note: the loop that repeats it\n --> src\/main\.rs:1:1\n {2}\|\n1 \| fn main\(\) \{\n {2}\| \^\^$/m);
  });

  it('prints the location without a snippet when the source is not available', () => {
    const text = formatText(report({ sources: new Map() }), { summary: false });
    assert.match(text, /^ --> src\/main\.rs:2:13\n {2}\|\n {2}= note: /m);
  });

  it('colours only when given the ANSI style', () => {
    assert.doesNotMatch(formatText(report()), /\x1b\[/);
    assert.match(formatText(report(), { style: ANSI }), /\x1b\[1;33mwarning\[box-leak\]\x1b\[0m/);
  });

  it('ends with a summary of findings by severity, real leaks, files and errors', () => {
    const r = report({
      filesScanned: 4,
      findings: [finding(), finding(), finding({ severity: 'information', kind: 'intentional-static' }), finding({ severity: 'error' })],
      errors: [{ file: 'bad.rs', message: 'binary file' }],
    });
    assert.equal(summaryLine(r), 'leak-lens: 4 findings (1 error, 2 warnings, 1 info; 3 real leaks) in 4 files scanned; 1 input error');
  });

  it('says so when there are no findings', () => {
    assert.equal(summaryLine(report({ findings: [], filesScanned: 1 })), 'leak-lens: no findings in 1 file scanned');
  });

  it('omits the summary when asked to', () => {
    assert.doesNotMatch(formatText(report(), { summary: false }), /leak-lens:/);
  });
});

describe('underlining a source line', () => {
  it('expands tabs so the carets stay under the span', () => {
    assert.deepEqual(underline('\tlet x = y;', 5, 6), { line: '    let x = y;', caretStart: 8, caretLength: 1 });
  });

  it('counts a character outside the BMP as one cell', () => {
    assert.deepEqual(underline('"🦀" + x', 7, 8), { line: '"🦀" + x', caretStart: 6, caretLength: 1 });
  });

  it('draws one caret for an empty range', () => {
    assert.deepEqual(underline('abc', 1, 1), { line: 'abc', caretStart: 1, caretLength: 1 });
  });

  it('clamps a range beyond the end of the line', () => {
    assert.deepEqual(underline('abc', 10, 12), { line: 'abc', caretStart: 3, caretLength: 1 });
  });

  it('shows a window of a very long line around the span', () => {
    const line = 'a'.repeat(500) + 'Box::leak(b)' + 'z'.repeat(500);
    const snippet = underline(line, 500, 512);
    assert.ok(snippet.line.startsWith('...') && snippet.line.endsWith('...'));
    assert.equal(snippet.line.slice(snippet.caretStart, snippet.caretStart + snippet.caretLength), 'Box::leak(b)');
    assert.ok(snippet.line.length < 130);
  });

  it('shows the same window of a long line with tabs and emoji whether the span is near its start or deep inside', () => {
    // 40 cells of context before the span, 120 cells in all, `...` where the line goes on.
    const context = '\t🦀'.repeat(8);
    const tail = 'y'.repeat(300);
    const near = underline(`${context}Box::leak(b)${tail}`, context.length, context.length + 12);
    const deep = underline(`${'w'.repeat(5000)}${context}Box::leak(b)${tail}`, 5000 + context.length, 5000 + context.length + 12);
    const cells = '    🦀'.repeat(8);
    assert.deepEqual(near, { line: `${cells}Box::leak(b)${'y'.repeat(120 - 40 - 12)}...`, caretStart: 40, caretLength: 12 });
    assert.deepEqual(deep, { line: `...${cells}Box::leak(b)${'y'.repeat(120 - 40 - 12)}...`, caretStart: 43, caretLength: 12 });
  });
});
