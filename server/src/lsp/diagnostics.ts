/**
 * Findings → `textDocument/publishDiagnostics`, and the store the other features read from.
 *
 * Each diagnostic carries its finding's key and the document version in `Diagnostic.data`. Quick
 * fixes are computed when the light bulb asks for them (`fixesOf`), from the text and tree of the
 * very version the diagnostics were published for, and kept with that report: a keystroke costs the
 * findings, not the fixes of every finding of the file. The one fix a diagnostic shows without
 * being asked (a lazy global's `Deprecated` tag says it has a drop-in std replacement) is computed
 * at publication for those findings only. A file is republished only when its
 * findings (or, for an open document, its version) changed; that is how files whose classification
 * depends on another file's edit get refreshed without a dependency graph. A closed file that never
 * had findings is not published at all (an empty set would tell the client nothing).
 *
 * A file shows at most `MAX_DIAGNOSTICS` diagnostics, the most severe findings first, the last of
 * them a notice of how many are left out (`capped`); the client's findings model gets the same
 * findings and the exact counts. Hovers and code actions still read every finding of the report.
 * A file the workspace does not analyse (input-limits.ts) gets one warning saying why instead
 * (`refuse`), and the client's model the same reason.
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
import { Finding, Kind, Severity, compareFindings } from '../../../shared/src/findings';
import { Fix } from '../../../shared/src/fixes';
import { DiagnosticData, FILE_FINDINGS_NOTIFICATION, FileFindingsParams } from '../../../shared/src/protocol';
import { computeFixes } from '../fixes';
import { Tree } from '../parsing/parser';
import { Toolchain } from '../analysis/toolchain';
import { Logger } from './logger';
import { ItemJson, arrayLast, encodeAs } from './message-encoding';

export const SOURCE = 'leak-lens';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * VS Code shows at most 1,000 diagnostics per file: past that it keeps the most severe and adds a
 * notice of its own, "Not showing N further errors and warnings", counting ours among those left
 * out (extHostDiagnostics.ts). So the server sends no more than that, its own notice included, and
 * a keystroke in a generated file of 100,000 findings no longer encodes 100,000 diagnostics (nor
 * the client's copy of them) for the editor to throw away.
 */
export const MAX_DIAGNOSTICS = 1000;

export interface PublishedFinding {
  key: string;
  finding: Finding;
  /** Computed on first request by `fixesOf`; closed files have none (fixes need the tree). */
  fixes?: Fix[];
}

export interface FileReport {
  uri: string;
  /** The document version the findings were computed from; null for closed files. */
  version: number | null;
  findings: PublishedFinding[];
  /** The findings by key, for the code actions that name them (built when first asked: most reports never are). */
  readonly byKey: Map<string, PublishedFinding>;
  /** Text and toolchain of `version` (open documents only): what its fixes are computed from. */
  source?: { text: string; toolchain?: Toolchain };
}

/** The tree cache's current state of a document, as `TreeCache.get` answers. */
export interface CurrentTree {
  tree: Tree;
  version: number;
  text: string;
}

/** Where the text and tree of an open document come from when fixes are computed. */
export interface FixSource {
  text: string;
  tree: Tree;
  /** The file's facts say what its crate compiles with; fixes it cannot compile are not offered. */
  toolchain?: Toolchain;
}

/** Findings are never changed once made, and a keystroke publishes the same objects again (`ClassifyMemo`). */
const keys = new WeakMap<Finding, string>();

export function findingKey(f: Finding): string {
  let key = keys.get(f);
  if (key === undefined) {
    const { start, end } = f.range;
    key = `${f.rule}@${start.line}:${start.character}-${end.line}:${end.character}`;
    keys.set(f, key);
  }
  return key;
}

export class DiagnosticsPublisher {
  private readonly reports = new Map<string, FileReport>();
  /**
   * The last notification's write. The transport writes one message at a time, so once it has
   * settled every earlier one is written too.
   */
  private lastWrite: Promise<void> = Promise.resolve();
  /** What was last published per file: its version and findings. */
  private readonly published = new Map<string, { version: number | null; findings: Finding[]; toolchain?: Toolchain; refused?: string }>();

  constructor(
    private readonly connection: Connection,
    private readonly logger: Logger,
  ) {}

  report(uri: string): FileReport | undefined {
    return this.reports.get(uri);
  }

  /** Publishes `findings` for `uri` unless exactly these were already published for this version. */
  publish(uri: string, findings: Finding[], version: number | null, source?: FixSource): void {
    const previous = this.published.get(uri);
    // A refusal's diagnostic and the client's note of it go, whatever the findings.
    const sameFindings = previous ? !previous.refused && sameData(previous.findings, findings) : findings.length === 0;
    // The same findings get other fixes when the crate's toolchain changed (a Cargo.toml edit).
    const unchanged = previous
      ? previous.version === version && sameFindings && sameData(previous.toolchain, source?.toolchain)
      : version === null && sameFindings;
    if (unchanged) return;
    this.published.set(uri, { version, findings, toolchain: source?.toolchain });
    const published: PublishedFinding[] = findings.map((finding) => ({ key: findingKey(finding), finding }));
    let byKey: Map<string, PublishedFinding> | undefined;
    const report: FileReport = {
      uri,
      version,
      findings: published,
      get byKey() {
        return (byKey ??= new Map(published.map((p) => [p.key, p])));
      },
      source: source && { text: source.text, toolchain: source.toolchain },
    };
    if (findings.length === 0) this.reports.delete(uri);
    else this.reports.set(uri, report);
    const current = source && version !== null ? { tree: source.tree, version, text: source.text } : undefined;
    const view = capped(published);
    const diagnostics = view.shown.map((p) => {
      if (p.finding.rule === 'lazy-global') this.fixesOf(report, p, current);
      return toDiagnostic(p, version);
    });
    if (view.notice) diagnostics.push(view.notice);
    const params = { uri, version: version ?? undefined, diagnostics };
    // An open document's are sent again on each keystroke, nearly all of them unchanged: then
    // their JSON is kept. When most are new, each one's JSON would only be garbage beside the message's.
    const again = version !== null && previous ? republished(previous.findings, view.shown) : undefined;
    if (again) encodeAs(params, () => diagnosticsJson(params, view.shown, version!, again));
    this.sending(this.connection.sendDiagnostics(params));
    // The client's findings model has no versions: a keystroke that moved no finding tells it nothing.
    if (sameFindings) return;
    const model = fileFindings(uri, view);
    if (again) encodeAs(model, () => arrayLast({ uri, counts: model.counts }, 'findings', model.findings, (f) => findingJson.of(f, again.has(f))));
    this.sending(this.connection.sendNotification(FILE_FINDINGS_NOTIFICATION, model));
  }

  /**
   * Settles once every notification sent so far is written to the transport. A message of a
   * thousand findings (375 KB) is more than a pipe takes at once: the rest is written as the client
   * reads, over several turns of the event loop, and work that holds the loop meanwhile (a full
   * collection of 20 to 50 ms) holds the diagnostics back from the user.
   */
  whenWritten(): Promise<void> {
    return this.lastWrite;
  }

  private sending(write: Promise<void>): void {
    // A failed write is the transport's to report (the connection closes); nothing waits on it here.
    this.lastWrite = write.catch(() => undefined);
  }

  /**
   * Publishes why `uri` is not analysed (`input-limits.ts`) in place of its findings: one warning at
   * its start, and the same reason to the client's findings model. The next `publish` replaces it.
   */
  refuse(uri: string, reason: string, version: number | null): void {
    const previous = this.published.get(uri);
    if (previous?.refused === reason && previous.version === version) return;
    this.published.set(uri, { version, findings: [], refused: reason });
    this.reports.delete(uri);
    this.sending(this.connection.sendDiagnostics({ uri, version: version ?? undefined, diagnostics: [refusalDiagnostic(reason)] }));
    if (previous?.refused === reason) return;
    this.sending(this.connection.sendNotification(FILE_FINDINGS_NOTIFICATION, { uri, findings: [], refused: reason } satisfies FileFindingsParams));
  }

  /** What `leakLens/fileFindings` said of each file last: what a client that (re)connects needs. */
  allFileFindings(): FileFindingsParams[] {
    const refused: FileFindingsParams[] = [];
    for (const [uri, p] of this.published) if (p.refused) refused.push({ uri, findings: [], refused: p.refused });
    return [...[...this.reports.values()].map((r) => fileFindings(r.uri, capped(r.findings))), ...refused];
  }

  /**
   * The quick fixes of a published finding, computed once per report from `current` — the
   * document's tree — when it is still the version the report was published for; none otherwise
   * (a closed file, or a document changed since: its diagnostics no longer fit the text).
   */
  fixesOf(report: FileReport, published: PublishedFinding, current: CurrentTree | undefined): Fix[] {
    if (published.fixes) return published.fixes;
    const source = report.source;
    if (!source || !current || current.version !== report.version || current.text !== source.text) return [];
    published.fixes = computeFixes(
      source.text,
      current.tree,
      published.finding,
      (e) => this.logger.error(`fix computation failed for ${published.key} in ${report.uri}`, e),
      source.toolchain,
    );
    return published.fixes;
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

interface CappedView {
  /** In the report's order. */
  shown: PublishedFinding[];
  /** Present when findings are left out. */
  notice?: Diagnostic;
  /** Every finding's kind, when findings are left out. */
  counts?: Partial<Record<Kind, number>>;
}

const SEVERITY_WORDS: Record<Severity, [string, string]> = {
  error: ['error', 'errors'],
  warning: ['warning', 'warnings'],
  information: ['information', 'information'],
  hint: ['hint', 'hints'],
};

/**
 * At most `MAX_DIAGNOSTICS - 1` findings and a notice: the most severe first (VS Code's order), by
 * position within a severity, so that the same ones are shown whatever order they come in. The
 * notice is an Information diagnostic at the first finding left out, with the exact count.
 */
export function capped(published: PublishedFinding[], max = MAX_DIAGNOSTICS): CappedView {
  if (published.length <= max) return { shown: published };
  const room = max - 1;
  const bySeverity: PublishedFinding[][] = [[], [], [], []];
  for (const p of published) bySeverity[SEVERITY[p.finding.severity] - 1].push(p);
  const kept = new Set<PublishedFinding>();
  for (const group of bySeverity) {
    // Findings usually come in order already: then no sort.
    if (kept.size + group.length > room && !inOrder(group)) group.sort((a, b) => compareFindings(a.finding, b.finding));
    for (const p of group) {
      if (kept.size === room) break;
      kept.add(p);
    }
  }
  const shown: PublishedFinding[] = [];
  const left: Partial<Record<Severity, number>> = {};
  const counts: Partial<Record<Kind, number>> = {};
  let first: Finding | undefined;
  for (const p of published) {
    const f = p.finding;
    counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    if (kept.has(p)) {
      shown.push(p);
      continue;
    }
    left[f.severity] = (left[f.severity] ?? 0) + 1;
    if (!first || compareFindings(f, first) < 0) first = f;
  }
  const omitted = published.length - shown.length;
  const bySeverityText = (Object.keys(SEVERITY_WORDS) as Severity[])
    .filter((s) => left[s])
    .map((s) => `${left[s]!.toLocaleString('en')} ${SEVERITY_WORDS[s][left[s] === 1 ? 0 : 1]}`)
    .join(', ');
  const notice: Diagnostic = {
    range: first!.range,
    severity: DiagnosticSeverity.Information,
    source: SOURCE,
    message:
      `${omitted.toLocaleString('en')} more findings in this file are not shown (${bySeverityText}), the first of them here: ` +
      `editors show at most ${max.toLocaleString('en')} diagnostics per file. \`leak-lens check\` on the file lists all ${published.length.toLocaleString('en')}.`,
  };
  return { shown, notice, counts };
}

/** A file that is not analysed: at its start, since no line of it is at fault; no rule, no fixes. */
function refusalDiagnostic(reason: string): Diagnostic {
  const start = { line: 0, character: 0 };
  return { range: { start, end: start }, severity: DiagnosticSeverity.Warning, source: SOURCE, message: `Leak Lens did not analyse this file: ${reason}.` };
}

function inOrder(group: PublishedFinding[]): boolean {
  for (let i = 1; i < group.length; i++) if (compareFindings(group[i - 1].finding, group[i].finding) > 0) return false;
  return true;
}

function fileFindings(uri: string, view: CappedView): FileFindingsParams {
  const findings = view.shown.map((p) => p.finding);
  // The findings last, as `arrayLast` writes them.
  return view.counts ? { uri, counts: view.counts, findings } : { uri, findings };
}

/** The findings of `last` when most of `shown` were among them. */
function republished(last: Finding[], shown: PublishedFinding[]): Set<Finding> | undefined {
  const again = new Set(last);
  let kept = 0;
  for (const p of shown) if (again.has(p.finding)) kept++;
  return 2 * kept >= shown.length ? again : undefined;
}

const findingJson = new ItemJson<Finding>((f) => JSON.stringify(f));

/** The end of a diagnostic's JSON when its version is null: `toDiagnostic` writes the version last. */
const NULL_VERSION_END = 'null}}';

/** A finding's diagnostic but for its version, up to `"version":` (an untagged one: tags depend on its fixes). */
const diagnosticHeads = new ItemJson<Finding>((finding) => JSON.stringify(toDiagnostic({ key: findingKey(finding), finding }, null)).slice(0, -NULL_VERSION_END.length));

/** `params`' JSON, the diagnostics of `shown` from the JSON kept per finding (`again`: those published last time) and this version's end. */
function diagnosticsJson(params: { uri: string; version?: number; diagnostics: Diagnostic[] }, shown: PublishedFinding[], version: number, again: Set<Finding>): string {
  const end = `${version}}}`;
  return arrayLast({ uri: params.uri, version: params.version }, 'diagnostics', params.diagnostics, (d, i) => {
    if (i >= shown.length || d.tags) return JSON.stringify(d);
    const { finding } = shown[i];
    return diagnosticHeads.of(finding, again.has(finding)) + end;
  });
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
  };
  if (relatedInformation.length > 0) diagnostic.relatedInformation = relatedInformation;
  // A global with a drop-in std replacement is what `Deprecated` (strike-through) means to editors.
  if (published.fixes?.some((f) => f.isPreferred && /std::sync::(LazyLock|OnceLock)/.test(f.title) && finding.rule === 'lazy-global')) {
    diagnostic.tags = [DiagnosticTag.Deprecated];
  }
  // Last, and the version last in it: all that changes from one keystroke to the next (`diagnosticHeads`).
  diagnostic.data = data;
  return diagnostic;
}
