/**
 * host.ts for the language server in a web worker (the browser: vscode.dev, github.dev, a VS Code
 * whose extension host runs in the browser). The connection is the worker's message port; every
 * folder is listed and read by the client; every location is a URI; the parser is web-tree-sitter
 * with the wasm files the client sends (esbuild.mjs puts this module in host.ts's place).
 */
import { BrowserMessageReader, BrowserMessageWriter, Connection, ProposedFeatures, createConnection } from 'vscode-languageserver/browser';
import { InitializationOptions } from '../../../shared/src/protocol';
import { setWasmBinaries } from '../parsing/wasm-web';
import { ClientFiles, WorkspaceFiles, isUriLocation } from './files';

/** The parts of the worker's global scope used here (the project compiles without the DOM library). */
interface WorkerScope {
  addEventListener(type: 'error', listener: (event: { error?: unknown; message?: string }) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: { reason?: unknown }) => void): void;
}
declare const self: WorkerScope;

// Node's setImmediate, which the workspace scan uses to let requests in between two slices: a
// message to ourselves runs after pending messages but, unlike setTimeout(0), is never clamped.
if (typeof (globalThis as { setImmediate?: unknown }).setImmediate !== 'function') {
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  (channel.port1 as unknown as { onmessage: () => void }).onmessage = () => queue.shift()?.();
  (globalThis as unknown as { setImmediate: (callback: () => void) => void }).setImmediate = (callback) => {
    queue.push(callback);
    channel.port2.postMessage(undefined);
  };
}

export function createServerConnection(): Connection {
  return createConnection(ProposedFeatures.all, new BrowserMessageReader(self as never), new BrowserMessageWriter(self as never));
}

/** Messages come in as worker messages, one event each, counted by nobody (`step-aside.ts`). */
export function transportReads(): number {
  return 0;
}

export function onUncaughtError(report: (what: string, error: unknown) => void): void {
  self.addEventListener('error', (event) => report('uncaught exception', event.error ?? event.message));
  self.addEventListener('unhandledrejection', (event) => report('unhandled promise rejection', event.reason));
}

export function prepareParser(options: InitializationOptions): void {
  if (options.parserWasm) setWasmBinaries(options.parserWasm);
}

export function workspaceFiles(connection: Connection, _options: InitializationOptions): WorkspaceFiles {
  return new ClientFiles(connection);
}

/** Every document and folder is known by its URI here; `untitled:` ones by none. */
export function uriToPath(uri: string): string | undefined {
  return isUriLocation(uri) ? uri : undefined;
}

export function pathToUri(location: string): string {
  return location;
}
