/**
 * Renders the rule catalog as Markdown: one page per rule (`docs/rules/<id>.md`, the target of
 * every diagnostic's `codeDescription`) and the README's rule table. Generated, never hand-edited:
 * `npm run docs` writes them and a test fails when they are stale.
 */
import { ALL_RULES, KIND_EXPLANATIONS, KIND_TITLES, RuleInfo, docsUrl } from './catalog';
import { KINDS } from './findings';

export function ruleTable(): string {
  const rows = ALL_RULES.map((r) => `| [\`${r.id}\`](docs/rules/${r.id}.md) | ${r.title} | ${r.summary.replace(/\|/g, '\\|')} |`);
  return ['| rule | title | what it flags |', '| --- | --- | --- |', ...rows].join('\n');
}

export function kindTable(): string {
  const rows = KINDS.map((k) => `| \`${k}\` | ${KIND_TITLES[k]} | ${KIND_EXPLANATIONS[k]} |`);
  return ['| kind | in words | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

export function rulePage(rule: RuleInfo): string {
  const fixes = rule.fixes
    .map((f) => `### ${f.title}\n\n${f.example ? '```rust\n' + f.example + '\n```\n' : ''}`)
    .join('\n');
  return [
    `# \`${rule.id}\`: ${rule.title}`,
    '',
    rule.summary,
    '',
    '## What it means',
    '',
    rule.explanation,
    '',
    '## At run time',
    '',
    rule.runtime,
    '',
    '## How to fix it',
    '',
    fixes,
    '## Silencing it',
    '',
    `Put \`// leak-lens: allow(${rule.id}) reason\` on the line, or on the line above, or set \`${rule.id} = "allow"\` under \`[rules]\` in \`leak-lens.toml\`.`,
    '',
    `Standard library documentation: <${rule.stdDocs}>`,
    '',
    `<!-- generated from shared/src/catalog.ts; ${docsUrl(rule.id)} -->`,
    '',
  ].join('\n');
}

export const TABLE_START = '<!-- rules:start -->';
export const TABLE_END = '<!-- rules:end -->';

/** Replaces the generated block between the markers of a README. */
export function withRuleTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README lacks the ${TABLE_START} … ${TABLE_END} markers`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${ruleTable()}\n\n${kindTable()}\n${readme.slice(end)}`;
}
