/**
 * Leak Lens's extensions to LSP, shared by the server and the VS Code client. Plain method names
 * and payload types only (no dependency on either side's LSP library), so other editors' clients can
 * implement them from this file.
 */
import { Finding } from './findings';

/** Server → client notification: the findings of one file changed (sent alongside publishDiagnostics). */
export const FILE_FINDINGS_NOTIFICATION = 'leakLens/fileFindings';
export interface FileFindingsParams {
  uri: string;
  findings: Finding[];
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
}

/** What `Diagnostic.data` carries: the key of the finding's precomputed fixes. */
export interface DiagnosticData {
  key: string;
  version: number | null;
}
