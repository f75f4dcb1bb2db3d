/**
 * The language server's input limits, through the real server over stdio: a document or file over
 * the size limit, or whose syntax tree and sites would be too many to analyse within the memory
 * bound (the server's analysis allowance), is not analysed, and says so as its one diagnostic, at
 * its start, instead of its findings vanishing in silence; once its text is analysable, its
 * findings replace it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Diagnostic } from 'vscode-languageserver-protocol/node';
import { FileFindingsParams, WORKSPACE_FINDINGS_REQUEST } from '../../../shared/src/protocol';
import { DEFAULT_MAX_FILE_SIZE } from '../../src/config/read-source';
import { initParser, parseRust, releaseTree } from '../../src/parsing/parser';
import { SERVER_COSTS, analysisAllowance } from '../../src/parsing/tree-budget';
import { TestClient, fileUri, freshFolder, messageOf, refusal } from './harness';

const LOOP_LEAK = 'fn main() {\n    loop {\n        Box::leak(Box::new(1));\n    }\n}\n';
const STATEMENT = '    Box::leak(Box::new(1));\n';
const STATEMENTS = (n: number) => `fn main() {\n${STATEMENT.repeat(n)}}\n`;
/** 40,000 leak statements: 1.1 MB, far more sites than its size leaves room for (and a tree of 760,000 nodes). */
const DENSE = STATEMENTS(40_000);
/** A real leak after 300,000 comment lines: 1.5 MB of one site, whose tree would have 600,000 nodes. */
const COMMENTED = '// c\n'.repeat(300_000) + LOOP_LEAK;
/** A real leak, then comment lines past the size limit (sparse: only the size refuses it). */
const OVERSIZE = LOOP_LEAK + '// padding\n'.repeat(Math.ceil(DEFAULT_MAX_FILE_SIZE / 11));
const START = { line: 0, character: 0 };

/** The one finding of `LOOP_LEAK`, and nothing else: the refusal is gone. */
function assertLoopLeakOnly(ds: Diagnostic[]): void {
  assert.deepEqual(
    ds.map((d) => [d.code, d.range.start.line]),
    [['box-leak', 2]],
  );
}

/** Exactly one diagnostic: the refusal at the file's start, a warning, with no rule (no fixes). */
function assertOnlyRefusal(ds: Diagnostic[], why: RegExp): void {
  assert.equal(ds.length, 1, `${ds.length} diagnostics, the first: ${ds.slice(0, 3).map((d) => `${d.code} ${messageOf(d).slice(0, 80)}`).join('; ')}`);
  const [d] = ds;
  assert.deepEqual(d.range, { start: START, end: START });
  assert.equal(d.severity, 2);
  assert.equal(d.source, 'leak-lens');
  assert.equal(d.code, undefined);
  assert.match(messageOf(d), /^Leak Lens did not analyse this file: /);
  assert.match(messageOf(d), why);
}

let admitted: number | undefined;

/** The most leak statements in one function the server analyses: their tree fits the allowance of their sites. */
async function largestAdmitted(): Promise<number> {
  if (admitted !== undefined) return admitted;
  await initParser();
  const fits = (n: number) => {
    const text = STATEMENTS(n);
    const tree = parseRust(text);
    const nodes = tree.rootNode.descendantCount;
    releaseTree(tree);
    return nodes <= analysisAllowance(text.length, n, SERVER_COSTS);
  };
  let low = 1;
  let high = 10_000;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid;
  }
  return (admitted = low);
}

describe('language server input limits', function () {
  // Generous: each too-dense text is counted in pieces of 64 KB before it would be parsed.
  this.timeout(120_000);

  describe('an open document', () => {
    let client: TestClient;
    beforeEach(async () => (client = await TestClient.start()));
    afterEach(() => client.stop());

    it('too dense to parse shows only why it is not analysed, then its findings once it is analysable', async () => {
      const uri = 'file:///dense.rs';
      await client.open(uri, COMMENTED);
      const refused = await client.waitForDiagnostics(uri, (_, version) => version === 1, 60_000);
      // Refused from its pieces' trees: its whole tree was never built.
      assertOnlyRefusal(refused, /too dense to analyse within memory bounds: its syntax tree would have over [\d,]+ nodes \(counted in pieces of 64 KB\), more than the [\d,]+ allowed for 1,500,0\d\d characters and 1 possible leak site/);
      assert.equal(await client.hover(uri, 300_002, 10), null);
      await client.change(uri, [{ text: LOOP_LEAK }]);
      const analysed = await client.waitForDiagnostics(uri, (_, version) => version === 2, 60_000);
      assertLoopLeakOnly(analysed);
    });

    it('with more leak sites than its size leaves room for shows only why it is not analysed, before building its tree', async () => {
      const uri = 'file:///sites.rs';
      await client.open(uri, DENSE);
      const refused = await client.waitForDiagnostics(uri, (_, version) => version === 1, 60_000);
      assertOnlyRefusal(refused, /too dense to analyse within memory bounds: it may hold 40,000 leak sites, more than [\d,]+ for 1,120,0\d\d characters/);
      assert.equal(await client.hover(uri, 1, 10), null);
    });

    it('is analysed at its allowance, which counts its sites, and refused one leak statement past it', async () => {
      const n = await largestAdmitted();
      // Far below the tree allowance alone (0.25 nodes per character plus 450,000).
      assert.ok(n > 1_000 && n < 10_000, `${n} statements`);
      // The one past it first: a document analysed beside it would leave it less headroom.
      const past = 'file:///past.rs';
      await client.open(past, STATEMENTS(n + 1));
      const refused = await client.waitForDiagnostics(past, (_, version) => version === 1, 60_000);
      assertOnlyRefusal(refused, new RegExp(`its syntax tree has [\\d,]+ nodes, more than the [\\d,]+ allowed for [\\d,]+ characters and ${(n + 1).toLocaleString('en')} possible leak sites`));
      const at = 'file:///at.rs';
      await client.open(at, STATEMENTS(n));
      const analysed = await client.waitForDiagnostics(at, (_, version) => version === 1, 60_000);
      // 999 of its n findings and the notice of the others.
      assert.equal(analysed.filter((d) => d.code === 'box-leak').length, 999);
      assert.equal(refusal(analysed), undefined);
    });

    it('at its allowance is refused while another document that dense is open, and analysed after that one is closed', async () => {
      const n = await largestAdmitted();
      const first = 'file:///first.rs';
      await client.open(first, STATEMENTS(n));
      await client.waitForDiagnostics(first, (ds, version) => version === 1 && ds.some((d) => d.code === 'box-leak'), 60_000);
      // The server's headroom is one for both: what the first keeps beyond its share is not the second's.
      const second = 'file:///second.rs';
      await client.open(second, STATEMENTS(n));
      const refused = await client.waitForDiagnostics(second, (_, version) => version === 1, 60_000);
      assertOnlyRefusal(refused, /too dense to analyse within memory bounds: (it may hold [\d,]+ leak sites|.*possible leak sites)/);
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: first } });
      const at = { line: 1, character: 4 };
      await client.change(second, [{ range: { start: at, end: at }, text: ' ' }]);
      const analysed = await client.waitForDiagnostics(second, (_, version) => version === 2, 60_000);
      assert.equal(analysed.filter((d) => d.code === 'box-leak').length, 999);
    });

    it('made too dense by an edit that adds leak sites drops its findings for why it is not analysed, and has them again once they are deleted', async () => {
      const n = await largestAdmitted();
      const uri = 'file:///typed.rs';
      await client.open(uri, STATEMENTS(n - 10));
      await client.waitForDiagnostics(uri, (ds, version) => version === 1 && ds.some((d) => d.code === 'box-leak'), 60_000);
      // Twenty statements pasted: within the tree allowance alone, not within the allowance of their sites.
      const at = { line: 1, character: 0 };
      await client.change(uri, [{ range: { start: at, end: at }, text: STATEMENT.repeat(20) }]);
      const refused = await client.waitForDiagnostics(uri, (_, version) => version === 2, 60_000);
      assertOnlyRefusal(refused, /its syntax tree has [\d,]+ nodes, more than the [\d,]+ allowed for [\d,]+ characters and [\d,]+ possible leak sites/);
      await client.change(uri, [{ range: { start: at, end: { line: 21, character: 0 } }, text: '' }]);
      const analysed = await client.waitForDiagnostics(uri, (_, version) => version === 3, 60_000);
      assert.equal(analysed.filter((d) => d.code === 'box-leak').length, 999);
    });

    it("made too dense by an edit whose sites its words do not promise (references to a static mut declared before) is refused once they are found", async () => {
      const uri = 'file:///refs.rs';
      const head = 'static mut A: u8 = 0;\nfn main() {\n    unsafe {\n';
      await client.open(uri, `${head}        let _r = &A;\n    }\n}\n`);
      await client.waitForDiagnostics(uri, (ds, version) => version === 1 && ds.some((d) => d.code === 'static-mut'), 60_000);
      // 2,000 references: 16,000 nodes, within the allowance of the two sites before the edit, over that of 2,002.
      const at = { line: 3, character: 0 };
      await client.change(uri, [{ range: { start: at, end: at }, text: '        let _r = &A;\n'.repeat(2_000) }]);
      const refused = await client.waitForDiagnostics(uri, (_, version) => version === 2, 60_000);
      assertOnlyRefusal(refused, /its syntax tree has [\d,]+ nodes, more than the [\d,]+ allowed for [\d,]+ characters and 2,00\d possible leak sites/);
    });

    it('made too dense by an edit drops its findings for why it is not analysed', async () => {
      const uri = 'file:///grows.rs';
      await client.open(uri, LOOP_LEAK);
      await client.waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === 'box-leak'));
      // An incremental edit: the tree exists, so the allowance is checked on the reparsed tree.
      const end = { line: 5, character: 0 };
      await client.change(uri, [{ range: { start: end, end }, text: `fn more() {\n${STATEMENT.repeat(40_000)}}\n` }]);
      const refused = await client.waitForDiagnostics(uri, (_, version) => version === 2, 60_000);
      assertOnlyRefusal(refused, /too dense to analyse within memory bounds: it may hold 40,001 leak sites, more than [\d,]+ for 1,120,0\d\d characters/);
      // Deleting what the edit added makes it analysable again (parsed whole: its tree was dropped).
      await client.change(uri, [{ range: { start: end, end: { line: 40_007, character: 0 } }, text: '' }]);
      const analysed = await client.waitForDiagnostics(uri, (_, version) => version === 3, 60_000);
      assertLoopLeakOnly(analysed);
    });

    it('over the size limit shows only why it is not analysed and how to analyse it, then its findings once it is smaller', async () => {
      const uri = 'file:///large.rs';
      await client.open(uri, OVERSIZE);
      const refused = await client.waitForDiagnostics(uri, (_, version) => version === 1, 60_000);
      assertOnlyRefusal(refused, /it has [\d,]+ characters, more than the 5 MiB the language server analyses; `leak-lens check --max-file-size` analyses larger files from the command line\.$/);
      await client.change(uri, [{ text: LOOP_LEAK }]);
      const analysed = await client.waitForDiagnostics(uri, (_, version) => version === 2, 60_000);
      assertLoopLeakOnly(analysed);
    });
  });

  describe('a file read from disk', () => {
    const folder = freshFolder({ 'src/lib.rs': LOOP_LEAK });

    const findings = async (uri: string) =>
      (await folder.client!.connection.sendRequest<FileFindingsParams[]>(WORKSPACE_FINDINGS_REQUEST)).find((f) => f.uri === uri);

    it('too dense is reported as not analysed, to the Problems panel and to the findings model, and the other files are analysed', async () => {
      const { root } = folder;
      const dense = path.join(root, 'src', 'generated.rs');
      fs.writeFileSync(dense, DENSE);
      const client = (folder.client = await TestClient.start({ rootPath: root }));
      const uri = fileUri(dense);
      const refused = await client.waitForDiagnostics(uri, () => true, 60_000);
      assertOnlyRefusal(refused, /too dense to analyse within memory bounds: it may hold 40,000 leak sites/);
      await client.waitForDiagnostics(fileUri(path.join(root, 'src', 'lib.rs')), (ds) => ds.some((d) => d.code === 'box-leak'));
      const reported = await findings(uri);
      assert.deepEqual(reported?.findings, []);
      assert.match(reported?.refused ?? '', /^too dense to analyse within memory bounds/);
    });

    it('is analysed at its allowance, which counts its sites, and refused one leak statement past it', async () => {
      const { root } = folder;
      const n = await largestAdmitted();
      fs.writeFileSync(path.join(root, 'src', 'at.rs'), STATEMENTS(n));
      fs.writeFileSync(path.join(root, 'src', 'past.rs'), STATEMENTS(n + 1));
      const client = (folder.client = await TestClient.start({ rootPath: root }));
      const analysed = await client.waitForDiagnostics(fileUri(path.join(root, 'src', 'at.rs')), () => true, 60_000);
      assert.equal(analysed.filter((d) => d.code === 'box-leak').length, 999);
      const refused = await client.waitForDiagnostics(fileUri(path.join(root, 'src', 'past.rs')), () => true, 60_000);
      // Read after at.rs, whose facts it shares the headroom with, or before it.
      assertOnlyRefusal(refused, new RegExp(`(its syntax tree has [\\d,]+ nodes, more than the [\\d,]+ allowed for [\\d,]+ characters and|it may hold) ${(n + 1).toLocaleString('en')} (possible )?leak sites`));
    });

    it('over the size limit is reported as not analysed, and analysed once it is smaller', async () => {
      const large = path.join(folder.root, 'src', 'large.rs');
      fs.writeFileSync(large, OVERSIZE);
      const client = (folder.client = await TestClient.start({ rootPath: folder.root }));
      const uri = fileUri(large);
      const refused = await client.waitForDiagnostics(uri, () => true, 60_000);
      assertOnlyRefusal(refused, /file is 5\.0 MiB, larger than the 5 MiB limit; skipped \(`leak-lens check --max-file-size` analyses larger files from the command line\)\.$/);
      fs.writeFileSync(large, LOOP_LEAK);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
      const analysed = await client.waitForDiagnostics(uri, (ds) => !refusal(ds));
      assertLoopLeakOnly(analysed);
      assert.equal((await findings(uri))?.refused, undefined);
    });
  });
});
