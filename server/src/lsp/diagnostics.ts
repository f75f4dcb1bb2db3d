/**
 * Findings → `textDocument/publishDiagnostics`, and the store the other features read from.
 *
 * Each file's findings are published together with their quick fixes, computed from the same
 * text and tree in the same step and keyed through `Diagnostic.data`, so what the Problems panel
 * shows and what the light bulb offers cannot disagree. A file is republished only when its
 * findings (or, for an open document, its version) changed; that is how files whose classification
 * depends on another file's edit get refreshed without a dependency graph. A closed file that never
 * had findings is not published at all (an empty set would tell the client nothing).
 */
import {
  CodeDescription,
  Connection,
  Diagnostic,
  DiagnosticRelatedInformation,
  DiagnosticSeverity,
  DiagnosticTag,
} from 'vscode-languageserver/node';
import { docsUrl } from '../../../shared/src/catalog';
import { Finding, Severity } from '../../../shared/src/findings';
import { Fix } from '../../../shared/src/fixes';
import { DiagnosticData, FILE_FINDINGS_NOTIFICATION, FileFindingsParams } from '../../../shared/src/protocol';
import { computeFixes } from '../fixes';
import { Tree } from '../parsing/parser';
import { Toolchain } from '../analysis/toolchain';
import { Logger } from './logger';

export const SOURCE = 'leak-lens';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface PublishedFinding {
  key: string;
  finding: Finding;
  /** Undefined for closed files: fixes need the tree, which is kept only for open documents. */
  fixes?: Fix[];
}

export interface FileReport {
  uri: string;
  /** The document version the findings were computed from; null for closed files. */
  version: number | null;
  findings: PublishedFinding[];
}

/** Where the text and tree of an open document come from when fixes are computed. */
export interface FixSource {
  text: string;
  tree: Tree;
  /** The file's facts say what its crate compiles with; fixes it cannot compile are not offered. */
  toolchain?: Toolchain;
}

export function findingKey(f: Finding): string {
  const { start, end } = f.range;
  return `${f.rule}@${start.line}:${start.character}-${end.line}:${end.character}`;
}

export class DiagnosticsPublisher {
  private readonly reports = new Map<string, FileReport>();
  /** What was last published per file: its version and findings. */
  /** Notifications sent so far (the scan yields after a publication so that it goes out first). */
  sent = 0;
  private readonly published = new Map<string, { version: number | null; findings: Finding[]; toolchain?: Toolchain }>();

  constructor(
    private readonly connection: Connection,
    private readonly logger: Logger,
  ) {}

  report(uri: string): FileReport | undefined {
    return this.reports.get(uri);
  }

  allReports(): FileReport[] {
    return [...this.reports.values()];
  }

  /** Publishes `findings` for `uri` unless exactly these were already published for this version. */
  publish(uri: string, findings: Finding[], version: number | null, source?: FixSource): void {
    const previous = this.published.get(uri);
    // The same findings get other fixes when the crate's toolchain changed (a Cargo.toml edit).
    const unchanged = previous
      ? previous.version === version && sameData(previous.findings, findings) && sameData(previous.toolchain, source?.toolchain)
      : version === null && findings.length === 0;
    if (unchanged) return;
    this.published.set(uri, { version, findings, toolchain: source?.toolchain });
    const published = findings.map((finding) => ({
      key: findingKey(finding),
      finding,
      fixes: source
        ? computeFixes(source.text, source.tree, finding, (e) => this.logger.error(`fix computation failed for ${findingKey(finding)} in ${uri}`, e), source.toolchain)
        : undefined,
    }));
    const report: FileReport = { uri, version, findings: published };
    if (findings.length === 0) this.reports.delete(uri);
    else this.reports.set(uri, report);
    const diagnostics = published.map((p) => toDiagnostic(p, version));
    this.sent++;
    void this.connection.sendDiagnostics({ uri, version: version ?? undefined, diagnostics });
    const params: FileFindingsParams = { uri, findings };
    void this.connection.sendNotification(FILE_FINDINGS_NOTIFICATION, params);
  }

  /** Publishes an empty set (file deleted, excluded, closed outside the workspace). */
  clear(uri: string): void {
    if (!this.published.has(uri)) return;
    this.publish(uri, [], null);
    this.published.delete(uri);
  }

  knownUris(): string[] {
    return [...this.published.keys()];
  }
}

/** Deep equality of JSON-like data (what `JSON.stringify` would compare, without building strings). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

export function toDiagnostic(published: PublishedFinding, version: number | null): Diagnostic {
  const { finding } = published;
  const codeDescription: CodeDescription = { href: docsUrl(finding.rule) };
  const data: DiagnosticData = { key: published.key, version };
  const relatedInformation: DiagnosticRelatedInformation[] = finding.related.map((r) => ({
    location: { uri: r.file, range: r.range },
    message: r.message,
  }));
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: SOURCE,
    code: finding.rule,
    codeDescription,
    message: finding.message,
    data,
  };
  if (relatedInformation.length > 0) diagnostic.relatedInformation = relatedInformation;
  // A global with a drop-in std replacement is what `Deprecated` (strike-through) means to editors.
  if (published.fixes?.some((f) => f.isPreferred && /std::sync::(LazyLock|OnceLock)/.test(f.title) && finding.rule === 'lazy-global')) {
    diagnostic.tags = [DiagnosticTag.Deprecated];
  }
  return diagnostic;
}
