/**
 * The background scan steps aside between two slices for messages that came in meanwhile
 * (`lsp/step-aside.ts`), through vscode-jsonrpc's own reader over a real socket, whose reads come
 * from the event loop's poll phase as the server's stdin does.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-languageserver/node';
import { letMessagesIn } from '../../src/lsp/step-aside';

/** A framed JSON-RPC notification, as a client sends a `didOpen` of a 70 KB file. */
function notification(method: string, text: string): Buffer {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', method, params: { text } }));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
}

/** What the scan does between two slices: a file's analysis, which never yields. */
function busy(ms: number): void {
  for (const end = performance.now() + ms; performance.now() < end; );
}

describe('the background scan stepping aside for the editor', () => {
  let dir: string;
  let server: net.Server;
  let client: net.Socket;
  let accepted: net.Socket;
  let reads = 0;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leak-lens-step-aside-'));
    const address = path.join(dir, 'socket');
    const connected = new Promise<net.Socket>((resolve) => (server = net.createServer(resolve)));
    await new Promise<void>((resolve) => server.listen(address, resolve));
    client = net.connect(address);
    accepted = await connected;
    reads = 0;
    accepted.on('data', () => reads++);
  });

  afterEach(async () => {
    client.destroy();
    accepted.destroy();
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The server's side of the socket, as the language server's connection reads it: how many `didOpen`s it handled. */
  function serve(): { handled: () => number; dispose: () => void } {
    const connection = createMessageConnection(new StreamMessageReader(accepted), new StreamMessageWriter(accepted));
    let handled = 0;
    connection.onNotification('textDocument/didOpen', () => {
      handled++;
    });
    connection.listen();
    return { handled: () => handled, dispose: () => connection.dispose() };
  }

  it('hands a message that came in while the scan worked to its handler before the next slice', async () => {
    const reader = serve();
    for (let round = 0; round < 10; round++) {
      client.write(notification('textDocument/didOpen', 'x'.repeat(70_000)));
      busy(20);
      await letMessagesIn(() => reads);
      assert.equal(reader.handled(), round + 1, `round ${round}`);
    }
    reader.dispose();
  });

  it('waits for a message whose bytes arrive over several reads', async () => {
    const reader = serve();
    const message = notification('textDocument/didOpen', 'x'.repeat(70_000));
    client.write(message.subarray(0, 30_000));
    busy(20);
    const stepped = letMessagesIn(() => reads);
    // The rest while the scan steps aside, as a client writes past a full pipe.
    setImmediate(() => client.write(message.subarray(30_000)));
    await stepped;
    assert.equal(reader.handled(), 1);
    reader.dispose();
  });
});
