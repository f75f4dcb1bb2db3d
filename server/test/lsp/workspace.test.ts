/**
 * Workspace behaviour of the server: the background scan of closed files (with work-done progress
 * and excludes), settings from the editor merged with leak-lens.toml and applied live, and watched
 * file changes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { TestClient, fileUri } from './harness';

describe('language server workspace', function () {
  let root: string;
  let client: TestClient | undefined;
  const progress: unknown[] = [];
  let settings: Record<string, unknown> = {};

  beforeEach(function () {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'leak-lens-ws-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.mkdirSync(path.join(root, 'generated'));
    fs.writeFileSync(path.join(root, 'src', 'lib.rs'), 'pub fn leak_each(v: &[u8]) {\n    for _ in v {\n        let _s: &\'static mut u8 = Box::leak(Box::new(0));\n    }\n}\n');
    fs.writeFileSync(path.join(root, 'src', 'forget.rs'), 'pub fn f() {\n    let v = vec![1];\n    std::mem::forget(v);\n}\n');
    fs.writeFileSync(path.join(root, 'generated', 'gen.rs'), 'pub fn g() {\n    loop { let _x = Box::leak(Box::new(1)); }\n}\n');
    fs.writeFileSync(path.join(root, 'leak-lens.toml'), 'exclude = ["generated"]\n');
    progress.length = 0;
    settings = {};
  });

  afterEach(async function () {
    await client?.stop();
    client = undefined;
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function start(): Promise<TestClient> {
    client = await TestClient.start({ rootPath: root });
    client.connection.onNotification('$/progress', (p: unknown) => {
      progress.push(p);
    });
    // Answer with whatever `settings` holds at the time of the request, so tests can change it.
    client.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
    return client;
  }

  it('scans closed files in the background with progress, honouring leak-lens.toml excludes', async function () {
    const c = await start();
    await c.waitForDiagnostics(fileUri(path.join(root, 'src', 'lib.rs')), (ds) => ds.some((d) => d.code === 'box-leak'));
    await c.waitForDiagnostics(fileUri(path.join(root, 'src', 'forget.rs')), (ds) => ds.some((d) => d.code === 'mem-forget'));
    assert.equal(c.diagnostics.has(fileUri(path.join(root, 'generated', 'gen.rs'))), false, 'excluded file not analysed');
    const kinds = () => progress.map((p) => (p as { value: { kind: string } }).value.kind);
    for (let i = 0; i < 50 && !kinds().includes('end'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual([kinds()[0], kinds()[kinds().length - 1]], ['begin', 'end'], 'work-done progress begins and ends');
  });

  it('applies leakLens.rules and minimumSeverity live when the configuration changes', async function () {
    const c = await start();
    const lib = fileUri(path.join(root, 'src', 'lib.rs'));
    const forget = fileUri(path.join(root, 'src', 'forget.rs'));
    await c.waitForDiagnostics(lib, (ds) => ds.some((d) => d.code === 'box-leak' && d.severity === DiagnosticSeverity.Warning));
    settings = { rules: { 'box-leak': 'deny', 'mem-forget': 'allow' } };
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await c.waitForDiagnostics(lib, (ds) => ds.some((d) => d.code === 'box-leak' && d.severity === DiagnosticSeverity.Error));
    await c.waitForDiagnostics(forget, (ds) => ds.length === 0);
    settings = { minimumSeverity: 'error', rules: { 'box-leak': 'warn' } };
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await c.waitForDiagnostics(lib, (ds) => ds.length === 0);
  });

  it('answers a quick-fix request for a closed file\'s diagnostic with its fixes once the editor opens the file for it', async function () {
    const c = await start();
    const file = path.join(root, 'src', 'lib.rs');
    const uri = fileUri(file);
    const [closed] = await c.waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === 'box-leak'));
    // Settings changed just before: analysing the file now waits for the editor's answer to
    // `workspace/configuration`, while the editor's next request is already on its way.
    await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    // What an editor does for a problem of a file it has not opened: open it, then ask at once,
    // with the diagnostic it was shown (published for the closed file), without waiting for new ones.
    await c.open(uri, fs.readFileSync(file, 'utf8'));
    const actions = await c.codeActions(uri, closed);
    assert.ok(actions.some((a) => a.isPreferred && a.edit), `a preferred fix among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(actions.some((a) => /leak-lens: allow\(box-leak\)/.test(a.title)), 'the allow-comment action too');
  });

  it('keeps closed files current through watched-file changes', async function () {
    const c = await start();
    const forget = path.join(root, 'src', 'forget.rs');
    await c.waitForDiagnostics(fileUri(forget), (ds) => ds.length > 0);
    fs.writeFileSync(forget, 'pub fn f() {\n    let v = vec![1];\n    drop(v);\n}\n');
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(forget), type: 2 }] });
    await c.waitForDiagnostics(fileUri(forget), (ds) => ds.length === 0);
  });

  it("offers only the fixes the crate's Rust version compiles, re-reading Cargo.toml when it changes", async function () {
    const c = await start();
    const file = path.join(root, 'src', 'config.rs');
    const uri = fileUri(file);
    const text = 'use std::sync::Once;\n\nstatic INIT: Once = Once::new();\nstatic mut VALUE: Option<String> = None;\n\npub fn get() -> bool {\n    unsafe {\n        INIT.call_once(|| {\n            VALUE = Some(String::new());\n        });\n        VALUE.is_some()\n    }\n}\n';
    fs.writeFileSync(file, text);
    const manifest = path.join(root, 'Cargo.toml');
    fs.writeFileSync(manifest, '[package]\nname = "old"\nedition = "2021"\nrust-version = "1.65"\n');
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(manifest), type: 1 }] });
    await c.open(uri, text);
    const once = (ds: { code?: unknown }[]) => ds.find((d) => d.code === 'once-static-mut');
    const before = once(await c.waitForDiagnostics(uri, (ds) => !!once(ds)))!;
    const old = await c.codeActions(uri, before as never);
    assert.ok(!old.some((a) => /OnceLock/.test(a.title)), `no OnceLock (Rust 1.70) for rust-version 1.65: ${old.map((a) => a.title).join(' | ')}`);

    fs.writeFileSync(manifest, '[package]\nname = "new"\nedition = "2021"\nrust-version = "1.75"\n');
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(manifest), type: 2 }] });
    for (let i = 0; i < 50; i++) {
      const current = once(c.diagnostics.get(uri)?.diagnostics ?? []);
      const actions = current ? await c.codeActions(uri, current as never) : [];
      if (actions.some((a) => /OnceLock/.test(a.title))) {
        assert.ok(actions.some((a) => /OnceLock/.test(a.title) && !/needs Rust/.test(a.title)), 'a known, new enough version needs no warning');
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail('the OnceLock fix never appeared after rust-version was raised to 1.75');
  });
});
