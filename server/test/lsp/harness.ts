/**
 * A real LSP client for the integration tests: spawns the bundled server (`dist/server.js --stdio`)
 * and talks JSON-RPC to it over its stdin/stdout.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionParams,
  CodeActionRequest,
  Diagnostic,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  Hover,
  HoverRequest,
  InitializeRequest,
  InitializedNotification,
  MessageConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  Range,
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
} from 'vscode-languageserver-protocol/node';

export const REPO = path.resolve(__dirname, '../../../..');
export const SERVER = path.join(REPO, 'dist', 'server.js');

export function fileUri(fsPath: string): string {
  return pathToFileURL(fsPath).href;
}

export interface StartOptions {
  rootPath?: string;
  /** The workspace folder's URI when it is not a path (a virtual workspace). */
  rootUri?: string;
  /** The client's answers to other server → client requests, by method. */
  requests?: Record<string, (params: unknown) => unknown>;
  /** Answer for `workspace/configuration` (the `leakLens` section). */
  settings?: unknown;
  initializationOptions?: unknown;
}

/**
 * For each test of the enclosing `describe`: a fresh workspace folder holding `files` (paths
 * relative to it → text) before it, and after it the client it started stopped and the folder removed.
 */
export function freshFolder(files: Record<string, string>): { readonly root: string; client?: TestClient } {
  const folder: { root: string; client?: TestClient } = { root: '' };
  beforeEach(() => {
    folder.root = fs.mkdtempSync(path.join(os.tmpdir(), 'leak-lens-lsp-'));
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(folder.root, file)), { recursive: true });
      fs.writeFileSync(path.join(folder.root, file), text);
    }
  });
  afterEach(async () => {
    await folder.client?.stop();
    folder.client = undefined;
    fs.rmSync(folder.root, { recursive: true, force: true });
  });
  return folder;
}

export class TestClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly logs: string[] = [];
  private readonly waiters: { check: () => boolean; resolve: () => void }[] = [];
  private versions = new Map<string, number>();

  private constructor(
    readonly process: ChildProcess,
    readonly connection: MessageConnection,
  ) {}

  static async start(options: StartOptions = {}): Promise<TestClient> {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new TestClient(child, connection);
    child.stderr!.on('data', (d) => client.logs.push(String(d)));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      client.diagnostics.set(params.uri, params);
      client.poke();
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      client.logs.push(params.message);
    });
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => options.settings ?? {}));
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('client/registerCapability', () => null);
    for (const [method, answer] of Object.entries(options.requests ?? {})) connection.onRequest(method, answer);
    connection.onNotification('$/progress', () => undefined);
    connection.onNotification('leakLens/fileFindings', () => undefined);
    connection.listen();
    const rootUri = options.rootUri ?? (options.rootPath ? fileUri(options.rootPath) : null);
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'test' }] : null,
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { relatedInformation: true } },
      },
      initializationOptions: options.initializationOptions,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'rust', version: 1, text },
    });
  }

  async change(uri: string, changes: { range?: Range; text: string }[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes.map((c) => (c.range ? { range: c.range, text: c.text } : { text: c.text })),
    });
    return version;
  }

  /** Resolves with the first published diagnostics for `uri` that satisfy `predicate`. */
  waitForDiagnostics(uri: string, predicate: (d: Diagnostic[], version?: number) => boolean = () => true, timeoutMs = 10000): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const p = this.diagnostics.get(uri);
        return !!p && predicate(p.diagnostics, p.version);
      };
      const done = () => resolve(this.diagnostics.get(uri)!.diagnostics);
      if (check()) return done();
      const timer = setTimeout(() => {
        reject(new Error(`timed out waiting for diagnostics of ${uri}; last: ${JSON.stringify(this.diagnostics.get(uri)?.diagnostics.map((d) => `${d.code} ${messageOf(d)}`))}\n${this.logs.join('\n')}`));
      }, timeoutMs);
      this.waiters.push({ check, resolve: () => (clearTimeout(timer), done()) });
    });
  }

  hover(uri: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
  }

  async codeActions(uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
    const params: CodeActionParams = { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } };
    return ((await this.connection.sendRequest(CodeActionRequest.type, params)) ?? []) as CodeAction[];
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    if (this.process.exitCode === null) this.process.kill();
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  private poke(): void {
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}

/** The diagnostic that says the file is not analysed (`DiagnosticsPublisher.refuse`), if any. */
export const refusal = (ds: Diagnostic[]) => ds.find((d) => /did not analyse this file/.test(messageOf(d)));

export function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}
