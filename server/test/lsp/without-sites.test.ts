/**
 * Open documents without a leak word (`mayContainSites`), such as stdarch's generated intrinsics:
 * they hold no site, so the language server analyses them from their text alone, as the CLI and
 * the scan read such a file, and builds no tree for them. A document far denser than its analysis
 * allowance is then neither parsed nor refused for a tree it does not need; a leak typed into it
 * goes through the admission of any document's text; and the calls it makes count, from the
 * editor's text.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { CodeAction, CodeActionRequest, Diagnostic } from 'vscode-languageserver-protocol/node';
import { TestClient, messageOf, refusal } from './harness';

/** One intrinsic as stdarch's `mips/msa.rs` declares hundreds: no leak word, about 0.43 nodes per character. */
const intrinsic = (i: number) => `#[inline]\n#[target_feature(enable = "msa")]\npub unsafe fn __msa_addv_b${i}(a: v16i8, b: v16i8) -> v16i8 {\n    msa_addv_b(a, ::mem::transmute(b))\n}\n`;
const INTRINSICS = (n: number) => Array.from({ length: n }, (_, i) => intrinsic(i)).join('');
/** 4,000 intrinsics: 586,890 characters whose tree has 252,001 nodes, against the 141,166 its analysis would be allowed. */
const GENERATED = INTRINSICS(4_000);
const LINES = 5 * 4_000;
const LOOP_LEAK = 'fn main() {\n    loop {\n        Box::leak(Box::new(1));\n    }\n}\n';

const describeAll = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${messageOf(d).slice(0, 200)}`);

describe('language server documents without a leak word', function () {
  // The refusals below count a dense text in pieces of 64 KB.
  this.timeout(120_000);

  let client: TestClient;
  beforeEach(async () => (client = await TestClient.start()));
  afterEach(() => client.stop());

  it('far denser than its analysis allowance is analysed, with no findings and no refusal', async () => {
    const uri = 'file:///generated.rs';
    await client.open(uri, GENERATED);
    const published = await client.waitForDiagnostics(uri, (_, version) => version === 1, 60_000);
    assert.deepEqual(describeAll(published), []);
  });

  it('answers hovers and code actions without a tree', async () => {
    const uri = 'file:///generated.rs';
    await client.open(uri, GENERATED);
    await client.waitForDiagnostics(uri, (_, version) => version === 1, 60_000);
    assert.equal(await client.hover(uri, 2, 20), null);
    const range = { start: { line: 2, character: 0 }, end: { line: 4, character: 1 } };
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: [] } })) as CodeAction[] | null;
    assert.deepEqual(actions, []);
    // An edit after them is analysed as the first text was: they built no tree for it to reparse.
    const at = { line: 2, character: 0 };
    await client.change(uri, [{ range: { start: at, end: at }, text: '// x\n' }]);
    assert.deepEqual(describeAll(await client.waitForDiagnostics(uri, (_, version) => version === 2, 60_000)), []);
    assert.ok(client.alive);
  });

  it('with a leak typed into it is refused when its tree is too dense, and analysed again without the leak', async () => {
    const uri = 'file:///generated.rs';
    await client.open(uri, GENERATED);
    assert.deepEqual(describeAll(await client.waitForDiagnostics(uri, (_, version) => version === 1, 60_000)), []);
    const end = { line: LINES, character: 0 };
    await client.change(uri, [{ range: { start: end, end }, text: LOOP_LEAK }]);
    const refused = await client.waitForDiagnostics(uri, (_, version) => version === 2, 60_000);
    assert.equal(refused.length, 1, describeAll(refused).join('; '));
    assert.match(messageOf(refused[0]), /too dense to analyse within memory bounds: its syntax tree would have over [\d,]+ nodes \(counted in pieces of 64 KB\)/);
    await client.change(uri, [{ range: { start: end, end: { line: LINES + 5, character: 0 } }, text: '' }]);
    assert.deepEqual(describeAll(await client.waitForDiagnostics(uri, (_, version) => version === 3, 60_000)), []);
  });

  it('with a leak typed into it has the leak found when its tree fits the allowance', async () => {
    const uri = 'file:///generated.rs';
    await client.open(uri, GENERATED);
    assert.deepEqual(describeAll(await client.waitForDiagnostics(uri, (_, version) => version === 1, 60_000)), []);
    // 3,900 intrinsics deleted and the leak written in their place, in one change.
    await client.change(uri, [{ range: { start: { line: 500, character: 0 }, end: { line: LINES, character: 0 } }, text: LOOP_LEAK }]);
    const analysed = await client.waitForDiagnostics(uri, (_, version) => version === 2, 60_000);
    assert.equal(refusal(analysed), undefined, describeAll(analysed).join('; '));
    assert.deepEqual(
      analysed.map((d) => [d.code, d.range.start.line, d.severity]),
      [['box-leak', 502, 2]],
    );
  });
});

describe('language server calls from a document without a leak word', function () {
  this.timeout(60_000);

  let client: TestClient;
  beforeEach(async () => (client = await TestClient.start()));
  afterEach(() => client.stop());

  it("count from the editor's text, for a function first asked about after the document was analysed", async () => {
    // Loose files of one crate: no scan, nothing on disk; `fresh` is asked about once a.rs is open.
    const dir = path.join('/', 'leak-lens-without-sites', 'src');
    const b = `file://${path.join(dir, 'b.rs')}`;
    const a = `file://${path.join(dir, 'a.rs')}`;
    await client.open(b, `${INTRINSICS(100)}pub fn each(v: &[u8]) {\n    for _ in v {\n        let _r = fresh();\n    }\n}\n`);
    assert.deepEqual(describeAll(await client.waitForDiagnostics(b, (_, version) => version === 1)), []);
    await client.open(a, "pub fn fresh() -> &'static mut u8 {\n    Box::leak(Box::new(0))\n}\n");
    // Called in b.rs's loop: a real leak per iteration (a warning), not a leak once per program.
    const [leak] = await client.waitForDiagnostics(a, (ds) => ds.some((d) => d.code === 'box-leak' && d.severity === 2));
    assert.equal(leak.range.start.line, 1);
    assert.ok(leak.relatedInformation?.some((r) => r.location.uri === b && r.location.range.start.line === 502), JSON.stringify(leak.relatedInformation));
  });

  it('that need its tree, once it may call a function asked about, are refused when that tree is too dense', async () => {
    const dir = path.join('/', 'leak-lens-without-sites', 'src');
    const b = `file://${path.join(dir, 'b.rs')}`;
    const a = `file://${path.join(dir, 'a.rs')}`;
    await client.open(b, `${GENERATED}pub fn each(v: &[u8]) {\n    for _ in v {\n        let _r = fresh();\n    }\n}\n`);
    assert.deepEqual(describeAll(await client.waitForDiagnostics(b, (_, version) => version === 1, 60_000)), []);
    await client.open(a, "pub fn fresh() -> &'static mut u8 {\n    Box::leak(Box::new(0))\n}\n");
    const refused = await client.waitForDiagnostics(b, (ds) => ds.length > 0, 60_000);
    assert.equal(refused.length, 1, describeAll(refused).join('; '));
    assert.match(messageOf(refused[0]), /too dense to analyse within memory bounds: its syntax tree would have over [\d,]+ nodes \(counted in pieces of 64 KB\)/);
  });
});
