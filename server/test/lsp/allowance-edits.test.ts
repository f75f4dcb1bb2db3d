/**
 * Edits of a document at its analysis allowance, through the real server: the sites an edit's
 * tree is checked against (`sitesToExpect`) are the last reading's, less those on the lines the
 * edit damaged, plus those the damaged lines' words promise, so that no site is counted twice and
 * a document within its allowance is not refused for an edit that keeps it there.
 */
import * as assert from 'node:assert/strict';
import { initParser, parseRust, releaseTree } from '../../src/parsing/parser';
import { SERVER_COSTS, analysisAllowance } from '../../src/parsing/tree-budget';
import { TestClient, messageOf, refusal } from './harness';

/** bench/pathological.mjs's `callers-in-loop`: n leaking functions, all called from one loop. */
const CALLERS_IN_LOOP = (n: number) =>
  Array.from({ length: n }, (_, i) => `fn f${i}() { Box::leak(Box::new(1)); }\n`).join('') + `fn main() { loop { ${Array.from({ length: n }, (_, i) => `f${i}();`).join(' ')} } }\n`;
/** The line `x` is typed at the end of: after a function's `}`, a syntax error whose damage spans more than its line. */
const EDITED_LINE = (n: number) => Math.floor(n / 2);

const nodesOf = (text: string) => {
  const tree = parseRust(text);
  const nodes = tree.rootNode.descendantCount;
  releaseTree(tree);
  return nodes;
};
const typed = (text: string, line: number) => {
  const lines = text.split('\n');
  lines[line] += 'x';
  return lines.join('\n');
};

/**
 * A text of about the largest n that, and with `x` typed, fits the allowance of its n sites,
 * while the edited text would not fit with one site more: an edit that keeps the document within
 * its allowance, refused if the estimate counts one of its sites twice. One more function moves
 * the allowance in steps coarser than one site's cost, so trailing spaces (characters the
 * allowance grows with, and no nodes) bring the text to that edge.
 */
async function atAllowance(): Promise<{ n: number; text: string }> {
  await initParser();
  const fits = (text: string, sites: number) => nodesOf(text) <= analysisAllowance(text.length, sites, SERVER_COSTS);
  let low = 1;
  let high = 4_000;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (fits(CALLERS_IN_LOOP(mid), mid)) low = mid;
    else high = mid;
  }
  for (let n = low + 1; n > low - 20; n--) {
    for (let pad = 0; pad <= 2_000; pad += 5) {
      const text = CALLERS_IN_LOOP(n) + ' '.repeat(pad);
      const edited = typed(text, EDITED_LINE(n));
      if (fits(text, n) && fits(edited, n) && !fits(edited, n + 1)) return { n, text };
    }
  }
  throw new Error(`no size near ${low} is at its allowance once edited`);
}

describe('language server edits at the analysis allowance', function () {
  this.timeout(120_000);

  let client: TestClient;
  beforeEach(async () => (client = await TestClient.start()));
  afterEach(() => client.stop());

  it('a syntax error typed into a document at its allowance keeps its findings', async () => {
    const { n, text } = await atAllowance();
    const uri = 'file:///callers.rs';
    await client.open(uri, text);
    const opened = await client.waitForDiagnostics(uri, (_, version) => version === 1, 60_000);
    assert.equal(refusal(opened), undefined, `${n} functions refused on opening`);
    const line = EDITED_LINE(n);
    const end = text.split('\n')[line].length;
    await client.change(uri, [{ range: { start: { line, character: end }, end: { line, character: end } }, text: 'x' }]);
    const edited = await client.waitForDiagnostics(uri, (_, version) => version === 2, 60_000);
    assert.equal(refusal(edited) && messageOf(refusal(edited)!), undefined);
    assert.equal(edited.filter((d) => d.code === 'box-leak').length, 999);
    await client.change(uri, [{ range: { start: { line, character: end }, end: { line, character: end + 1 } }, text: '' }]);
    const restored = await client.waitForDiagnostics(uri, (_, version) => version === 3, 60_000);
    assert.equal(refusal(restored), undefined);
  });
});
