/**
 * The language server built for the browser (`dist/web/server.js`) in a sandbox that has what a
 * dedicated Web Worker has and nothing of Node (no `require`, `process`, `Buffer`, `setImmediate`),
 * driven over its message port as the VS Code web client drives it: it parses with web-tree-sitter
 * from the wasm bytes it is sent (and fetches nothing), lists and reads the closed files of the workspace and its
 * `leak-lens.toml` through the client, and answers with diagnostics and hovers.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { FIND_FILES_REQUEST, READ_FILE_REQUEST, ReadFileParams } from '../../../shared/src/protocol';
import { FILES, answerFileRequest } from './client-served-workspace';

const FOLDER = 'vscode-test-web://mount/demo';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const BUNDLE = path.join(REPO_ROOT, 'dist', 'web', 'server.js');
/** The wasm files, as the client reads them from the extension and sends them. */
const WASM = {
  runtime: new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm'))),
  grammar: new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, 'node_modules', 'tree-sitter-rust', 'tree-sitter-rust.wasm'))),
};

interface Message {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
}

class WorkerClient {
  private readonly scope: Record<string, unknown>;
  private nextId = 1;
  private readonly pending = new Map<number, (m: Message) => void>();
  private readonly notifications: Message[] = [];
  private readonly waiters: { test: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  readonly served: string[] = [];
  /** The worker's timers, cleared when it is terminated. */
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private channels: InstanceType<typeof MessageChannel>[];
  private readonly cloneIn: (value: unknown) => unknown;

  constructor() {
    const channels: InstanceType<typeof MessageChannel>[] = (this.channels = []);
    const timer =
      (set: typeof setTimeout, clear: typeof clearTimeout) =>
      (callback: () => void, ms?: number, ...args: unknown[]) => {
        const handle: ReturnType<typeof setTimeout> = set(() => {
          if (set === setTimeout) this.timers.delete(handle);
          callback(...(args as []));
        }, ms);
        this.timers.add(handle);
        void clear;
        return handle;
      };
    const scope: Record<string, unknown> = {
      location: { href: 'blob:leak-lens-test/server' },
      importScripts: () => {
        throw new Error('importScripts is not used');
      },
      addEventListener: () => undefined,
      // Out of the worker's realm, as a structured clone would take it.
      postMessage: (message: Message) => setTimeout(() => this.receive(JSON.parse(JSON.stringify(message)) as Message), 0),
      onmessage: null,
      fetch: async (url: string) => {
        throw new Error(`the worker fetched ${String(url).slice(0, 80)}: it has to work with what the client sends`);
      },
      console,
      setTimeout: timer(setTimeout, clearTimeout),
      clearTimeout,
      setInterval: timer(setInterval as unknown as typeof setTimeout, clearInterval),
      clearInterval,
      queueMicrotask,
      TextEncoder,
      TextDecoder,
      MessageChannel: class extends MessageChannel {
        constructor() {
          super();
          channels.push(this);
        }
      },
      URL,
      Response,
      performance,
      AbortController,
    };
    scope.self = scope;
    this.scope = vm.createContext(scope);
    // What postMessage's structured clone does: a copy made of the receiving realm's objects (a
    // Uint8Array the worker's code recognises as one).
    this.cloneIn = vm.runInContext(
      `(function clone(v) {
        if (v === null || typeof v !== 'object') return v;
        if (ArrayBuffer.isView(v)) return new Uint8Array(v);
        if (Array.isArray(v)) return v.map(clone);
        const o = {};
        for (const k of Object.keys(v)) o[k] = clone(v[k]);
        return o;
      })`,
      this.scope,
    ) as (value: unknown) => unknown;
    vm.runInContext(fs.readFileSync(BUNDLE, 'utf8'), this.scope, { filename: BUNDLE });
  }

  /** What closing the worker does: nothing of it runs any more. */
  terminate(): void {
    for (const handle of this.timers) clearTimeout(handle);
    this.timers.clear();
    for (const channel of this.channels) channel.port1.close();
    this.scope.onmessage = null;
  }

  private post(message: Message): void {
    const deliver = this.scope.onmessage as ((event: { data: Message }) => void) | null;
    assert.ok(deliver, 'the worker listens on its port');
    setTimeout(() => deliver({ data: this.cloneIn(message) as Message }), 0);
  }

  private receive(message: Message): void {
    if (message.id !== undefined && message.method === undefined) {
      this.pending.get(message.id as number)?.(message);
      this.pending.delete(message.id as number);
      return;
    }
    if (message.id !== undefined && message.method) {
      this.post({ jsonrpc: '2.0', id: message.id, result: this.answer(message) });
      return;
    }
    this.notifications.push(message);
    for (const waiter of [...this.waiters]) {
      if (waiter.test(message)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  }

  /** The client's side: the workspace's files, and nothing for any other request. */
  private answer(request: Message): unknown {
    if (request.method === FIND_FILES_REQUEST) this.served.push(FIND_FILES_REQUEST);
    if (request.method === READ_FILE_REQUEST) this.served.push(`${READ_FILE_REQUEST} ${(request.params as ReadFileParams).uri.slice(FOLDER.length + 1)}`);
    return answerFileRequest(FOLDER, request.method ?? '', request.params) ?? null;
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(m.result as T)));
      this.post({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.post({ jsonrpc: '2.0', method, params });
  }

  /** The latest diagnostics of `uri` that satisfy `test`, waiting for them if need be. */
  diagnostics(uri: string, test: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const matches = (m: Message) =>
      m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === uri && test((m.params as { diagnostics: Diagnostic[] }).diagnostics);
    const latest = [...this.notifications].reverse().find((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === uri);
    if (latest && matches(latest)) return Promise.resolve((latest.params as { diagnostics: Diagnostic[] }).diagnostics);
    return new Promise((resolve) => this.waiters.push({ test: matches, resolve: (m) => resolve((m.params as { diagnostics: Diagnostic[] }).diagnostics) }));
  }
}

interface Diagnostic {
  range: { start: { line: number; character: number } };
  severity: number;
  code: string;
  message: string;
  relatedInformation?: { location: { uri: string } }[];
}

describe('language server in a web worker (dist/web/server.js, no Node APIs)', function () {
  this.timeout(30000);
  let client: WorkerClient;

  before(async () => {
    client = new WorkerClient();
    await client.request('initialize', {
      processId: null,
      rootUri: FOLDER,
      workspaceFolders: [{ uri: FOLDER, name: 'demo' }],
      capabilities: {},
      initializationOptions: {
        workspaceFiles: true,
        parserWasm: WASM,
      },
    });
    client.notify('initialized', {});
  });

  after(() => client.terminate());

  it('lists the folder and reads its closed files and leak-lens.toml through the client', async () => {
    await client.diagnostics(`${FOLDER}/src/names.rs`, (d) => d.length > 0);
    assert.ok(client.served.includes(FIND_FILES_REQUEST));
    for (const file of ['leak-lens.toml', 'src/main.rs', 'src/names.rs']) assert.ok(client.served.includes(`${READ_FILE_REQUEST} ${file}`), file);
  });

  it('finds the callers of a leaking function in another closed file: called from a loop, a real leak', async () => {
    const [diagnostic, ...others] = await client.diagnostics(`${FOLDER}/src/names.rs`, (d) => d.length > 0);
    assert.deepEqual(others, []);
    assert.equal(diagnostic.code, 'box-leak');
    assert.equal(diagnostic.severity, 1, 'an error: leak-lens.toml denies box-leak');
    assert.deepEqual(diagnostic.range.start, { line: 1, character: 4 });
    assert.match(diagnostic.message, /^real leak: `Box::leak` is returned from `intern`, which runs repeatedly/);
    assert.ok(diagnostic.relatedInformation?.some((r) => r.location.uri === `${FOLDER}/src/main.rs`));
  });

  it('reports a Box::leak in a loop of an opened document as an error, as leak-lens.toml denies box-leak', async () => {
    const uri = `${FOLDER}/src/worker.rs`;
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'rust', version: 1, text: FILES['src/worker.rs'] } });
    const [diagnostic, ...others] = await client.diagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(others, []);
    assert.equal(diagnostic.code, 'box-leak');
    assert.equal(diagnostic.severity, 1);
    assert.deepEqual(diagnostic.range.start, { line: 2, character: 40 });
    assert.match(diagnostic.message, /^real leak: `Box::leak` leaks on every iteration of the `for` loop/);
  });

  it('explains the leak on hover', async () => {
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', {
      textDocument: { uri: `${FOLDER}/src/worker.rs` },
      position: { line: 2, character: 45 },
    });
    assert.match(hover.contents.value, /real leak/);
    assert.match(hover.contents.value, /definitely lost/);
  });
});
