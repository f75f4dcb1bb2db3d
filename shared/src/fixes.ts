/**
 * Quick fixes as plain data. The fix computations in `server/src/fixes` produce these from source
 * text and a finding; the language server turns them into LSP `WorkspaceEdit`s. Keeping them free of
 * LSP types lets the CLI (`--fix`) and tests apply them the same way the editor does.
 */
import { Range } from './findings';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  /** At most one fix per finding is preferred; editors apply it on "auto fix". */
  isPreferred: boolean;
  /** Edits to the finding's own file, non-overlapping, in any order. */
  edits: TextEdit[];
}

/**
 * Applies non-overlapping edits to `text`. Offsets are computed against the original text, so the
 * order of `edits` does not matter.
 */
/** Offsets where lines start, as LSP counts lines: `\r\n`, a lone `\r` and `\n` each end one. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const offset = (p: { line: number; character: number }): number => {
    if (p.line >= starts.length) return text.length;
    const lineEnd = p.line + 1 < starts.length ? starts[p.line + 1] : text.length;
    return Math.min(starts[p.line] + p.character, lineEnd);
  };
  const resolved = edits
    .map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const e of resolved) {
    if (e.end > limit) throw new Error('overlapping edits');
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    limit = e.start;
  }
  return out;
}
