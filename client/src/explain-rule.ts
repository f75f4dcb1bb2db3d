/**
 * "Leak Lens: Explain Rule": the rule's catalog entry rendered as a Markdown preview, offline.
 * The documents live under the `leak-lens-rule:` scheme and are generated from the same catalog as
 * the hovers and `docs/rules`, so the three never disagree.
 */
import * as vscode from 'vscode';
import { ALL_RULES, KIND_EXPLANATIONS, KIND_TITLES, docsUrl, ruleInfo } from '../../shared/src/catalog';
import { KINDS, RuleId, isRuleId } from '../../shared/src/findings';

export const RULE_SCHEME = 'leak-lens-rule';

export class RuleDocumentProvider implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    return isRuleId(id) ? renderRule(id) : `# Unknown rule \`${id}\``;
  }
}

export function renderRule(id: RuleId): string {
  const rule = ruleInfo(id);
  const out = [`# \`${rule.id}\`: ${rule.title}`, '', rule.summary, '', rule.explanation, '', '## At run time', '', rule.runtime, ''];
  out.push('## Fixes', '');
  for (const fix of rule.fixes) {
    out.push(`### ${fix.title}`, '');
    if (fix.example) out.push('```rust', fix.example, '```', '');
  }
  out.push('## Kinds', '');
  for (const kind of KINDS) out.push(`- **${KIND_TITLES[kind]}**: ${KIND_EXPLANATIONS[kind]}`);
  out.push('', `Silence one finding with \`// leak-lens: allow(${rule.id})\` on the line above it.`, '');
  out.push(`[std documentation](${rule.stdDocs}) · [online documentation](${docsUrl(rule.id)})`, '');
  return out.join('\n');
}

export async function explainRule(arg?: unknown): Promise<void> {
  let id = typeof arg === 'string' && isRuleId(arg) ? arg : undefined;
  if (!id) {
    const picked = await vscode.window.showQuickPick(
      ALL_RULES.map((r) => ({ label: r.id, description: r.title, detail: r.summary })),
      { placeHolder: 'Which Leak Lens rule?' },
    );
    if (!picked || !isRuleId(picked.label)) return;
    id = picked.label;
  }
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.from({ scheme: RULE_SCHEME, path: `/${id}.md` }));
}
