/**
 * The language server end to end: the built `dist/server.js` in a child process, driven over stdio
 * by a real JSON-RPC client.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeAction, Diagnostic, DiagnosticSeverity, MarkupContent, TextEdit } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { REPO, TestClient, fileUri, messageOf } from './harness';

const FIXTURES = path.join(REPO, 'server', 'test', 'lsp', 'fixtures');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

function applyAction(text: string, uri: string, action: CodeAction): string {
  const edits = (action.edit?.changes?.[uri] ?? []) as TextEdit[];
  assert.ok(edits.length > 0, `"${action.title}" has no edits`);
  return TextDocument.applyEdits(TextDocument.create(uri, 'rust', 1, text), edits);
}

describe('language server over stdio', function () {
  let client: TestClient;
  let root: string;

  before(async function () {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'leak-lens-lsp-'));
    client = await TestClient.start({ rootPath: root });
  });

  after(async function () {
    await client?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('publishes a real-leak warning with rule code, docs link, source and fix key', async function () {
    const uri = fileUri(path.join(root, 'thread_leak.rs'));
    await client.open(uri, read('thread_leak.rs'));
    const [d] = await client.waitForDiagnostics(uri, (ds) => ds.length > 0);
    assert.equal(d.source, 'leak-lens');
    assert.equal(d.code, 'box-leak');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.match(messageOf(d), /^real leak/);
    assert.match(d.codeDescription!.href, /docs\/rules\/box-leak\.md$/);
    assert.deepEqual(d.range.start, { line: 4, character: 40 });
    assert.equal(typeof (d.data as { key: string }).key, 'string');
  });

  it('explains the leak on hover: classification, reasons, run time, alternative, std docs', async function () {
    const uri = fileUri(path.join(root, 'thread_leak.rs'));
    const hover = await client.hover(uri, 4, 45);
    assert.ok(hover, 'no hover');
    const text = (hover.contents as MarkupContent).value;
    assert.match(text, /real leak/);
    assert.match(text, /\*\*Why\*\*/);
    assert.match(text, /definitely lost/);
    assert.match(text, /```rust/);
    assert.match(text, /doc\.rust-lang\.org\/std\/boxed\/struct\.Box\.html#method\.leak/);
    assert.equal(await client.hover(uri, 0, 0), null);
  });

  it('offers "keep owned" first, then allow and explain; applying it gives the expected code', async function () {
    const uri = fileUri(path.join(root, 'thread_leak.rs'));
    const [d] = await client.waitForDiagnostics(uri, (ds) => ds.length > 0);
    const actions = await client.codeActions(uri, d);
    assert.ok(actions[0].isPreferred, 'the first action is preferred');
    assert.match(actions[0].title, /Keep the value owned/);
    assert.equal(actions.filter((a) => a.isPreferred).length, 1);
    assert.ok(actions.some((a) => /leak-lens: allow\(box-leak\)/.test(a.title)));
    assert.ok(actions.some((a) => a.command?.arguments?.[0] === 'box-leak'));
    assert.ok(!actions.some((a) => /from_raw/.test(a.title)), 'never "unleak" with from_raw');
    assert.equal(applyAction(read('thread_leak.rs'), uri, actions[0]), read('thread_leak.fixed.rs'));

    const allow = actions.find((a) => /allow\(box-leak\)/.test(a.title))!;
    const allowed = applyAction(read('thread_leak.rs'), uri, allow);
    assert.match(allowed, /\n {8}\/\/ leak-lens: allow\(box-leak\)\n {8}let leaked_data/);
  });

  it('rewrites a static mut counter to an atomic, updating its uses', async function () {
    const uri = fileUri(path.join(root, 'counter.rs'));
    await client.open(uri, read('counter.rs'));
    const diagnostics = await client.waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === 'static-mut'));
    const declaration = diagnostics.find((d) => d.code === 'static-mut' && d.range.start.line === 0) ?? diagnostics[0];
    const actions = await client.codeActions(uri, declaration);
    assert.match(actions[0].title, /AtomicUsize/);
    assert.equal(applyAction(read('counter.rs'), uri, actions[0]), read('counter.fixed.rs'));
  });

  it('flips a Box::leak between intentional static and real leak as it moves into and out of a loop', async function () {
    const uri = fileUri(path.join(root, 'moving.rs'));
    const text = [
      'fn main() {',
      '    let name: &\'static str = Box::leak(String::from("x").into_boxed_str());',
      '    println!("{}", name);',
      '}',
      '',
    ].join('\n');
    await client.open(uri, text);
    const kindOf = (ds: Diagnostic[]) => {
      const d = ds.find((x) => x.code === 'box-leak');
      return d && messageOf(d).split(':')[0];
    };
    await client.waitForDiagnostics(uri, (ds) => kindOf(ds) === 'intentional static');

    // Wrap lines 1-2 in a loop: insert the header, then the closing brace (two incremental edits).
    let version = await client.change(uri, [
      { range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: '    }\n' },
      { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '    for _ in 0..10 {\n' },
    ]);
    let ds = await client.waitForDiagnostics(uri, (d, v) => v === version && kindOf(d) === 'real leak');
    assert.equal(ds.find((d) => d.code === 'box-leak')!.severity, DiagnosticSeverity.Warning);
    assert.equal(ds.find((d) => d.code === 'box-leak')!.range.start.line, 2);

    // And out again: delete the two lines.
    version = await client.change(uri, [
      { range: { start: { line: 4, character: 0 }, end: { line: 5, character: 0 } }, text: '' },
      { range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: '' },
    ]);
    ds = await client.waitForDiagnostics(uri, (d, v) => v === version && kindOf(d) === 'intentional static');
    assert.equal(ds.find((d) => d.code === 'box-leak')!.severity, DiagnosticSeverity.Information);
  });

  it('pairs an into_raw with a from_raw in another file and republishes the first file', async function () {
    const a = fileUri(path.join(root, 'make.rs'));
    const b = fileUri(path.join(root, 'free.rs'));
    await client.open(a, 'pub fn make() -> *mut i32 {\n    Box::into_raw(Box::new(1))\n}\n');
    await client.waitForDiagnostics(a, (ds) => ds.some((d) => d.code === 'into-raw' && /^real leak/.test(messageOf(d))));
    await client.open(b, 'pub fn free(p: *mut i32) {\n    unsafe { drop(Box::from_raw(p)) };\n}\n');
    const ds = await client.waitForDiagnostics(a, (d) => d.some((x) => x.code === 'into-raw' && /^reclaimed/.test(messageOf(x))));
    const related = ds.find((d) => d.code === 'into-raw')!.relatedInformation ?? [];
    assert.ok(related.some((r) => r.location.uri === b), 'related information points at the from_raw');

    // Removing the from_raw flips it back.
    const version = await client.change(b, [{ text: 'pub fn free(_p: *mut i32) {}\n' }]);
    assert.ok(version > 1);
    await client.waitForDiagnostics(a, (d) => d.some((x) => x.code === 'into-raw' && /^real leak/.test(messageOf(x))));
  });

  describe('robustness', function () {
    it('answers garbage params, unknown methods and unknown documents without dying', async function () {
      const c = client.connection;
      await assert.rejects(c.sendRequest('textDocument/unknownThing', { x: 1 }));
      assert.equal(await c.sendRequest('textDocument/hover', { garbage: true }), null);
      assert.equal(await c.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nowhere.rs' }, position: { line: 3, character: 1 } }), null);
      assert.deepEqual(await c.sendRequest('textDocument/codeAction', { textDocument: { uri: 42 } }), []);
      // Null params are refused by the JSON-RPC layer with an error response, not a crash.
      await assert.rejects(c.sendRequest('textDocument/codeAction', null));
      await c.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///never-opened.rs', version: 2 }, contentChanges: [{ text: 'x' }] });
      await c.sendNotification('textDocument/didOpen', { textDocument: null });
      await c.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///notes.txt', languageId: 'plaintext', version: 1, text: 'Box::leak' } });
      await c.sendNotification('workspace/didChangeWatchedFiles', { changes: 'nope' });
      await c.sendRequest('workspace/executeCommand', { command: 'leakLens.server.explainRule', arguments: ['no-such-rule'] });
      // Still serving: a fresh document gets diagnostics.
      const uri = fileUri(path.join(root, 'after-garbage.rs'));
      await client.open(uri, 'fn main() {\n    let v = vec![1];\n    std::mem::forget(v);\n}\n');
      await client.waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === 'mem-forget'));
      assert.ok(client.alive);
    });

    it('survives a file full of syntax errors and a huge file', async function () {
      const broken = fileUri(path.join(root, 'broken.rs'));
      await client.open(broken, 'fn main( { let x = Box::leak(Box::new(1)) ;;; } } impl for {{{\n'.repeat(50));
      await client.waitForDiagnostics(broken, () => true);
      const huge = fileUri(path.join(root, 'huge.rs'));
      await client.open(huge, 'fn f() { let _x = 1; }\n'.repeat(300_000));
      const uri = fileUri(path.join(root, 'still-alive.rs'));
      await client.open(uri, 'fn main() {\n    loop { let _s: &\'static mut i32 = Box::leak(Box::new(1)); }\n}\n');
      await client.waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === 'box-leak'));
      assert.ok(client.alive);
    });
  });
});
