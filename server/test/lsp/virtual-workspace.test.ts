/**
 * A virtual workspace (GitHub Repositories' `vscode-vfs://`, a remote file system): the Node
 * language server cannot read the folder from disk, so it lists and reads it through the client,
 * as the VS Code extension offers (`initializationOptions.workspaceFiles`); a client that does not
 * offer it gets the folder reported as unreadable, not a crash.
 */
import * as assert from 'node:assert/strict';
import { FIND_FILES_REQUEST, READ_FILE_REQUEST } from '../../../shared/src/protocol';
import { FILES, answerFileRequest } from './client-served-workspace';
import { TestClient, messageOf } from './harness';

const FOLDER = 'vscode-vfs://github/leak-lens/demo';
const requests = Object.fromEntries([FIND_FILES_REQUEST, READ_FILE_REQUEST].map((m) => [m, (params: unknown) => answerFileRequest(FOLDER, m, params)]));

describe('virtual workspace (a folder the Node server cannot read from disk)', () => {
  let client: TestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  it('finds the callers of a leaking function in another closed file read through the client: a real leak, denied by its leak-lens.toml', async () => {
    client = await TestClient.start({ rootUri: FOLDER, requests, initializationOptions: { workspaceFiles: true } });
    const [diagnostic, ...others] = await client.waitForDiagnostics(`${FOLDER}/src/names.rs`, (d) => d.length > 0);
    assert.deepEqual(others, []);
    assert.equal(diagnostic.code, 'box-leak');
    assert.equal(diagnostic.severity, 1);
    assert.deepEqual(diagnostic.range.start, { line: 1, character: 4 });
    assert.match(messageOf(diagnostic), /^real leak: `Box::leak` is returned from `intern`, which runs repeatedly/);
  });

  it('reports the folder as unreadable when the client does not offer to read it, and still analyses an opened document', async () => {
    client = await TestClient.start({ rootUri: FOLDER });
    const uri = `${FOLDER}/src/names.rs`;
    await client.open(uri, FILES['src/names.rs']);
    // Alone, without its callers: returned from `intern`, whose callers are unknown.
    const [diagnostic] = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    assert.equal(diagnostic.code, 'box-leak');
    assert.doesNotMatch(messageOf(diagnostic), /runs repeatedly/);
    const said = `${FOLDER}: this folder is not on disk, and the editor does not offer to read it`;
    for (let i = 0; i < 100 && !client.logs.some((l) => l.includes(said)); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(client.logs.some((l) => l.includes(said)), client.logs.join('\n'));
  });
});
