/**
 * Positions in source text found by regular expressions: the pre-filters and the facts read from
 * the text rather than the tree share these.
 */

/** Where the global `re` matches in `text`, from offset `from` on. */
export function matchOffsets(text: string, re: RegExp, from = 0): number[] {
  const out: number[] = [];
  re.lastIndex = from;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(m.index);
    // An empty match leaves `lastIndex` where it was: without a step the scan would never end.
    if (m[0] === '') re.lastIndex++;
  }
  return out;
}

/**
 * Whether a line ends at `i`: at a `\n`, or a `\r` not followed by one. These are the tree's rows
 * (the parser reads a lone `\r` as `\n`) and the editor's lines.
 */
export function endsLine(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10);
}

/** Row and column (in UTF-16 units) of offsets asked in increasing order, counted as it goes. */
export function positionCounter(text: string): (offset: number) => { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  let at = 0;
  // Without a `\r`, line ends are found by the native search rather than a character at a time.
  const onlyNewlines = !text.includes('\r');
  return (offset) => {
    if (onlyNewlines) {
      for (let i = at < offset ? text.indexOf('\n', at) : -1; i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
        row++;
        lineStart = i + 1;
      }
      at = Math.max(at, offset);
    }
    for (; at < offset; at++) {
      if (endsLine(text, at)) {
        row++;
        lineStart = at + 1;
      }
    }
    return { row, column: offset - lineStart };
  };
}

/** The 0-based line of offsets asked in increasing order, counted as it goes (one pass in all). */
export function lineCounter(text: string): (offset: number) => number {
  const at = positionCounter(text);
  return (offset) => at(offset).row;
}

/**
 * `text` with its comments blanked (each character a space, line ends kept), so that words written
 * in comments are not taken for code; string and character literals are stepped over whole, so a
 * `//` or `/*` in one is not a comment. Lexed as Rust is: block comments nest, raw strings end at
 * their own number of `#`, and `'a` is a lifetime where `'a'` is a character.
 */
export function withoutComments(text: string): string {
  let out = '';
  let copied = 0;
  const blank = (from: number, to: number) => {
    out += text.slice(copied, from) + text.slice(from, to).replace(/[^\r\n]/g, ' ');
    copied = to;
  };
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c === SLASH && next === SLASH) {
      const end = lineEndFrom(text, i);
      blank(i, end);
      i = end;
    } else if (c === SLASH && next === STAR) {
      let depth = 1;
      let j = i + 2;
      while (j < text.length && depth > 0) {
        if (text.charCodeAt(j) === SLASH && text.charCodeAt(j + 1) === STAR) (depth++, (j += 2));
        else if (text.charCodeAt(j) === STAR && text.charCodeAt(j + 1) === SLASH) (depth--, (j += 2));
        else j++;
      }
      blank(i, j);
      i = j;
    } else if (c === QUOTE) {
      i = stringEnd(text, i + 1);
    } else if (c === LOWER_R && !identifierBefore(text, i) && (next === QUOTE || next === HASH)) {
      i = rawStringEnd(text, i + 1);
    } else if (c === LOWER_B && !identifierBefore(text, i) && text.charCodeAt(i + 1) === LOWER_R && (text.charCodeAt(i + 2) === QUOTE || text.charCodeAt(i + 2) === HASH)) {
      i = rawStringEnd(text, i + 2);
    } else if (c === APOSTROPHE) {
      // A character literal: `'x'` or an escape; otherwise a lifetime or label, which is code.
      if (next === BACKSLASH) {
        const close = text.indexOf("'", i + 3);
        i = close < 0 ? text.length : close + 1;
      } else if (text.charCodeAt(i + 2) === APOSTROPHE) i += 3;
      else if (next >= 0xd800 && next < 0xdc00 && text.charCodeAt(i + 3) === APOSTROPHE) i += 4;
      else i++;
    } else i++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Where the line holding offset `from` ends (its `\r` or `\n`, or the text's end): a lone `\r` ends
 * a `//` comment here as it does in the tree, so the text and the tree see the same code.
 */
export function lineEndFrom(text: string, from: number): number {
  LINE_BREAK.lastIndex = from;
  return LINE_BREAK.exec(text)?.index ?? text.length;
}

const LINE_BREAK = /[\r\n]/g;

const SLASH = 47;
const STAR = 42;
const QUOTE = 34;
const HASH = 35;
const APOSTROPHE = 39;
const BACKSLASH = 92;
const LOWER_R = 114;
const LOWER_B = 98;

/** Past the `"` that closes a string whose text starts at `from`, escapes stepped over. */
function stringEnd(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j + 1;
  }
  return text.length;
}

/** Past a raw string whose `#`s or opening `"` start at `from` (`r#"…"#`); at `from` if it is none. */
function rawStringEnd(text: string, from: number): number {
  let hashes = 0;
  while (text.charCodeAt(from + hashes) === HASH) hashes++;
  if (text.charCodeAt(from + hashes) !== QUOTE) return from;
  const close = '"' + '#'.repeat(hashes);
  const end = text.indexOf(close, from + hashes + 1);
  return end < 0 ? text.length : end + close.length;
}

function identifierBefore(text: string, i: number): boolean {
  return i > 0 && /[\p{L}\p{N}_]/u.test(text[i - 1]);
}
