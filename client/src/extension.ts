/**
 * The VS Code side of Leak Lens: starts the bundled language server over Node IPC and adds what
 * LSP has no words for: the status bar counts, the Leak Insights view and the commands.
 */
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind } from 'vscode-languageclient/node';
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
import { LeakStatusBar } from './status-bar';

let client: LanguageClient | undefined;

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
      if (client) await client.restart();
      else client = await startClient(context, output, model, status);
    }),
  );
  client = await startClient(context, output, model, status);
}

async function startClient(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  model: FindingsModel,
  status: LeakStatusBar,
): Promise<LanguageClient> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const initializationOptions: InitializationOptions = { clientCommands: [EXPLAIN_RULE_COMMAND] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'rust' }, { scheme: 'untitled', language: 'rust' }],
    outputChannel: output,
    initializationOptions,
  };
  const languageClient = new LanguageClient('leakLens', 'Leak Lens', serverOptions, clientOptions);
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
