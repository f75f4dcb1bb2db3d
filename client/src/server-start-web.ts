/**
 * server-start.ts for the browser (vscode.dev, github.dev, a VS Code whose extension host runs in a
 * web worker): the language server runs in a Web Worker built from `dist/web/server.js`, and
 * parses with web-tree-sitter from the wasm files the VSIX ships.
 *
 * The extension reads these files itself and hands them over: the server as a blob URL to start
 * the worker from, the wasm files as bytes in the initialization options. Its own URI may be one
 * only the extension host can fetch: code-server's web worker host resolves `vscode-remote:` URIs
 * in `fetch`, but refuses `new Worker` on them, and the worker's own `fetch` does not resolve them.
 */
import * as vscode from 'vscode';
import { BrowserMessageReader, BrowserMessageWriter, LanguageClient, LanguageClientOptions, MessageTransports } from 'vscode-languageclient/browser';
import { InitializationOptions } from '../../shared/src/protocol';

interface WorkerLike {
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
}
declare const Worker: new (url: string, options?: { name?: string }) => unknown;

const SERVER = 'dist/web/server.js';
const RUNTIME_WASM = 'dist/node_modules/web-tree-sitter/tree-sitter.wasm';
const GRAMMAR_WASM = 'dist/node_modules/tree-sitter-rust/tree-sitter-rust.wasm';

export function createLanguageClient(context: vscode.ExtensionContext, clientOptions: LanguageClientOptions, output: vscode.LogOutputChannel): LanguageClient {
  let parserWasm: InitializationOptions['parserWasm'];
  let serverUrl: string | undefined;
  context.subscriptions.push({ dispose: () => serverUrl && URL.revokeObjectURL(serverUrl) });
  // The transports, not the worker: VS Code's web worker extension host replaces `Worker` with a
  // function that returns a real Worker, so the client's own `instanceof Worker` test fails on it.
  const start = async (): Promise<MessageTransports> => {
    const [server, runtime, grammar] = await Promise.all([extensionFile(context, SERVER), extensionFile(context, RUNTIME_WASM), extensionFile(context, GRAMMAR_WASM)]);
    parserWasm = { runtime, grammar };
    if (serverUrl) URL.revokeObjectURL(serverUrl);
    serverUrl = URL.createObjectURL(new Blob([server], { type: 'text/javascript' }));
    const worker = new Worker(serverUrl, { name: 'Leak Lens language server' }) as WorkerLike;
    worker.addEventListener('error', (event) => output.error(`Leak Lens: the language server worker failed: ${event.message ?? event}`));
    return { reader: new BrowserMessageReader(worker as never), writer: new BrowserMessageWriter(worker as never) };
  };
  // Read by the client when it initializes the server, after `start` has made the worker. The
  // worker's port passes it by structured clone, so the wasm bytes go as they are.
  const base = (clientOptions.initializationOptions ?? {}) as InitializationOptions;
  const initializationOptions = (): InitializationOptions => ({ ...base, parserWasm });
  return new LanguageClient('leakLens', 'Leak Lens', start, { ...clientOptions, initializationOptions });
}

async function extensionFile(context: vscode.ExtensionContext, file: string): Promise<Uint8Array> {
  const uri = vscode.Uri.joinPath(context.extensionUri, file);
  try {
    const response = await fetch(uri.toString(true));
    if (response.ok) return new Uint8Array(await response.arrayBuffer());
  } catch {
    // Not a URI this host can fetch: read it through the editor's file systems instead.
  }
  return vscode.workspace.fs.readFile(uri);
}
