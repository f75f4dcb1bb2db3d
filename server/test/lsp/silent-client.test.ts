/**
 * A client that declares `workspace/configuration` and work-done progress but does not answer
 * the server's requests (a hand-written or fuzzing client, or one stuck on something else). The
 * server goes on without the answers after a while, rather than holding back every diagnostic
 * and hover for ever, and applies the settings when they come after all.
 */
import * as assert from 'node:assert/strict';
import { TestClient } from './harness';

const LOOP_LEAK = 'fn main() {\n    loop {\n        Box::leak(Box::new(1));\n    }\n}\n';
const never = () => new Promise<never>(() => undefined);

describe('language server with a client that does not answer its requests', function () {
  this.timeout(30_000);
  let client: TestClient | undefined;
  afterEach(async () => {
    await client?.stop();
    client = undefined;
  });

  it('publishes diagnostics and answers hovers without the settings and a progress token', async () => {
    client = await TestClient.start({ requests: { 'workspace/configuration': never, 'window/workDoneProgress/create': never } });
    const uri = 'file:///virtual/main.rs';
    await client.open(uri, LOOP_LEAK);
    const diagnostics = await client.waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === 'box-leak'), 15_000);
    assert.equal(diagnostics.length, 1);
    assert.match(JSON.stringify(await client.hover(uri, 2, 12)), /real leak/);
  });

  it('applies settings the client sends after the server stopped waiting for them', async () => {
    const late = () => new Promise((resolve) => setTimeout(() => resolve([{ rules: { 'box-leak': 'allow' } }]), 4000));
    client = await TestClient.start({ requests: { 'workspace/configuration': late } });
    const uri = 'file:///virtual/main.rs';
    await client.open(uri, LOOP_LEAK);
    await client.waitForDiagnostics(uri, (ds) => ds.some((d) => d.code === 'box-leak'), 15_000);
    await client.waitForDiagnostics(uri, (ds) => ds.length === 0, 15_000);
  });
});
