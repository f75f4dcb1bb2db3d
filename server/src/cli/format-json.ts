/**
 * `--format json`: the versioned `JsonReport` contract from `shared/`. Objects are rebuilt key by
 * key so an internal field added to a finding can never leak into the public schema.
 */
import { FileError, Finding, JsonReport, Position, Range, RelatedLocation } from '../../../shared/src/findings';
import { CheckReport } from './report';

export function formatJson(report: CheckReport): string {
  return JSON.stringify(toJsonReport(report), null, 2) + '\n';
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
