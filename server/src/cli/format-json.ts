/**
 * `--format json`: the versioned `JsonReport` contract from `shared/`. Objects are rebuilt key by
 * key so an internal field added to a finding can never leak into the public schema.
 */
import { FileError, Finding, JsonReport, Position, Range, RelatedLocation } from '../../../shared/src/findings';
import { STREAMED_ARRAY, prettyJsonChunks } from './json-chunks';
import { CheckReport } from './report';

export function formatJson(report: CheckReport): string {
  return [...jsonChunks(report)].join('');
}

/** The report in pieces, one finding each: see `json-chunks.ts`. */
export function jsonChunks(report: CheckReport): Iterable<string> {
  const head = { version: 1, filesScanned: report.filesScanned, errors: report.errors.map(toError), findings: STREAMED_ARRAY };
  return prettyJsonChunks(head, mapIterable(report.findings, toFinding));
}

function* mapIterable<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

export function toJsonReport(report: CheckReport): JsonReport {
  return {
    version: 1,
    filesScanned: report.filesScanned,
    errors: report.errors.map(toError),
    findings: report.findings.map(toFinding),
  };
}

function toError(error: FileError): FileError {
  return { file: error.file, message: error.message };
}

function toFinding(f: Finding): Finding {
  return {
    file: f.file,
    range: toRange(f.range),
    rule: f.rule,
    kind: f.kind,
    severity: f.severity,
    message: f.message,
    reasons: [...f.reasons],
    related: f.related.map(toRelated),
  };
}

function toRelated(r: RelatedLocation): RelatedLocation {
  return { file: r.file, range: toRange(r.range), message: r.message };
}

function toRange(r: Range): Range {
  return { start: toPosition(r.start), end: toPosition(r.end) };
}

function toPosition(p: Position): Position {
  return { line: p.line, character: p.character };
}
