/**
 * "Allow with a comment": a `// leak-lens: allow(rule)` line above the finding, indented like the
 * code it annotates, which the suppression scanner honours for the line below. An allow comment
 * already on that line is extended rather than stacked.
 */
import { Fix } from '../../../shared/src/fixes';
import { FixContext, eol, indentationOf, lineText } from './syntax';

const EXISTING = /^(\s*\/\/\s*leak-lens:\s*allow\s*\()([^)]*)(\).*)$/;

export function allowFix(ctx: FixContext): Fix {
  const { rule } = ctx.finding;
  const line = ctx.finding.range.start.line;
  const title = `Allow \`${rule}\` here with a \`// leak-lens: allow(${rule})\` comment`;
  const above = line > 0 ? lineText(ctx.text, line - 1) : '';
  const existing = EXISTING.exec(above);
  if (existing) {
    const rules = existing[2].split(',').map((r) => r.trim()).filter(Boolean);
    if (!rules.includes(rule) && !rules.includes('all')) {
      return {
        title,
        isPreferred: false,
        edits: [
          {
            range: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: above.length } },
            newText: `${existing[1]}${[...rules, rule].join(', ')}${existing[3]}`,
          },
        ],
      };
    }
  }
  const indent = indentationOf(ctx.text, line);
  return {
    title,
    isPreferred: false,
    edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}// leak-lens: allow(${rule})${eol(ctx.text)}` }],
  };
}
