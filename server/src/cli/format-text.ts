/**
 * Human output in the style of rustc and clippy, so it reads like the compiler diagnostics Rust
 * developers already scan every day:
 *
 *     warning[box-leak]: real leak: `Box::leak` leaks on every iteration of the `loop` at line 10
 *       --> src/main.rs:12:21
 *        |
 *     12 |     let s = Box::leak(Box::new(x));
 *        |             ^^^^^^^^^^^^^^^^^^^^^^
 *        |
 *        = note: <first reason> (after the kind, `real leak: …`, when the message has none)
 *        = note: <further reasons, one per line>
 *        = help: <first fix from the catalog>
 *        = help: for more information see <docs url>
 *     note: <related location message>
 *       --> src/main.rs:10:5
 *        |
 *     10 |     loop {
 *        |     ^^^^
 *
 * Severity words are `error`, `warning`, `info` and `hint`; rustc's `note` is avoided because it
 * already labels the explanatory lines. Columns are 1-based; a range spanning lines is underlined
 * to the end of its first line.
 */
import { KIND_TITLES, RULES, docsUrl, messageStartsWithKind } from '../../../shared/src/catalog';
import { Finding, Range, Severity } from '../../../shared/src/findings';
import { CheckReport, SourceLines, countBySeverity } from './report';
import { printable } from './printable';
import { PLAIN, Style } from './style';

export const SEVERITY_WORDS: Record<Severity, string> = {
  error: 'error',
  warning: 'warning',
  information: 'info',
  hint: 'hint',
};

export interface TextOptions {
  style?: Style;
  /** Leave out the closing summary line (`--quiet`). */
  summary?: boolean;
}

export function formatText(report: CheckReport, options: TextOptions = {}): string {
  return [...textChunks(report, options)].join('');
}

/** The report in pieces, one finding each, for output too large to be one string. */
export function* textChunks(report: CheckReport, options: TextOptions = {}): Generator<string> {
  const style = options.style ?? PLAIN;
  const lines = new SourceLines(report.sources);
  let first = true;
  for (const finding of report.findings) {
    yield (first ? '' : '\n') + renderFinding(finding, lines, style).join('\n') + '\n';
    first = false;
  }
  if (options.summary !== false) yield (first ? '' : '\n') + summaryLine(report) + '\n';
}

/** `leak-lens: 3 findings (2 warnings, 1 info; 2 real leaks) in 4 files scanned; 1 input error` */
export function summaryLine(report: CheckReport): string {
  const files = plural(report.filesScanned, 'file');
  const errors = report.errors.length > 0 ? `; ${plural(report.errors.length, 'input error')}` : '';
  if (report.findings.length === 0) return `leak-lens: no findings in ${files} scanned${errors}`;
  const counts = countBySeverity(report.findings);
  const bySeverity = (Object.keys(counts) as Severity[])
    .filter((s) => counts[s] > 0)
    // "info" is a mass noun: "5 info", not "5 infos".
    .map((s) => (s === 'information' ? `${counts[s]} info` : plural(counts[s], SEVERITY_WORDS[s])));
  const realLeaks = report.findings.filter((f) => f.kind === 'real-leak').length;
  const leaks = realLeaks > 0 ? `; ${plural(realLeaks, 'real leak')}` : '';
  return `leak-lens: ${plural(report.findings.length, 'finding')} (${bySeverity.join(', ')}${leaks}) in ${files} scanned${errors}`;
}

function renderFinding(finding: Finding, sources: SourceLines, style: Style): string[] {
  const rule = RULES[finding.rule];
  const lineNumbers = [finding.range.start.line, ...finding.related.map((r) => r.range.start.line)];
  const width = String(Math.max(...lineNumbers) + 1).length;
  const pad = ' '.repeat(width);
  const gutter = style.frame(`${pad} |`);
  const severity = SEVERITY_WORDS[finding.severity];

  const out = [style.severity(finding.severity, `${severity}[${finding.rule}]`) + style.bold(`: ${printable(finding.message)}`)];
  out.push(...renderLocation(finding.file, finding.range, sources, style, width, finding.severity));
  out.push(gutter);

  const [first, ...rest] = finding.reasons;
  const kind = KIND_TITLES[finding.kind];
  const note = (text: string) => `${pad} ${style.frame('=')} ${style.bold('note')}: ${printable(text)}`;
  const help = (text: string) => `${pad} ${style.frame('=')} ${style.bold('help')}: ${text}`;
  // The kind leads the first note, unless the message already starts with it.
  const kindNote = messageStartsWithKind(finding.rule) ? first : first === undefined ? kind : `${kind}: ${first}`;
  if (kindNote !== undefined) out.push(note(kindNote));
  for (const reason of rest) out.push(note(reason));
  if (rule.fixes.length > 0) out.push(help(rule.fixes[0].title));
  out.push(help(`for more information see ${docsUrl(finding.rule)}`));

  for (const related of finding.related) {
    out.push(style.bold(`note: ${printable(related.message || 'related location')}`));
    out.push(...renderLocation(related.file, related.range, sources, style, width, 'information'));
  }
  return out;
}

/** The `-->` line and, when the source is at hand, the quoted line with its underline. */
function renderLocation(file: string, range: Range, sources: SourceLines, style: Style, width: number, severity: Severity): string[] {
  const pad = ' '.repeat(width);
  const out = [`${pad}${style.frame('-->')} ${printable(file)}:${range.start.line + 1}:${range.start.character + 1}`];
  const text = sources.line(file, range.start.line);
  if (text === undefined) return out;
  const end = range.end.line === range.start.line ? range.end.character : text.length;
  const snippet = underline(text, range.start.character, end);
  const number = String(range.start.line + 1).padStart(width);
  out.push(style.frame(`${pad} |`));
  out.push(`${style.frame(`${number} |`)} ${snippet.line}`.trimEnd());
  out.push(`${style.frame(`${pad} |`)} ${' '.repeat(snippet.caretStart)}${style.severity(severity, '^'.repeat(snippet.caretLength))}`);
  return out;
}

const TAB_WIDTH = 4;
/** Longer lines (minified or generated code) are cut to a window around the underlined span. */
const MAX_LINE_WIDTH = 120;
const CONTEXT_BEFORE = 40;

interface Snippet {
  line: string;
  caretStart: number;
  caretLength: number;
}

/**
 * Lays out one source line for display. `start`/`end` are UTF-16 offsets (LSP characters); the
 * result counts display cells, with tabs expanded and surrogate pairs as one cell.
 */
export function underline(text: string, start: number, end: number): Snippet {
  // A line this long is shown cut to a window anyway; laying out only the part around the span
  // keeps a finding's cost independent of the line's length (8,000 findings on one generated
  // line cost 8,000 times that line otherwise). A cell takes at most 2 code units, so the part
  // holds the window's cells; each side is cut at a code point boundary.
  if (text.length > 4 * MAX_LINE_WIDTH && start < text.length) {
    const from = codePointStart(text, Math.max(0, start - 2 * CONTEXT_BEFORE));
    const to = codePointStart(text, Math.min(text.length, start + 2 * MAX_LINE_WIDTH));
    return layOut(text.slice(from, to), start - from, Math.min(end, to) - from, from > 0, to < text.length);
  }
  return layOut(text, start, end, false, false);
}

/** `i`, or `i - 1` when `i` would split a surrogate pair. */
function codePointStart(text: string, i: number): number {
  const c = text.charCodeAt(i);
  return i > 0 && c >= 0xdc00 && c <= 0xdfff ? i - 1 : i;
}

/** `cutBefore`/`cutAfter`: `text` is part of a longer line, cut there. */
function layOut(text: string, start: number, end: number, cutBefore: boolean, cutAfter: boolean): Snippet {
  // One entry per display cell, so slicing and caret arithmetic never split a character.
  const cells: string[] = [];
  let startCell = -1;
  let endCell = -1;
  for (let i = 0; ; ) {
    if (i >= start && startCell < 0) startCell = cells.length;
    if (i >= end && endCell < 0) endCell = cells.length;
    if (i >= text.length) break;
    const char = String.fromCodePoint(text.codePointAt(i)!);
    if (char === '\t') cells.push(...' '.repeat(TAB_WIDTH));
    else cells.push(printable(char));
    i += char.length;
  }
  // Positions past the end of the line (a stale range, a trailing newline) clamp to its end.
  if (startCell < 0) startCell = cells.length;
  if (endCell < startCell) endCell = startCell;
  let caretStart = startCell;
  let caretLength = Math.max(1, endCell - startCell);
  if (cells.length <= MAX_LINE_WIDTH && !cutBefore && !cutAfter) return { line: cells.join(''), caretStart, caretLength };

  const from = Math.max(0, startCell - CONTEXT_BEFORE);
  const to = Math.min(cells.length, from + MAX_LINE_WIDTH);
  const prefix = from > 0 || cutBefore ? '...' : '';
  const suffix = to < cells.length || cutAfter ? '...' : '';
  caretStart = startCell - from + prefix.length;
  caretLength = Math.max(1, Math.min(caretLength, to - startCell));
  return { line: prefix + cells.slice(from, to).join('') + suffix, caretStart, caretLength };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
