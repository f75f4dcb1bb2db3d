/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
 *
 * Choices a reviewer may wonder about:
 * - Every catalog rule is listed (not only those with results), so viewers can show help for any id.
 * - `information` and `hint` both map to `note`; SARIF's `none` would hide hints in most viewers.
 * - Columns are UTF-16 code units (declared via `columnKind`), exactly the engine's LSP positions
 *   plus one; `endColumn` is exclusive, as SARIF defines it.
 * - `partialFingerprints` hash the rule, file and the *text* of the flagged line (plus an occurrence
 *   counter), not its number, so a result keeps its identity when code above it moves.
 * - Unreadable inputs become tool execution notifications; the run itself still succeeded.
 */
import { Hash, createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type * as sarif from 'sarif';
import { ALL_RULES, KIND_TITLES, RuleInfo, docsUrl, messageStartsWithKind } from '../../../shared/src/catalog';
import { FileError, Finding, RULE_IDS, Range, Severity } from '../../../shared/src/findings';
import { STREAMED_ARRAY, prettyJsonChunks } from './json-chunks';
import { CheckReport, SourceLines } from './report';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/leak-lens/leak-lens';
const SRCROOT = '%SRCROOT%';
const FINGERPRINT_KEY = 'leakLens/v1';

export interface SarifOptions {
  toolVersion: string;
  /** Absolute directory the report's relative paths start from; recorded as `%SRCROOT%`. */
  cwd?: string;
}

export function formatSarif(report: CheckReport, options: SarifOptions): string {
  return [...sarifChunks(report, options)].join('');
}

/** The log in pieces, one result each: see `json-chunks.ts`. */
export function sarifChunks(report: CheckReport, options: SarifOptions): Iterable<string> {
  return prettyJsonChunks(logWith(report, options, STREAMED_ARRAY as unknown as sarif.Result[]), results(report));
}

export function toSarifLog(report: CheckReport, options: SarifOptions): sarif.Log {
  return logWith(report, options, [...results(report)]);
}

function logWith(report: CheckReport, options: SarifOptions, results: sarif.Result[]): sarif.Log {
  const uri = uriMaker(report);
  const run: sarif.Run = {
    tool: {
      driver: {
        name: 'leak-lens',
        informationUri: INFORMATION_URI,
        version: options.toolVersion,
        semanticVersion: options.toolVersion,
        rules: ALL_RULES.map(toReportingDescriptor),
      },
    },
    invocations: [
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          ...report.errors.map((e) => toNotification(e, 'error', uri)),
          ...report.warnings.map((w) => toNotification(w, 'warning', uri)),
        ],
      },
    ],
    columnKind: 'utf16CodeUnits',
    results,
  };
  if (options.cwd !== undefined) {
    // SARIF requires the base URI to end with a slash to be usable as a directory.
    run.originalUriBaseIds = { [SRCROOT]: { uri: pathToFileURL(options.cwd).href.replace(/\/?$/, '/') } };
  }
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

function toReportingDescriptor(rule: RuleInfo): sarif.ReportingDescriptor {
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: plainText(rule.summary), markdown: rule.summary },
    fullDescription: { text: plainText(rule.explanation), markdown: rule.explanation },
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    helpUri: docsUrl(rule.id),
    // A rule's severity depends on how each finding is classified; the default is the most severe
    // level it reports with unless a user raises it to an error.
    defaultConfiguration: { level: sarifLevel(rule.fixedSeverity ?? 'warning') },
    properties: { tags: ['memory', 'leak'] },
  };
}

function helpText(rule: RuleInfo): string {
  const fixes = rule.fixes.map((fix) => `- ${fix.title}${fix.example ? '\n' + indent(fix.example, '    ') : ''}`);
  return [plainText(rule.explanation), `At run time: ${plainText(rule.runtime)}`, `Fixes:\n${fixes.join('\n')}`, `See ${docsUrl(rule.id)}`].join('\n\n');
}

function helpMarkdown(rule: RuleInfo): string {
  const fixes = rule.fixes.map((fix) => `- ${fix.title}${fix.example ? '\n\n  ```rust\n' + indent(fix.example, '  ') + '\n  ```' : ''}`);
  return [
    rule.explanation,
    `**At run time:** ${rule.runtime}`,
    `**Fixes**\n\n${fixes.join('\n')}`,
    `[Rule documentation](${docsUrl(rule.id)}) · [Rust documentation](${rule.stdDocs})`,
  ].join('\n\n');
}

function* results(report: CheckReport): Generator<sarif.Result> {
  const lines = new SourceLines(report.sources);
  const uri = uriMaker(report);
  const occurrences = new Map<string, number>();
  // A long flagged line is hashed once per rule and never joined into a key: one line of
  // thousands of findings would otherwise cost its length, in copies and hashing, for each.
  let flagged: { file: string; line: number; text: string; identities: Map<string, Identity> } | undefined;
  for (const finding of report.findings) {
    const line = finding.range.start.line;
    if (flagged?.file !== finding.file || flagged.line !== line) {
      flagged = { file: finding.file, line, text: lines.line(finding.file, line)?.trim() ?? String(line), identities: new Map() };
    }
    let identity = flagged.identities.get(finding.rule);
    if (!identity) flagged.identities.set(finding.rule, (identity = new Identity(finding.rule, finding.file, flagged.text)));
    const occurrence = occurrences.get(identity.key) ?? 0;
    occurrences.set(identity.key, occurrence + 1);
    yield toResult(finding, identity.fingerprint(occurrence), uri);
  }
}

/**
 * A result's identity: its rule, its file and the flagged line's text. Results of one identity
 * are told apart by their order (`occurrence`); the fingerprint hashes all four, joined by NULs.
 */
class Identity {
  /** Equal for equal identities. */
  readonly key: string;
  /** For a long line: the three hashed once, copied for each occurrence's fingerprint. */
  private readonly hash?: Hash;

  constructor(rule: string, file: string, lineText: string) {
    if (lineText.length <= LONG_LINE) {
      this.key = `${rule}\0${file}\0${lineText}`;
      return;
    }
    this.hash = createHash('sha256').update(`${rule}\0${file}\0`).update(lineText);
    this.key = this.hash.copy().digest('base64');
  }

  fingerprint(occurrence: number): string {
    // A hash object holds native memory that only a collection frees: one per finding, not three.
    const hash = this.hash ? this.hash.copy() : createHash('sha256').update(this.key);
    return hash.update(`\0${occurrence}`).digest('hex').slice(0, 32);
  }
}

/** Lines longer than this are hashed once per rule rather than once per finding. */
const LONG_LINE = 1_000;

function toResult(finding: Finding, hash: string, uri: UriOf): sarif.Result {
  return {
    ruleId: finding.rule,
    ruleIndex: RULE_IDS.indexOf(finding.rule),
    level: sarifLevel(finding.severity),
    message: { text: resultMessage(finding) },
    locations: [location(uri(finding.file), finding.range)],
    relatedLocations: finding.related.map((related, index) => ({
      id: index,
      ...location(uri(related.file), related.range),
      message: { text: related.message },
    })),
    partialFingerprints: { [FINGERPRINT_KEY]: hash },
    properties: { kind: finding.kind },
  };
}

/**
 * `real leak: Box::leak … (reason; reason)`: the classification travels with the text, its kind
 * said once (in front of the reasons when the message does not start with it).
 */
function resultMessage(finding: Finding): string {
  const reasons = finding.reasons.join('; ');
  if (messageStartsWithKind(finding.rule)) return reasons ? `${finding.message} (${reasons})` : finding.message;
  const kind = KIND_TITLES[finding.kind];
  return `${finding.message} (${reasons ? `${kind}: ${reasons}` : kind})`;
}

function location(uri: string, range: Range): sarif.Location {
  return {
    physicalLocation: {
      artifactLocation: { uri, uriBaseId: SRCROOT },
      region: {
        startLine: range.start.line + 1,
        startColumn: range.start.character + 1,
        endLine: range.end.line + 1,
        endColumn: range.end.character + 1,
      },
    },
  };
}

function toNotification(error: FileError, level: 'error' | 'warning', uri: UriOf): sarif.Notification {
  return {
    level,
    message: { text: `${error.file}: ${error.message}` },
    locations: [{ physicalLocation: { artifactLocation: { uri: uri(error.file), uriBaseId: SRCROOT } } }],
  };
}

export function sarifLevel(severity: Severity): sarif.Result.level {
  switch (severity) {
    case 'error':
      return 'error';
    case 'warning':
      return 'warning';
    case 'information':
    case 'hint':
      return 'note';
  }
}

type UriOf = (file: string) => string;

/**
 * A relative URI reference: each segment percent-encoded, `/` kept (paths already use `/`). A file
 * opened by its bytes (`CheckReport.rawNames`) has those bytes percent-encoded, which is the URI
 * of that very file (its shown name with `\xHH` would name another).
 */
function uriMaker(report: CheckReport): UriOf {
  return (file) => {
    const bytes = report.rawNames?.get(file);
    return bytes ? percentEncode(bytes) : file.split('/').map(encodeURIComponent).join('/');
  };
}

/** As `encodeURIComponent` does for each segment of a UTF-8 path, for any bytes; `/` kept. */
function percentEncode(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && /[A-Za-z0-9\-_.!~*'()/]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Viewers that only show `text` should not display markdown markup. */
function plainText(markdown: string): string {
  return markdown.replace(/`([^`]*)`/g, '$1').replace(/\*([^*]+)\*/g, '$1');
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
