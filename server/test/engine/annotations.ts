/**
 * Reads rustc-UI-test style annotations from fixture sources: `//~ KIND RULE` marks a finding
 * expected on that line, `//~^ KIND RULE` one on the line above (one `^` per line up).
 */
export interface Expectation {
  /** 0-based line the finding must start on. */
  line: number;
  kind: string;
  rule: string;
}

const MARK = /\/\/~(\^*)\s+([a-z-]+)\s+([a-z-]+)/g;

export function parseAnnotations(text: string): Expectation[] {
  const out: Expectation[] = [];
  text.split('\n').forEach((lineText, i) => {
    for (const m of lineText.matchAll(MARK)) out.push({ line: i - m[1].length, kind: m[2], rule: m[3] });
  });
  return out;
}

export function key(e: Expectation): string {
  return `${e.line + 1}: ${e.kind} ${e.rule}`;
}

/** Differences between expected and actual findings, as multisets of `line: kind rule`. */
export function diff(expected: Expectation[], actual: Expectation[]): { missing: string[]; extra: string[] } {
  const remaining = expected.map(key);
  const extra: string[] = [];
  for (const a of actual.map(key)) {
    const i = remaining.indexOf(a);
    if (i >= 0) remaining.splice(i, 1);
    else extra.push(a);
  }
  return { missing: remaining, extra };
}
