/**
 * `textDocument/hover`: the finding under the cursor explained in Markdown. Everything shown comes
 * from the published finding (classification, reasons, related locations) and the rule catalog
 * (runtime behaviour, safer alternative, docs); the hover never re-analyses.
 *
 * Besides the finding's own range, hovering any use of a flagged static (`static mut`, lazy global)
 * shows the static's finding.
 */
import { Hover, MarkupKind, Position } from 'vscode-languageserver/node';
import { KIND_EXPLANATIONS, KIND_TITLES, docsUrl, ruleInfo } from '../../../shared/src/catalog';
import { Finding, Range } from '../../../shared/src/findings';
import { SyntaxNode, Tree } from '../parsing/parser';
import { FileReport } from './diagnostics';
import { displayPath } from './workspace';

export function renderFinding(finding: Finding): string {
  const rule = ruleInfo(finding.rule);
  const lines: string[] = [];
  lines.push(`**Leak Lens: ${KIND_TITLES[finding.kind]}** · [\`${finding.rule}\`](${docsUrl(finding.rule)}) ${rule.title}`);
  lines.push('', finding.message);
  if (finding.reasons.length > 0) {
    lines.push('', '**Why**', '');
    finding.reasons.forEach((reason, i) => lines.push(`${i + 1}. ${reason}`));
  }
  if (finding.related.length > 0) {
    lines.push('', '**Related**', '');
    for (const r of finding.related) lines.push(`- ${r.message} ([${displayPath(r.file)}:${r.range.start.line + 1}](${r.file}#L${r.range.start.line + 1}))`);
  }
  lines.push('', '**At run time**', '', KIND_EXPLANATIONS[finding.kind], '', rule.runtime);
  const fix = rule.fixes[0];
  if (fix && (finding.kind === 'real-leak' || finding.kind === 'possible-leak' || finding.kind === 'intentional-static' || rule.fixedSeverity)) {
    lines.push('', `**Safer alternative:** ${fix.title}`);
    if (fix.example) lines.push('', '```rust', fix.example, '```');
  }
  lines.push('', `[std documentation](${rule.stdDocs}) · [rule documentation](${docsUrl(finding.rule)})`);
  return lines.join('\n');
}

/** Findings shown for a hover at `position`: those whose range holds it, else the static it names. */
export function findingsAt(report: FileReport | undefined, tree: Tree | undefined, position: Position): Finding[] {
  if (!report) return [];
  const direct = report.findings.map((p) => p.finding).filter((f) => contains(f.range, position));
  if (direct.length > 0 || !tree) return direct;
  const node = tree.rootNode.descendantForPosition({ row: position.line, column: position.character });
  if (node.type !== 'identifier') return [];
  return report.findings
    .map((p) => p.finding)
    .filter((f) => (f.rule === 'static-mut' || f.rule === 'lazy-global' || f.rule === 'once-static-mut') && staticNameOf(tree, f.range) === node.text);
}

export function hoverFor(findings: Finding[]): Hover | null {
  if (findings.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: findings.map(renderFinding).join('\n\n---\n\n') },
    range: findings[0].range,
  };
}

/** The name of the static item (or `lazy_static!` ref) a finding's range lies in. */
function staticNameOf(tree: Tree, range: Range): string | undefined {
  let node: SyntaxNode | null = tree.rootNode.descendantForPosition(
    { row: range.start.line, column: range.start.character },
    { row: range.end.line, column: range.end.character },
  );
  if (node.type === 'identifier' && node.parent?.type === 'static_item') return node.text;
  for (; node; node = node.parent) {
    if (node.type === 'static_item') return node.childForFieldName('name')?.text;
    if (node.type === 'macro_invocation') {
      // `lazy_static! { static ref NAME: … }`: the ref declared on the finding's line.
      const line = node.text.split('\n')[range.start.line - node.startPosition.row] ?? '';
      return /static\s+ref\s+(\w+)/.exec(line)?.[1] ?? /static\s+ref\s+(\w+)/.exec(node.text)?.[1];
    }
  }
  return undefined;
}

function contains(range: Range, p: Position): boolean {
  const afterStart = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const beforeEnd = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return afterStart && beforeEnd;
}
