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

/** Row and column (in UTF-16 units) of offsets asked in increasing order, counted as it goes. */
export function positionCounter(text: string): (offset: number) => { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  let at = 0;
  return (offset) => {
    for (; at < offset; at++) {
      if (text.charCodeAt(at) === 10) {
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
