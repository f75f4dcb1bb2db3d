/**
 * Suppression comments: `// leak-lens: allow(rule-a, rule-b) optional reason`.
 *
 * A trailing comment (after code) silences the listed rules on its own line only; a comment alone
 * on its line silences them on the line below, the code it annotates. A trailing comment must not
 * reach the next line, or `a(); // allow(x)` would silently hide a finding in the unrelated `b();`
 * under it. `allow(all)` silences every rule.
 *
 * This is a text scan, not a parse: a string literal that happens to contain `// leak-lens: allow(..)`
 * is honoured too. A deliberate trade-off for speed and simplicity; such strings are vanishingly
 * rare and the worst outcome is a missing finding on that line.
 */
import { RuleId, isRuleId } from '../../../shared/src/findings';

/** One `leak-lens: allow(...)` comment as written. */
export interface SuppressionComment {
  /** 0-based line of the comment. */
  line: number;
  /** The known rules it names, or `all`. */
  rules: readonly RuleId[] | 'all';
  /** Names that are not rule ids (typos, rules from a newer version); reported, never applied. */
  unknownRules: readonly string[];
  /** Free text after the closing parenthesis, trimmed; empty when none was given. */
  reason: string;
}

export interface Suppressions {
  comments: readonly SuppressionComment[];
  /** 0-based line → what is silenced on it. Derived from `comments`; kept for O(1) lookups. */
  byLine: ReadonlyMap<number, ReadonlySet<RuleId> | 'all'>;
}

const EMPTY: Suppressions = { comments: [], byLine: new Map() };

/** The marker must follow `//` directly (spaces allowed), so prose that mentions it does not count. */
const COMMENT = /\/\/\s*leak-lens:\s*allow\s*\(([^)]*)\)(.*)$/;

export function parseSuppressions(text: string): Suppressions {
  // Most files have no suppressions; skip splitting a multi-megabyte file into lines for nothing.
  if (!text.includes('leak-lens:')) return EMPTY;

  const comments: SuppressionComment[] = [];
  const byLine = new Map<number, Set<RuleId> | 'all'>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let line = 0; line < lines.length; line++) {
    const match = COMMENT.exec(lines[line]);
    if (!match) continue;
    const comment = parseComment(line, match[1], match[2]);
    comments.push(comment);
    const standalone = lines[line].slice(0, match.index).trim() === '';
    for (const target of standalone ? [line, line + 1] : [line]) {
      const current = byLine.get(target);
      if (comment.rules === 'all' || current === 'all') {
        byLine.set(target, 'all');
      } else {
        const merged = current ?? new Set<RuleId>();
        for (const rule of comment.rules) merged.add(rule);
        byLine.set(target, merged);
      }
    }
  }
  return { comments, byLine };
}

function parseComment(line: number, list: string, rest: string): SuppressionComment {
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  const reason = rest.trim();
  if (names.includes('all')) {
    return { line, rules: 'all', unknownRules: names.filter((n) => n !== 'all' && !isRuleId(n)), reason };
  }
  return { line, rules: names.filter(isRuleId), unknownRules: names.filter((n) => !isRuleId(n)), reason };
}

/** True when `rule` is silenced on the 0-based `line0`. */
export function isSuppressed(s: Suppressions, line0: number, rule: RuleId): boolean {
  const entry = s.byLine.get(line0);
  return entry === 'all' || (entry !== undefined && entry.has(rule));
}
