/**
 * Requests and notifications whose parameters are of the wrong shape (a client's bug, or a
 * hostile one): the server answers what it can from the rest, and no handler fails on them.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeAction } from 'vscode-languageserver-protocol/node';
import { TestClient, fileUri, freshFolder } from './harness';

const LOOP_LEAK = 'fn main() {\n    loop {\n        Box::leak(Box::new(1));\n    }\n}\n';
const STATIC_MUT = 'static mut COUNTER: u32 = 0;\n\nfn main() {\n    unsafe { COUNTER += 1; }\n}\n';

/** What the server logged as an error (a handler that threw, an analysis that failed). */
const errorsIn = (client: TestClient) => client.logs.filter((l) => /\[error\]|failed with message/.test(l));

describe('language server on malformed parameters', function () {
  this.timeout(30_000);
  const folder = freshFolder({ 'src/lib.rs': LOOP_LEAK });

  it('applies the well-formed entries of a watched-files notification that also holds malformed ones', async () => {
    const { root } = folder;
    const client = (folder.client = await TestClient.start({ rootPath: root }));
    const lib = fileUri(path.join(root, 'src', 'lib.rs'));
    await client.waitForDiagnostics(lib, (ds) => ds.some((d) => d.code === 'box-leak'));
    fs.writeFileSync(path.join(root, 'leak-lens.toml'), '[rules]\nbox-leak = "allow"\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [null, { uri: 5, type: 2 }, { uri: fileUri(path.join(root, 'leak-lens.toml')), type: 2 }],
    });
    await client.waitForDiagnostics(lib, (ds) => ds.length === 0);
    assert.deepEqual(errorsIn(client), []);
  });

  it('answers a hover at a position that is not whole non-negative numbers with nothing, without an error', async () => {
    const client = (folder.client = await TestClient.start());
    const uri = 'file:///virtual/counter.rs';
    await client.open(uri, STATIC_MUT);
    await client.waitForDiagnostics(uri, (ds) => ds.length > 0);
    for (const position of [{ line: '3', character: 13 }, { line: 3, character: null }, { line: -1, character: 0 }, { line: 1.5, character: 0 }, {}]) {
      assert.equal(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position }), null, JSON.stringify(position));
    }
    assert.ok(await client.hover(uri, 3, 16), 'a well-formed hover on the same name is answered');
    assert.deepEqual(errorsIn(client), []);
  });

  it('reads a code action context whose `only` or `diagnostics` is not an array as if it were absent', async () => {
    const client = (folder.client = await TestClient.start());
    const uri = 'file:///virtual/counter.rs';
    await client.open(uri, STATIC_MUT);
    const [diagnostic] = await client.waitForDiagnostics(uri, (ds) => ds.length > 0);
    const ask = (context: unknown, range: unknown = diagnostic.range) =>
      client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context }) as Promise<CodeAction[]>;
    const expected = (await ask({ diagnostics: [diagnostic] })).map((a) => a.title);
    assert.ok(expected.length > 1, 'the finding has fixes');
    assert.deepEqual((await ask({ diagnostics: [diagnostic], only: 'quickfix' })).map((a) => a.title), expected);
    assert.deepEqual((await ask({ diagnostics: 5 })).map((a) => a.title), expected);
    assert.deepEqual(await ask({ diagnostics: [] }, { start: null, end: null }), []);
    assert.deepEqual(errorsIn(client), []);
  });
});
