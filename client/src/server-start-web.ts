/**
 * server-start.ts for the browser (vscode.dev, github.dev, a VS Code whose extension host runs in a
 * web worker): the language server runs in a Web Worker built from `dist/web/server.js`, and
 * parses with web-tree-sitter from the wasm files the VSIX ships.
 *
 * Each file is fetched by the extension and handed to the worker as a blob URL. The extension's
 * own URI may be one only the extension host can fetch (code-server's web worker host resolves
 * `vscode-remote:` URIs in `fetch`, but refuses `new Worker` on them, and the worker's own `fetch`
 * does not resolve them).
 */
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions } from 'vscode-languageclient/browser';
import { InitializationOptions } from '../../shared/src/protocol';

declare const Worker: new (url: string, options?: { name?: string }) => object;

const SERVER = 'dist/web/server.js';
const RUNTIME_WASM = 'dist/node_modules/web-tree-sitter/tree-sitter.wasm';
const GRAMMAR_WASM = 'dist/node_modules/tree-sitter-rust/tree-sitter-rust.wasm';

export function createLanguageClient(context: vscode.ExtensionContext, clientOptions: LanguageClientOptions): LanguageClient {
  const urls: string[] = [];
  const blobUrl = async (file: string, type: string) => {
    const url = URL.createObjectURL(new Blob([await extensionFile(context, file)], { type }));
    urls.push(url);
    return url;
  };
  context.subscriptions.push({ dispose: () => urls.forEach((url) => URL.revokeObjectURL(url)) });
  let parserWasm: InitializationOptions['parserWasm'];
  const start = async () => {
    const [server, runtime, grammar] = await Promise.all([
      blobUrl(SERVER, 'text/javascript'),
      blobUrl(RUNTIME_WASM, 'application/wasm'),
      blobUrl(GRAMMAR_WASM, 'application/wasm'),
    ]);
    parserWasm = { runtime, grammar };
    return new Worker(server, { name: 'Leak Lens language server' }) as never;
  };
  // Read by the client when it initializes the server, after `start` has made the worker.
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
