/**
 * Facts moved with their lines. An edit that adds or removes lines moves everything below it; the
 * facts a chunk keeps (`chunks.ts`) name lines — in ranges, in function references, in reasons
 * ("freed at line 40") — and must then name the new ones, exactly as a fresh reading would.
 *
 * A line a fact names is mapped through the edit: above the edited lines it stays, below them it
 * moves by the lines added; on an edited line it cannot be mapped, and the chunk is read again.
 * Line numbers come 0-based (a `Position`'s `line`) or 1-based (a function's `line`, "line 40" in
 * a reason); the base of a bare `line` field is not written down, so such a number is taken to
 * name both candidates, and must be mappable as either.
 */

/** The edit's lines: rows before `first` stay, rows after `last` (in the old text) move by `delta`. */
export interface LineEdit {
  first: number;
  last: number;
  delta: number;
}

/** Numbers after these in a text are 1-based line numbers ("at line 40", "at src/lib.rs:40"). */
const LINE_IN_TEXT = /(\bline |\.rs:)(\d+)/g;

/** The rows (0-based, sorted, each once) the facts name. */
export function rowsNamed(facts: unknown): number[] {
  const rows = new Set<number>();
  walk(
    facts,
    (row) => rows.add(row),
    (n) => rows.add(n - 1),
    (n) => {
      rows.add(n - 1);
      rows.add(n);
    },
  );
  return [...rows].sort((a, b) => a - b);
}

/** Whether a fact naming these rows (from `rowsNamed`) names an edited one. */
export function namesEditedLine(rows: number[], edit: LineEdit): boolean {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid] < edit.first) lo = mid + 1;
    else hi = mid;
  }
  return lo < rows.length && rows[lo] <= edit.last;
}

/** Whether any of the rows moves. */
export function namesMovedLine(rows: number[], edit: LineEdit): boolean {
  return edit.delta !== 0 && rows.length > 0 && rows[rows.length - 1] > edit.last;
}

/** A copy of `facts` naming the lines after `edit`; only for facts `namesEditedLine` is false of. */
export function shiftLines<T>(facts: T, edit: LineEdit): T {
  // Both bases of a bare `line` are on the same side of the edit (`namesEditedLine` is false).
  const row = (r: number) => movedRow(r, edit);
  return copy(facts, row, (n) => row(n - 1) + 1) as T;
}

export function shiftRows(rows: number[], edit: LineEdit): number[] {
  return rows.map((r) => movedRow(r, edit));
}

/** Where a row not on an edited line is after the edit. */
function movedRow(r: number, edit: LineEdit): number {
  return r > edit.last ? r + edit.delta : r;
}

function isPosition(value: object): value is { line: number; character: number } {
  return typeof (value as { line?: unknown }).line === 'number' && typeof (value as { character?: unknown }).character === 'number';
}

/** `row`: a 0-based line; `line`: a 1-based one (in a text); `either`: a bare `line` field, of either base. */
function walk(value: unknown, row: (r: number) => void, line: (n: number) => void, either: (n: number) => void): void {
  if (typeof value === 'string') {
    if (/\d/.test(value)) for (const m of value.matchAll(LINE_IN_TEXT)) line(Number(m[2]));
  } else if (Array.isArray(value)) {
    for (const v of value) walk(v, row, line, either);
  } else if (value && typeof value === 'object') {
    const from = value as Record<string, unknown>;
    const position = isPosition(value);
    for (const key in from) {
      const v = from[key];
      if (key === 'line' && typeof v === 'number') (position ? row : either)(v);
      else walk(v, row, line, either);
    }
  }
}

/** Copies plain data (a keystroke may move thousands of sites: no per-key arrays, no regex where no digit is). */
function copy(value: unknown, row: (r: number) => number, line: (n: number) => number): unknown {
  if (typeof value === 'string') return /\d/.test(value) ? value.replace(LINE_IN_TEXT, (_, before: string, n: string) => before + line(Number(n))) : value;
  if (Array.isArray(value)) return value.map((v) => copy(v, row, line));
  if (!value || typeof value !== 'object') return value;
  const from = value as Record<string, unknown>;
  const position = isPosition(value);
  const out: Record<string, unknown> = {};
  for (const key in from) {
    const v = from[key];
    out[key] = key === 'line' && typeof v === 'number' ? (position ? row(v) : line(v)) : copy(v, row, line);
  }
  return out;
}
