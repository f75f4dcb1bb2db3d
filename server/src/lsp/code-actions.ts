/**
 * `textDocument/codeAction`: the fixes of the findings behind the diagnostics asked about, found
 * again through `Diagnostic.data.key`, turned into `WorkspaceEdit`s; plus "explain this rule".
 * Only diagnostics of the version last published get fixes (`fixes` computes them from that
 * version's text and tree), so a light bulb cannot offer something for a finding no longer shown.
 */
import { CodeAction, CodeActionKind, CodeActionParams, Command, Diagnostic } from 'vscode-languageserver/node';
import { Finding } from '../../../shared/src/findings';
import { Fix } from '../../../shared/src/fixes';
import { DiagnosticData, EXPLAIN_RULE_COMMAND, SERVER_EXPLAIN_RULE_COMMAND } from '../../../shared/src/protocol';
import { ruleInfo } from '../../../shared/src/catalog';
import { FileReport, PublishedFinding, SOURCE, toDiagnostic } from './diagnostics';

export interface CodeActionOptions {
  /** The client runs `leakLens.explainRule` itself; otherwise the server's command is used. */
  clientExplains: boolean;
  /** The quick fixes of one of the report's findings (`DiagnosticsPublisher.fixesOf`). */
  fixes: (published: PublishedFinding) => Fix[];
}

export function codeActions(params: CodeActionParams, report: FileReport | undefined, options: CodeActionOptions): CodeAction[] {
  if (!report) return [];
  // A client that sends something else than an array here asked for nothing in particular.
  const only = arrayOrNone(params.context?.only);
  if (only && !only.some((kind) => typeof kind === 'string' && (CodeActionKind.QuickFix.startsWith(kind) || kind === CodeActionKind.QuickFix))) return [];

  const targets = new Map<string, { published: PublishedFinding; diagnostic: Diagnostic }>();
  for (const diagnostic of arrayOrNone(params.context?.diagnostics) ?? []) {
    if (diagnostic?.source !== SOURCE) continue;
    const data = diagnostic.data as DiagnosticData | undefined;
    if (!data || typeof data.key !== 'string') continue;
    // A diagnostic from an older version of the document: its fixes' ranges no longer fit.
    if (data.version !== report.version) continue;
    const published = report.byKey.get(data.key);
    if (published) targets.set(published.key, { published, diagnostic });
  }
  // Asked for a range without diagnostics (a keyboard user on the finding): offer its fixes too.
  if (targets.size === 0 && params.range?.start && params.range.end) {
    for (const published of report.findings) {
      if (overlaps(published.finding, params.range)) {
        targets.set(published.key, { published, diagnostic: toDiagnostic(published, report.version) });
      }
    }
  }

  const preferred: CodeAction[] = [];
  const rest: CodeAction[] = [];
  for (const { published, diagnostic } of targets.values()) {
    for (const fix of options.fixes(published)) {
      const action = toCodeAction(report.uri, fix, diagnostic);
      (fix.isPreferred ? preferred : rest).push(action);
    }
    rest.push(explainAction(published.finding, diagnostic, options));
  }
  return [...preferred, ...rest];
}

function arrayOrNone<T>(value: T[] | undefined): T[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

function toCodeAction(uri: string, fix: Fix, diagnostic: Diagnostic): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix.isPreferred || undefined,
    edit: { changes: { [uri]: fix.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
  };
}

function explainAction(finding: Finding, diagnostic: Diagnostic, options: CodeActionOptions): CodeAction {
  const command: Command = {
    title: `Explain \`${finding.rule}\``,
    command: options.clientExplains ? EXPLAIN_RULE_COMMAND : SERVER_EXPLAIN_RULE_COMMAND,
    arguments: [finding.rule],
  };
  return {
    title: `Explain rule \`${finding.rule}\`: ${ruleInfo(finding.rule).title}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command,
  };
}

function overlaps(finding: Finding, range: { start: { line: number; character: number }; end: { line: number; character: number } }): boolean {
  const before = (a: { line: number; character: number }, b: { line: number; character: number }) =>
    a.line < b.line || (a.line === b.line && a.character < b.character);
  return !before(finding.range.end, range.start) && !before(range.end, finding.range.start);
}
