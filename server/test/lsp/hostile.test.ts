/**
 * The language server on traffic a buggy or hostile client sends: requests before `initialize`,
 * broken framing, edit ranges past the end or reversed, meaningless settings, watched files that
 * are not regular files. The server never freezes, never answers garbage, and its documents stay
 * the editor's.
 */
import * as assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HoverRequest, ResponseError, StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-languageserver-protocol/node';
import { FramingChecker } from '../../src/lsp/framing';
import { SERVER, TestClient, fileUri, freshFolder } from './harness';

const LOOP_LEAK = 'fn main() {\n    loop {\n        Box::leak(Box::new(1));\n    }\n}\n';

function spawnServer(): ChildProcess {
  return spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
}

/** The exit code, or 'alive' when the server is still running after `ms`. */
function exitWithin(child: ChildProcess, ms: number): Promise<number | 'alive'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('alive'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
}

describe('language server on hostile traffic', function () {
  this.timeout(30_000);

  describe('before initialize', () => {
    let child: ChildProcess;
    afterEach(() => child.kill());

    for (const [method, params] of [
      [HoverRequest.method, { textDocument: { uri: 'file:///a.rs' }, position: { line: 0, character: 0 } }],
      ['textDocument/codeAction', { textDocument: { uri: 'file:///a.rs' }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }],
      ['leakLens/scanWorkspace', {}],
      ['leakLens/workspaceFindings', {}],
    ] as const) {
      it(`answers ${method} with ServerNotInitialized (-32002)`, async () => {
        child = spawnServer();
        const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
        connection.listen();
        // A notification before initialize is dropped, not a reason to fail what follows.
        await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///a.rs', languageId: 'rust', version: 1, text: LOOP_LEAK } });
        await assert.rejects(connection.sendRequest(method, params), (e: ResponseError<unknown>) => {
          assert.equal(e.code, -32002, e.message);
          return true;
        });
        connection.dispose();
      });
    }
  });

  describe('broken framing', () => {
    for (const [what, bytes] of [
      ['a header without Content-Length', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}'],
      ['a negative Content-Length', 'Content-Length: -5\r\n\r\n{}'],
      ['LF-only header line ends', 'Content-Length: 2\n\n{}'],
    ] as const) {
      it(`exits with status 1 after ${what}, saying why on stderr`, async () => {
        const child = spawnServer();
        let stderr = '';
        child.stderr!.on('data', (d) => (stderr += String(d)));
        child.stdin!.write(bytes);
        const code = await exitWithin(child, 10_000);
        child.kill();
        assert.equal(code, 1, `the server is ${code === 'alive' ? 'still running, answering nothing' : `gone with ${code}`}`);
        assert.match(stderr, /cannot read the client's messages/);
      });
    }

    it('accepts well-formed framing split across chunks at every byte', () => {
      const body = '{"jsonrpc":"2.0","method":"x"}';
      const stream = Buffer.from(`Content-Length: ${body.length}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n${body}`.repeat(3));
      const checker = new FramingChecker();
      for (let i = 0; i < stream.length; i++) assert.equal(checker.push(stream.subarray(i, i + 1)), undefined, `at byte ${i}`);
    });
  });

  describe('documents', () => {
    let client: TestClient;
    let root: string;
    beforeEach(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'leak-lens-hostile-'));
      client = await TestClient.start({ rootPath: root });
    });
    afterEach(async () => {
      await client.stop();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('clamps an edit range past the end to the end, so later edits land where the editor put them', async () => {
      const uri = fileUri(path.join(root, 'past_end.rs'));
      await client.open(uri, 'fn main() {}\n');
      await client.change(uri, [{ range: { start: { line: 10, character: 0 }, end: { line: 11, character: 0 } }, text: 'fn g() {}\n' }]);
      // Now `fn main() {}\nfn g() {}\n`: put a loop with a leak inside g's braces.
      const version = await client.change(uri, [{ range: { start: { line: 1, character: 8 }, end: { line: 1, character: 8 } }, text: ' loop { Box::leak(Box::new(1)); } ' }]);
      const [d] = await client.waitForDiagnostics(uri, (ds, v) => v === version && ds.length > 0);
      assert.equal(d.code, 'box-leak');
      assert.deepEqual(d.range, { start: { line: 1, character: 16 }, end: { line: 1, character: 38 } });
    });

  });

  describe('line ends', () => {
    it('publishes positions on the editor\'s lines for a file with lone CR line ends', async () => {
      const client = await TestClient.start();
      try {
        const uri = 'file:///tmp/lone-cr.rs';
        await client.open(uri, 'fn a() {}\rfn main() {\r    loop { Box::leak(Box::new(1)); }\r}\r');
        const [d] = await client.waitForDiagnostics(uri, (ds) => ds.length > 0);
        assert.equal(d.code, 'box-leak');
        assert.deepEqual(d.range, { start: { line: 2, character: 11 }, end: { line: 2, character: 33 } });
      } finally {
        await client.stop();
      }
    });
  });

  describe('workspace', () => {
    const folder = freshFolder({ 'src/lib.rs': LOOP_LEAK });

    it('ignores an empty leakLens.exclude pattern and goes on analysing', async () => {
      const { root } = folder;
      const client = (folder.client = await TestClient.start({ rootPath: root, settings: { exclude: ['', './'] } }));
      const lib = fileUri(path.join(root, 'src', 'lib.rs'));
      await client.waitForDiagnostics(lib, (ds) => ds.some((d) => d.code === 'box-leak'));
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const uri = fileUri(path.join(root, 'src', 'open.rs'));
      await client.open(uri, LOOP_LEAK);
      await client.waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === 'box-leak'));
    });

    for (const [what, make] of [
      ['a named pipe', (file: string) => execFileSync('mkfifo', [file])],
      ['a link to /dev/zero', (file: string) => fs.symlinkSync('/dev/zero', file)],
    ] as const) {
      it(`skips a watched .rs file that is ${what} and stays responsive`, async () => {
        const { root } = folder;
        const client = (folder.client = await TestClient.start({ rootPath: root }));
        const lib = path.join(root, 'src', 'lib.rs');
        await client.waitForDiagnostics(fileUri(lib), (ds) => ds.length > 0);
        const special = path.join(root, 'src', 'special.rs');
        make(special);
        await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(special), type: 1 }] });
        fs.writeFileSync(lib, 'fn main() {}\n');
        await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(lib), type: 2 }] });
        await client.waitForDiagnostics(fileUri(lib), (ds) => ds.length === 0);
        assert.ok(client.alive);
      });
    }
  });
  describe('bursts of changes', () => {
    let client: TestClient;
    afterEach(() => client.stop());

    it('analyses changes that arrive while a large document is analysed together, not one version at a time', async () => {
      client = await TestClient.start();
      const uri = 'file:///burst.rs';
      // Within the server's allowance (about 1,400 such statements).
      const leaks = 1_200;
      await client.open(uri, `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(leaks)}}\n`);
      await client.waitForDiagnostics(uri, (_, version) => version === 1, 60_000);
      // Sent at once: the server reads them all while it analyses the first.
      let last = 1;
      for (let i = 0; i < 20; i++) last = await client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: ' ' }]);
      const published = new Set<number>();
      const diagnostics = await client.waitForDiagnostics(uri, (_, version) => (published.add(version!), version === last), 60_000);
      // The editor shows at most 1,000 per file: 999 and a notice of the other 201.
      assert.equal(diagnostics.length, 1000);
      assert.match(String(diagnostics.at(-1)!.message), /lists all 1,200\.$/);
      assert.equal(diagnostics[0].range.start.character, 4 + 20);
      // Before: every one of the 20 versions was analysed and published in turn.
      assert.ok(published.size <= 6, `published versions ${[...published].join(', ')}`);
    });
  });
});
