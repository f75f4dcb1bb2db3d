/**
 * The language server's input limits, through the real server over stdio: a document or file over
 * the size limit, or whose syntax tree would be too dense to analyse within the memory bound (the
 * CLI's tree allowance), is not analysed, and says so as its one diagnostic, at its start, instead
 * of its findings vanishing in silence; once its text is analysable, its findings replace it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Diagnostic } from 'vscode-languageserver-protocol/node';
import { FileFindingsParams, WORKSPACE_FINDINGS_REQUEST } from '../../../shared/src/protocol';
import { DEFAULT_MAX_FILE_SIZE } from '../../src/config/read-source';
import { TestClient, fileUri, freshFolder, messageOf } from './harness';

const LOOP_LEAK = 'fn main() {\n    loop {\n        Box::leak(Box::new(1));\n    }\n}\n';
const STATEMENT = '    Box::leak(Box::new(1));\n';
/** 40,000 leak statements: 1.1 MB whose tree would have 760,000 nodes, over the 730,000 allowed. */
const DENSE = `fn main() {\n${STATEMENT.repeat(40_000)}}\n`;
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

const refusal = (ds: Diagnostic[]) => ds.find((d) => /did not analyse this file/.test(messageOf(d)));

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

describe('language server input limits', function () {
  // Generous: each too-dense text is counted in pieces of 64 KB before it would be parsed.
  this.timeout(120_000);

  describe('an open document', () => {
    let client: TestClient;
    beforeEach(async () => (client = await TestClient.start()));
    afterEach(() => client.stop());

    it('too dense to parse shows only why it is not analysed, then its findings once it is analysable', async () => {
      const uri = 'file:///dense.rs';
      await client.open(uri, DENSE);
      const refused = await client.waitForDiagnostics(uri, (_, version) => version === 1, 60_000);
      // Refused from its pieces' trees: its whole tree was never built, and none of its 40,000 sites read.
      assertOnlyRefusal(refused, /too dense to analyse within memory bounds: its syntax tree would have over [\d,]+ nodes \(counted in pieces of 64 KB\), more than the [\d,]+ allowed for 1,120,0\d\d characters/);
      assert.equal(await client.hover(uri, 1, 10), null);
      await client.change(uri, [{ text: LOOP_LEAK }]);
      const analysed = await client.waitForDiagnostics(uri, (_, version) => version === 2, 60_000);
      assertLoopLeakOnly(analysed);
    });

    it('made too dense by an edit drops its findings for why it is not analysed', async () => {
      const uri = 'file:///grows.rs';
      await client.open(uri, LOOP_LEAK);
      await client.waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === 'box-leak'));
      // An incremental edit: the tree exists, so the allowance is checked on the reparsed tree.
      const end = { line: 5, character: 0 };
      await client.change(uri, [{ range: { start: end, end }, text: `fn more() {\n${STATEMENT.repeat(40_000)}}\n` }]);
      const refused = await client.waitForDiagnostics(uri, (_, version) => version === 2, 60_000);
      assertOnlyRefusal(refused, /too dense to analyse within memory bounds: its syntax tree has [\d,]+ nodes, more than the [\d,]+ allowed/);
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
      assertOnlyRefusal(refused, /too dense to analyse within memory bounds: .*counted in pieces/);
      await client.waitForDiagnostics(fileUri(path.join(root, 'src', 'lib.rs')), (ds) => ds.some((d) => d.code === 'box-leak'));
      const reported = await findings(uri);
      assert.deepEqual(reported?.findings, []);
      assert.match(reported?.refused ?? '', /^too dense to analyse within memory bounds/);
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
