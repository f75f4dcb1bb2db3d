// Small assertion helpers for the scenarios: each failure says what the screen showed.
export function check(condition, message) {
  if (!condition) throw new Error(message);
}

export function checkMatch(text, pattern, what) {
  if (!pattern.test(text)) throw new Error(`${what}: expected ${pattern} in:\n${indent(text)}`);
}

export function checkNoMatch(text, pattern, what) {
  if (pattern.test(text)) throw new Error(`${what}: did not expect ${pattern} in:\n${indent(text)}`);
}

export function indent(text, by = '    ') {
  return String(text)
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

/** A unified-ish diff of two texts, enough to see where a file on disk differs from the expected one. */
export function lineDiff(expected, actual) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const out = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) out.push(`line ${i + 1}:\n  expected: ${JSON.stringify(a[i])}\n  actual:   ${JSON.stringify(b[i])}`);
  }
  return out.join('\n');
}
