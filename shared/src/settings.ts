/**
 * Settings shared by the CLI (`leak-lens.toml`) and the language server (`leakLens.*`).
 */
import { RuleId, Severity } from './findings';

/** `allow` drops a rule's findings, `warn` keeps the catalog severity, `deny` raises them to errors. */
export type RuleLevel = 'allow' | 'warn' | 'deny';
export const RULE_LEVELS: readonly RuleLevel[] = ['allow', 'warn', 'deny'];

export interface LeakLensSettings {
  rules: Partial<Record<RuleId, RuleLevel>>;
  /** Glob patterns, relative to the workspace root, of files not to analyze. */
  exclude: string[];
  /** Findings below this severity are not reported. */
  minimumSeverity: Severity;
}

export const DEFAULT_SETTINGS: LeakLensSettings = {
  rules: {},
  exclude: [],
  minimumSeverity: 'hint',
};

/** Applies a rule level to a catalog severity; `undefined` means the finding is dropped. */
export function applyLevel(level: RuleLevel | undefined, severity: Severity): Severity | undefined {
  switch (level) {
    case 'allow':
      return undefined;
    case 'deny':
      return 'error';
    default:
      return severity;
  }
}
