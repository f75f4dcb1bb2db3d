/** `leak-lens rules` and `leak-lens explain RULE`: the catalog, readable in a terminal. */
import { ALL_RULES, KIND_EXPLANATIONS, KIND_TITLES, RuleInfo, docsUrl } from '../../../shared/src/catalog';
import { KINDS } from '../../../shared/src/findings';
import { PLAIN, Style } from './style';

export function formatRuleList(style: Style = PLAIN): string {
  const width = Math.max(...ALL_RULES.map((r) => r.id.length));
  const rows = ALL_RULES.map((rule) => `${style.bold(rule.id.padEnd(width))}  ${rule.title}\n${' '.repeat(width + 2)}${rule.summary}`);
  return `${rows.join('\n')}\n\nRun \`leak-lens explain RULE\` for details and fixes.\n`;
}

export function formatExplanation(rule: RuleInfo, style: Style = PLAIN): string {
  const sections = [
    style.bold(`${rule.id}: ${rule.title}`),
    rule.summary,
    rule.explanation,
    `${style.bold('At run time')}\n${rule.runtime}`,
    `${style.bold('How findings are classified')}\n${KINDS.map((k) => `  ${KIND_TITLES[k]}: ${KIND_EXPLANATIONS[k]}`).join('\n')}`,
    `${style.bold('Fixes')}\n${rule.fixes.map(formatFix).join('\n\n')}`,
    `${style.bold('Suppress')}\n  // leak-lens: allow(${rule.id}) reason`,
    `${style.bold('More')}\n  ${docsUrl(rule.id)}\n  ${rule.stdDocs}`,
  ];
  return sections.join('\n\n') + '\n';
}

function formatFix(fix: RuleInfo['fixes'][number], index: number): string {
  const example = fix.example ? '\n' + fix.example.split('\n').map((line) => `       ${line}`).join('\n') : '';
  return `  ${index + 1}. ${fix.title}${example}`;
}
