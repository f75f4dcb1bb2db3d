/**
 * How the extension starts its language server, in VS Code's Node extension host: `dist/server.js`
 * in a Node process over stdio, not IPC: Node's IPC channel `JSON.stringify`s every message whole,
 * where the server's stdio writer reuses the bytes of the findings a keystroke did not change
 * (server/src/lsp/message-encoding.ts). In the browser, esbuild.mjs builds the extension with
 * server-start-web.ts in this module's place.
 */
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

export function createLanguageClient(context: vscode.ExtensionContext, clientOptions: LanguageClientOptions, _output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  return new LanguageClient('leakLens', 'Leak Lens', serverOptions, clientOptions);
}
