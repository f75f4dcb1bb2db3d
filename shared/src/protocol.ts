/**
 * Leak Lens's extensions to LSP, shared by the server and the VS Code client. Plain method names
 * and payload types only (no dependency on either side's LSP library), so other editors' clients can
 * implement them from this file.
 */
import { Finding, Kind } from './findings';

/** Server → client notification: the findings of one file changed (sent alongside publishDiagnostics). */
export const FILE_FINDINGS_NOTIFICATION = 'leakLens/fileFindings';
export interface FileFindingsParams {
  uri: string;
  /** The findings shown as diagnostics: all of them, or the most severe ones of a file that has too many. */
  findings: Finding[];
  /** Present when `findings` leaves some out: how many findings of each kind the file has in all. */
  counts?: Partial<Record<Kind, number>>;
  /**
   * Present when the file is not analysed: why (too large, too dense to analyse within memory
   * bounds, unreadable, analysis failed). `findings` is then empty; the file's one diagnostic says the same.
   */
  refused?: string;
}

/** Client → server request: rescan every `.rs` file of the workspace (with work-done progress). */
export const SCAN_WORKSPACE_REQUEST = 'leakLens/scanWorkspace';
export interface ScanWorkspaceResult {
  filesScanned: number;
  cancelled: boolean;
}

/** Client → server request: every current finding, for a client that (re)connects mid-session. */
export const WORKSPACE_FINDINGS_REQUEST = 'leakLens/workspaceFindings';
export type WorkspaceFindingsResult = FileFindingsParams[];

/**
 * The "explain this rule" command. A client that lists it in `initializationOptions.clientCommands`
 * handles it itself (VS Code renders the rule's documentation); otherwise the server registers
 * `SERVER_EXPLAIN_RULE_COMMAND` and answers with `window/showDocument` on the rule's docs URL.
 * Arguments: `[ruleId]`.
 */
export const EXPLAIN_RULE_COMMAND = 'leakLens.explainRule';
export const SERVER_EXPLAIN_RULE_COMMAND = 'leakLens.server.explainRule';

export interface InitializationOptions {
  clientCommands?: string[];
  /**
   * The client answers `FIND_FILES_REQUEST` and `READ_FILE_REQUEST`: the server then lists and
   * reads the files of workspace folders that are not on its disk (a virtual workspace, or every
   * folder when the server runs in a browser) through the client.
   */
  workspaceFiles?: boolean;
  /**
   * For a server without a file system (a web worker): the bytes of web-tree-sitter's runtime
   * (`tree-sitter.wasm`) and of the Rust grammar (`tree-sitter-rust.wasm`). Only for a transport
   * that passes messages by structured clone (a worker's port), not JSON.
   */
  parserWasm?: { runtime: Uint8Array; grammar: Uint8Array };
}

/**
 * Server → client request: the URIs of the `.rs` files of a workspace folder (`folder` is its URI),
 * without the `target`, `.git` and `node_modules` directories. The server applies the `exclude`
 * settings itself.
 */
export const FIND_FILES_REQUEST = 'leakLens/findFiles';
export interface FindFilesParams {
  folder: string;
}
export interface FindFilesResult {
  uris: string[];
}

/** Server → client request: the text of a file, or why it cannot be analysed (too large, not UTF-8). */
export const READ_FILE_REQUEST = 'leakLens/readFile';
export interface ReadFileParams {
  uri: string;
  maxBytes: number;
}
export type ReadFileResult = { ok: true; text: string } | { ok: false; message: string; /** There is no such file. */ missing?: boolean };

/** Directory names never worth walking (build output, VCS data, JS dependencies), for every lister. */
export const SKIPPED_DIRS = ['target', '.git', 'node_modules'];

/** What `Diagnostic.data` carries: the key of the finding's precomputed fixes. */
export interface DiagnosticData {
  key: string;
  version: number | null;
}
