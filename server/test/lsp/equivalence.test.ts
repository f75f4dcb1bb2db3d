/**
 * The language server's incremental path (edits analysed at once, facts and call sites cached per
 * file, the cross-file pass over cached facts) must publish exactly what a from-scratch
 * `analyzeSources` over the same texts reports. A series of edits through the real stdio protocol —
 * single characters, a loop wrapped around a call, a reclaim added and removed in another file, a
 * user method that shadows a std one, a type's `Drop` written in another file, a document closed, a
 * closed file changed on disk — and after
 * each, every file's published diagnostics and the workspace findings are compared with a fresh
 * analysis.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Diagnostic, DiagnosticSeverity, Range } from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeSources } from '../../src/analysis/engine';
import { discoverFiles } from '../../src/config';
import { initParser } from '../../src/parsing/parser';
import { Finding, compareFindings } from '../../../shared/src/findings';
import { WORKSPACE_FINDINGS_REQUEST } from '../../../shared/src/protocol';
import { TestClient, fileUri, messageOf } from './harness';

const SEVERITY: Record<string, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const FILES: Record<string, string> = {
  'src/main.rs': 'mod leaky;\nmod user;\n\nfn main() {\n    user::run();\n}\n',
  'src/leaky.rs': "pub fn leaky() -> &'static mut u8 {\n    Box::leak(Box::new(0))\n}\n",
  'src/user.rs': 'use crate::leaky::leaky;\n\npub fn run() {\n    let r = leaky();\n    *r = 1;\n}\n',
  'src/make.rs': 'pub fn make() -> *mut i32 {\n    Box::into_raw(Box::new(1))\n}\n\npub fn wrap(thing: Thing) -> &\'static mut Thing {\n    thing.leak()\n}\n',
  'src/free.rs': 'pub fn free(_p: *mut i32) {}\n',
  'src/handle.rs': 'pub struct Handle {\n    raw: *mut u32,\n}\n\nimpl Handle {\n    pub fn new() -> Handle {\n        Handle { raw: Box::into_raw(Box::new(1)) }\n    }\n}\n',
  'src/handle_drop.rs': '// `Handle` gets its `Drop` here.\n',
};

function comparable(d: Diagnostic) {
  return {
    range: d.range,
    code: d.code,
    severity: d.severity,
    message: messageOf(d),
    related: (d.relatedInformation ?? []).map((r) => ({ uri: r.location.uri, range: r.location.range, message: r.message })),
  };
}

function expectedDiagnostic(f: Finding) {
  return {
    range: f.range,
    code: f.rule,
    severity: SEVERITY[f.severity],
    message: f.message,
    related: f.related.map((r) => ({ uri: r.file, range: r.range, message: r.message })),
  };
}

describe('language server incremental analysis equals a from-scratch analysis', function () {
  this.timeout(60_000);
  let root: string;
  let client: TestClient;
  /** Texts of the open documents, kept in step with what was sent. */
  const open = new Map<string, TextDocument>();

  before(async function () {
    await initParser();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'leak-lens-eq-'));
    for (const [name, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), text);
    }
    client = await TestClient.start({ rootPath: root });
    // The end of the background scan: every file with findings has been published.
    await client.waitForDiagnostics(uriOf('src/make.rs'), (ds) => ds.some((d) => d.code === 'into-raw'));
  });

  after(async function () {
    await client?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  function uriOf(name: string): string {
    return fileUri(path.join(root, name));
  }

  /** Current texts in the server's file order (the scan's discovery order; no file is added later). */
  function currentTexts(): { path: string; text: string }[] {
    return discoverFiles([root], { root, exclude: [] }).files.map((fsPath) => {
      const uri = fileUri(fsPath);
      return { path: uri, text: open.get(uri)?.getText() ?? fs.readFileSync(fsPath, 'utf8') };
    });
  }

  async function assertMatchesFromScratch(step: string): Promise<void> {
    const inputs = currentTexts();
    const expected = analyzeSources(inputs).findings;
    // Answered after the cross-file republishing the last change scheduled.
    const reported = await client.connection.sendRequest<{ uri: string; findings: Finding[] }[]>(WORKSPACE_FINDINGS_REQUEST);
    const actual = reported.flatMap((r) => r.findings).sort(compareFindings);
    assert.deepEqual(actual, expected, `${step}: workspace findings`);
    for (const { path: uri } of inputs) {
      const published = (client.diagnostics.get(uri)?.diagnostics ?? []).map(comparable);
      const wanted = expected.filter((f) => f.file === uri).map(expectedDiagnostic);
      assert.deepEqual(published, wanted, `${step}: diagnostics of ${path.basename(uri)}`);
    }
  }

  async function openDoc(name: string): Promise<void> {
    const uri = uriOf(name);
    const text = fs.readFileSync(path.join(root, name), 'utf8');
    open.set(uri, TextDocument.create(uri, 'rust', 1, text));
    await client.open(uri, text);
    await client.waitForDiagnostics(uri, (_d, v) => v === 1);
  }

  /** Sends one incremental change and waits for the diagnostics of its version. */
  async function edit(name: string, range: Range, text: string): Promise<void> {
    const uri = uriOf(name);
    const before = open.get(uri)!;
    const version = await client.change(uri, [{ range, text }]);
    open.set(uri, TextDocument.update(before, [{ range, text }], version));
    await client.waitForDiagnostics(uri, (_d, v) => v === version);
  }

  /** Replaces the first occurrence of `from` with `to`, typed (or deleted) one character at a time. */
  async function typeOver(name: string, from: string, to: string): Promise<void> {
    const doc = () => open.get(uriOf(name))!;
    const start = doc().getText().indexOf(from);
    assert.ok(start >= 0, `${from} in ${name}`);
    for (let i = from.length; i > 0; i--) {
      const at = start + i - 1;
      await edit(name, { start: doc().positionAt(at), end: doc().positionAt(at + 1) }, '');
    }
    for (let i = 0; i < to.length; i++) {
      const at = doc().positionAt(start + i);
      await edit(name, { start: at, end: at }, to[i]);
    }
  }

  async function replace(name: string, from: string, to: string): Promise<void> {
    const doc = open.get(uriOf(name))!;
    const start = doc.getText().indexOf(from);
    assert.ok(start >= 0, `${from} in ${name}`);
    await edit(name, { start: doc.positionAt(start), end: doc.positionAt(start + from.length) }, to);
  }

  it('after the background scan', async function () {
    await assertMatchesFromScratch('scan');
  });

  it('while a caller is edited character by character, into and out of a loop', async function () {
    await openDoc('src/user.rs');
    await assertMatchesFromScratch('open user.rs');
    await replace('src/user.rs', '    let r = leaky();\n    *r = 1;\n', '    for _ in 0..3 {\n        let r = leaky();\n        *r = 1;\n    }\n');
    await assertMatchesFromScratch('loop around the call');
    await typeOver('src/user.rs', 'for _ in 0..3', 'if true');
    await assertMatchesFromScratch('loop typed over');
    await typeOver('src/user.rs', 'let r = leaky();', 'leaky();');
    await assertMatchesFromScratch('result discarded');
    await typeOver('src/user.rs', 'if true', 'loop');
    await assertMatchesFromScratch('loop again');
  });

  it('while a reclaim and a shadowing method come and go in another file', async function () {
    await openDoc('src/free.rs');
    await replace('src/free.rs', 'pub fn free(_p: *mut i32) {}\n', 'pub fn free(p: *mut i32) {\n    unsafe { drop(Box::from_raw(p)) };\n}\n');
    await assertMatchesFromScratch('from_raw added');
    await replace('src/free.rs', '\n', '\n\n\n');
    await assertMatchesFromScratch('lines inserted above the reclaim');
    await replace('src/free.rs', '}\n', '}\n\npub struct Thing;\nimpl Thing {\n    fn leak(self) -> &\'static mut Thing {\n        unimplemented!()\n    }\n}\n');
    await assertMatchesFromScratch('user method leak defined');
    await typeOver('src/free.rs', 'fn leak(self)', 'fn peak(self)');
    await assertMatchesFromScratch('user method renamed');
    await typeOver('src/free.rs', 'from_raw', 'from_rax');
    await assertMatchesFromScratch('reclaim typed away');
  });

  it('while namesakes of the leaking function come and go, in the calling module and in another', async function () {
    // user.rs calls `leaky()` in a loop (where the test above left it).
    await replace('src/user.rs', 'use crate::leaky::leaky;\n', '');
    const leak = async () => messageOf((await client.waitForDiagnostics(uriOf('src/leaky.rs'), (ds) => ds.length > 0))[0]);
    await replace('src/user.rs', 'pub fn run() {', 'fn leaky() -> u8 {\n    0\n}\n\npub fn run() {');
    await assertMatchesFromScratch('a local namesake defined');
    assert.match(await leak(), /^intentional static/, 'the loop calls the local namesake');
    await typeOver('src/user.rs', 'fn leaky() -> u8', 'fn sneaky() -> u8');
    await assertMatchesFromScratch('the local namesake renamed');
    assert.match(await leak(), /^real leak/, 'the loop calls `leaky` again');
    // A call `free::leaky()` is of free.rs's own `leaky` while free.rs defines one.
    await typeOver('src/user.rs', 'leaky();', 'sneaky();');
    await replace('src/free.rs', 'pub fn free(', 'pub fn leaky() -> u8 {\n    0\n}\n\npub fn free(');
    await replace('src/user.rs', 'pub fn run() {', 'pub fn run() {\n    for _ in 0..2 {\n        crate::free::leaky();\n    }');
    await assertMatchesFromScratch('a namesake in another module, called by path');
    assert.match(await leak(), /^intentional static/, '`crate::free::leaky` is free.rs\'s own');
    await typeOver('src/free.rs', 'pub fn leaky() -> u8', 'pub fn leaks() -> u8');
    await assertMatchesFromScratch('that namesake renamed');
    assert.match(await leak(), /^real leak/, 'free.rs no longer defines `leaky`');
  });

  it("while a type's Drop comes, stops releasing the pointer and goes, in another file", async function () {
    const verdict = async (kind: RegExp) => messageOf((await client.waitForDiagnostics(uriOf('src/handle.rs'), (ds) => ds.some((d) => kind.test(messageOf(d)))))[0]);
    assert.match(await verdict(/./), /^real leak/, '`Handle` has no `Drop` yet');
    await openDoc('src/handle_drop.rs');
    await replace('src/handle_drop.rs', '\n', '\nuse crate::handle::Handle;\n\nimpl Drop for Handle {\n    fn drop(&mut self) {\n        unsafe { drop(Box::from_raw(self.raw)) };\n    }\n}\n');
    await assertMatchesFromScratch('Drop written');
    assert.match(await verdict(/^reclaimed/), /^reclaimed/);
    await replace('src/handle_drop.rs', 'unsafe { drop(Box::from_raw(self.raw)) };', 'println!("dropped");');
    await assertMatchesFromScratch('Drop no longer releases the field');
    assert.match(await verdict(/^real leak/), /never releases it/);
    await typeOver('src/handle_drop.rs', 'impl Drop for Handle', 'impl Clone for Handle');
    await assertMatchesFromScratch('Drop gone');
  });

  it('after a document is closed and a closed file changes on disk', async function () {
    const user = uriOf('src/user.rs');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: user } });
    open.delete(user);
    await client.waitForDiagnostics(uriOf('src/leaky.rs'), (ds) => ds.some((d) => /^intentional/i.test(messageOf(d))));
    await assertMatchesFromScratch('user.rs closed (disk text again)');

    const main = path.join(root, 'src', 'main.rs');
    fs.writeFileSync(main, 'mod leaky;\nmod user;\n\nfn main() {\n    for _ in 0..10 {\n        user::run();\n    }\n}\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(main), type: 2 }] });
    await client.waitForDiagnostics(uriOf('src/leaky.rs'), (ds) => ds.some((d) => /^real leak/i.test(messageOf(d))));
    await assertMatchesFromScratch('main.rs changed on disk');
  });
});
