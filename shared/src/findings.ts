/**
 * The finding contract shared by the engine, the CLI's JSON output and the language server.
 * Positions are 0-based, LSP style (line, UTF-16 code unit) so the server can hand them to
 * the editor unchanged.
 */

export const RULE_IDS = [
  'box-leak',
  'into-raw',
  'mem-forget',
  'manually-drop',
  'raw-alloc',
  'static-mut',
  'once-static-mut',
  'lazy-global',
  'rc-cycle',
  'shared-to-mut-cast',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export const KINDS = ['intentional-static', 'real-leak', 'possible-leak', 'reclaimed', 'ownership-transfer'] as const;
export type Kind = (typeof KINDS)[number];

/** Ordered from most to least severe; comparisons use the index. */
export const SEVERITIES = ['error', 'warning', 'information', 'hint'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

/** One finding exactly as the JSON report (`version: 1`) prints it. */
export interface Finding {
  file: string;
  range: Range;
  rule: RuleId;
  kind: Kind;
  severity: Severity;
  message: string;
  reasons: string[];
  related: RelatedLocation[];
}

export interface FileError {
  file: string;
  message: string;
}

/** The `--format json` document. Changing its shape means bumping `version`. */
export interface JsonReport {
  version: 1;
  filesScanned: number;
  errors: FileError[];
  findings: Finding[];
}

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

export function isKind(value: string): value is Kind {
  return (KINDS as readonly string[]).includes(value);
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/** True when `a` is at least as severe as `b`. */
export function atLeast(a: Severity, b: Severity): boolean {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b);
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)
  );
}
