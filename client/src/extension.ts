/**
 * The VS Code side of Leak Lens: starts the bundled language server (server-start.ts: a Node
 * process, or a Web Worker in the browser) and adds what LSP has no words for: the status bar
 * counts, the Leak Insights view and the commands. The same module is the extension's `main` and,
 * built for the web, its `browser` entry.
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient, LanguageClientOptions } from 'vscode-languageclient';
import { State } from 'vscode-languageclient';
import {
  EXPLAIN_RULE_COMMAND,
  FILE_FINDINGS_NOTIFICATION,
  FileFindingsParams,
  InitializationOptions,
  SCAN_WORKSPACE_REQUEST,
  ScanWorkspaceResult,
  WORKSPACE_FINDINGS_REQUEST,
  WorkspaceFindingsResult,
} from '../../shared/src/protocol';
import { RULE_SCHEME, RuleDocumentProvider, explainRule } from './explain-rule';
import { FindingsModel } from './findings-model';
import { InsightsProvider } from './insights-view';
import { createLanguageClient } from './server-start';
import { LeakStatusBar } from './status-bar';
import { serveWorkspaceFiles } from './workspace-files';

let client: BaseLanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Leak Lens', { log: true });
  const model = new FindingsModel();
  const status = new LeakStatusBar(model);
  const insights = new InsightsProvider(model);
  context.subscriptions.push(
    output,
    model,
    status,
    insights,
    vscode.window.registerTreeDataProvider('leakLens.insights', insights),
    vscode.workspace.registerTextDocumentContentProvider(RULE_SCHEME, new RuleDocumentProvider()),
    vscode.commands.registerCommand(EXPLAIN_RULE_COMMAND, explainRule),
    vscode.commands.registerCommand('leakLens.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('leakLens.scanWorkspace', async () => {
      if (!client?.isRunning()) return void vscode.window.showWarningMessage('Leak Lens: the language server is not running.');
      const result = await client.sendRequest<ScanWorkspaceResult>(SCAN_WORKSPACE_REQUEST);
      const note = result.cancelled ? ' (cancelled)' : '';
      vscode.window.setStatusBarMessage(`Leak Lens: scanned ${result.filesScanned} file(s)${note}`, 5000);
    }),
    vscode.commands.registerCommand('leakLens.restartServer', async () => {
      model.clear();
      status.setState('starting');
      // What the Node client's restart() does; the browser client has no restart().
      if (client) {
        await client.stop().catch(() => undefined);
        await client.start();
      } else client = await startClient(context, output, model, status);
    }),
  );
  client = await startClient(context, output, model, status);
}

async function startClient(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  model: FindingsModel,
  status: LeakStatusBar,
): Promise<BaseLanguageClient> {
  const initializationOptions: InitializationOptions = { clientCommands: [EXPLAIN_RULE_COMMAND], workspaceFiles: true };
  // The workspace's own file systems too (a virtual workspace's `vscode-vfs:`, `vscode-remote:` in
  // the browser), but not the read-only copies other views open (`git:` in a diff).
  const schemes = new Set(['file', 'untitled', ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.scheme)]);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [...schemes].map((scheme) => ({ scheme, language: 'rust' })),
    outputChannel: output,
    initializationOptions,
  };
  const languageClient = createLanguageClient(context, clientOptions, output);
  languageClient.onDidChangeState(({ newState }) => {
    status.setState(newState === State.Running ? 'running' : newState === State.Starting ? 'starting' : 'stopped');
    if (newState === State.Running) {
      // After a restart the server starts from nothing; ask for what it already knows.
      void languageClient.sendRequest<WorkspaceFindingsResult>(WORKSPACE_FINDINGS_REQUEST).then(
        (files) => model.replaceAll(files),
        () => undefined,
      );
    }
  });
  context.subscriptions.push(
    languageClient.onNotification(FILE_FINDINGS_NOTIFICATION, (params: FileFindingsParams) => model.update(params)),
    serveWorkspaceFiles(languageClient),
    languageClient,
  );
  try {
    await languageClient.start();
  } catch (e) {
    status.setState('stopped');
    output.error(`Leak Lens: the language server failed to start: ${(e as Error).message}`);
  }
  return languageClient;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
