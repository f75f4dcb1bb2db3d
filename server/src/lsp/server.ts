/**
 * The Leak Lens language server. In Node, the transport comes from the command line (`--stdio`,
 * `--node-ipc`, `--socket=N`, `--pipe=NAME`); in a web worker, it is the worker's port (host.ts).
 *
 * Wiring only: each concern lives in its own module (documents and trees, configuration, the
 * workspace index, diagnostics, hover, code actions, commands).
 */
import {
  CancellationToken,
  CodeActionKind,
  CodeActionParams,
  DidChangeConfigurationNotification,
  DidChangeConfigurationParams,
  DidChangeWatchedFilesParams,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ExecuteCommandParams,
  HoverParams,
  InitializeParams,
  InitializeResult,
  ResponseError,
  WorkspaceFolder,
  WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { docsUrl, ruleInfo } from '../../../shared/src/catalog';
import { isRuleId } from '../../../shared/src/findings';
import {
  EXPLAIN_RULE_COMMAND,
  InitializationOptions,
  SCAN_WORKSPACE_REQUEST,
  SERVER_EXPLAIN_RULE_COMMAND,
  WORKSPACE_FINDINGS_REQUEST,
} from '../../../shared/src/protocol';
import { initParser } from '../parsing/parser';
import { TreeCache } from '../parsing/trees';
import { codeActions } from './code-actions';
import { Configuration, uriToPath } from './configuration';
import { DiagnosticsPublisher } from './diagnostics';
import { DocumentStore, TEXT_DOCUMENT_SYNC } from './documents';
import { createServerConnection, onUncaughtError, prepareParser, workspaceFiles } from './host';
import { findingsAt, hoverFor } from './hover';
import { Logger, shownValue } from './logger';
import { Workspace } from './workspace';

const connection = createServerConnection();
const logger = new Logger(connection);

// One bad request or file must not take the server (and every other file's diagnostics) down.
onUncaughtError((what, e) => logger.error(what, e));

const trees = new TreeCache();
const documents = new DocumentStore(trees, logger);
const publisher = new DiagnosticsPublisher(connection, logger);
let config: Configuration;
let workspace: Workspace;
/** Set once `initialize` has been handled: `config` and `workspace` exist from then on. */
let initialized = false;
let clientExplains = false;
let canShowDocument = false;
let dynamicWatchers = false;
let dynamicConfiguration = false;
let workspaceFolderEvents = false;

connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
  const options = (params?.initializationOptions ?? {}) as InitializationOptions;
  prepareParser(options);
  await initParser((message) => logger.info(message));
  const capabilities = params?.capabilities ?? {};
  clientExplains = Array.isArray(options.clientCommands) && options.clientCommands.includes(EXPLAIN_RULE_COMMAND);
  canShowDocument = !!capabilities.window?.showDocument?.support;
  dynamicWatchers = !!capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  dynamicConfiguration = !!capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
  workspaceFolderEvents = !!capabilities.workspace?.workspaceFolders;

  const files = workspaceFiles(connection, options);
  config = new Configuration(connection, logger, !!capabilities.workspace?.configuration, files);
  config.setFolders(folderPaths(params));
  workspace = new Workspace(connection, documents, trees, config, publisher, logger, files);
  config.lateAnswer = () => void workspace.reset().catch((e) => logger.error('reanalysis with late settings failed', e));
  workspace.enableProgress(!!capabilities.window?.workDoneProgress);
  initialized = true;

  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TEXT_DOCUMENT_SYNC },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      executeCommandProvider: { commands: clientExplains ? [] : [SERVER_EXPLAIN_RULE_COMMAND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'leak-lens', version: require('../../../package.json').version as string },
  };
});

connection.onInitialized(() => {
  if (!ready()) return;
  if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'leakLens' });
  if (dynamicWatchers) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.rs' }, { globPattern: '**/leak-lens.toml' }, { globPattern: '**/{Cargo,clippy,.clippy}.toml' }],
    });
  }
  // The library throws when subscribing without the client capability.
  if (workspaceFolderEvents) connection.workspace.onDidChangeWorkspaceFolders((event: WorkspaceFoldersChangeEvent) => {
    const removed = new Set(event.removed.map((f: WorkspaceFolder) => uriToPath(f.uri)));
    const kept = config.roots().filter((r) => !removed.has(r));
    const added = event.added.map((f: WorkspaceFolder) => uriToPath(f.uri)).filter((p: string | undefined): p is string => !!p);
    config.setFolders([...kept, ...added]);
    void workspace.reset();
  });
  void workspace.scan().catch((e) => logger.error('workspace scan failed', e));
});

/**
 * Before `initialize` has been answered there is no workspace to ask: requests get the spec's
 * ServerNotInitialized, and notifications are dropped (the spec's rule, `exit` aside).
 */
function ready(): boolean {
  return initialized;
}

function notInitialized(): ResponseError<void> {
  return new ResponseError(ErrorCodes.ServerNotInitialized, 'the server is not initialized: send initialize first');
}

documents.listen(connection, ready, {
  onDidOpen: (document) => workspace.touch(document.uri),
  onDidChange: (document) => workspace.touch(document.uri),
  onDidClose: (uri) => workspace.closed(uri),
});

connection.onDidChangeConfiguration((params: DidChangeConfigurationParams) => {
  if (!ready()) return;
  config.setPushed(params?.settings);
  logger.info('configuration changed; reanalysing');
  void workspace.reset().catch((e) => logger.error('rescan after configuration change failed', e));
});

connection.onDidChangeWatchedFiles((params: DidChangeWatchedFilesParams) => {
  if (!ready() || !Array.isArray(params?.changes)) return;
  // One malformed entry must not cost the others their update.
  const changes = params.changes.filter((c) => typeof c?.uri === 'string');
  if (workspace.watchedFilesChanged(changes)) {
    logger.info('leak-lens.toml changed; reanalysing');
    void workspace.reset().catch((e) => logger.error('rescan after leak-lens.toml change failed', e));
  }
});

connection.onHover(async (params: HoverParams) => {
  if (!ready()) throw notInitialized();
  const uri = params?.textDocument?.uri;
  if (typeof uri !== 'string' || !isPosition(params.position)) return null;
  await workspace.whenCurrent();
  try {
    return hoverFor(findingsAt(publisher.report(uri), trees.get(uri)?.tree, params.position));
  } catch (e) {
    logger.error(`hover failed in ${uri}`, e);
    return null;
  }
});

connection.onCodeAction(async (params: CodeActionParams) => {
  if (!ready()) throw notInitialized();
  const uri = params?.textDocument?.uri;
  if (typeof uri !== 'string') return [];
  await workspace.whenCurrent();
  try {
    const report = publisher.report(uri);
    const current = trees.get(uri);
    return codeActions(params, report, { clientExplains, fixes: (published) => (report ? publisher.fixesOf(report, published, current) : []) });
  } catch (e) {
    logger.error(`code actions failed in ${uri}`, e);
    return [];
  }
});

connection.onExecuteCommand(async (params: ExecuteCommandParams) => {
  if (!ready()) throw notInitialized();
  if (params?.command !== SERVER_EXPLAIN_RULE_COMMAND) return null;
  const rule = params.arguments?.[0];
  if (typeof rule !== 'string' || !isRuleId(rule)) {
    logger.warn(`${SERVER_EXPLAIN_RULE_COMMAND}: unknown rule ${shownValue(rule)}`);
    return null;
  }
  if (canShowDocument) {
    // Not awaited: the answer says nothing the command needs, and a client may never send it.
    void connection.window.showDocument({ uri: docsUrl(rule), external: true }).catch(() => undefined);
  } else {
    connection.window.showInformationMessage(`${rule}: ${ruleInfo(rule).summary} (${docsUrl(rule)})`);
  }
  return null;
});

connection.onRequest(SCAN_WORKSPACE_REQUEST, (_params: unknown, token: CancellationToken) => (ready() ? workspace.scan(token) : notInitialized()));
connection.onRequest(WORKSPACE_FINDINGS_REQUEST, () => (ready() ? workspace.findings() : notInitialized()));

connection.listen();

/** A position the tree can be asked about: a line and a character that are whole and not negative. */
function isPosition(p: unknown): boolean {
  const { line, character } = (p ?? {}) as Partial<Record<'line' | 'character', unknown>>;
  return Number.isInteger(line) && (line as number) >= 0 && Number.isInteger(character) && (character as number) >= 0;
}

function folderPaths(params: InitializeParams): string[] {
  const uris = params?.workspaceFolders?.map((f) => f.uri) ?? (params?.rootUri ? [params.rootUri] : []);
  const paths = uris.map(uriToPath).filter((p): p is string => !!p);
  if (paths.length === 0 && typeof params?.rootPath === 'string') paths.push(params.rootPath);
  return paths;
}
