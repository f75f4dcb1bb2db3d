/**
 * `use` declarations: adding the imports a rewrite needs and dropping the ones it made unused.
 * Works on the file's top level only; imports inside modules or functions are left alone, which can
 * at worst leave a redundant import (a warning), never a missing one, because new imports go to the
 * top level where every item of the file sees them.
 */
import { TextEdit } from '../../../shared/src/fixes';
import { SyntaxNode } from '../parsing/parser';
import { deleteStatement, eol, insertAt } from './syntax';

/** A top-level `use` imports `name` already (by name or by glob of its module). */
function isImported(root: SyntaxNode, path: string): boolean {
  const name = path.slice(path.lastIndexOf('::') + 2);
  const module = path.slice(0, path.lastIndexOf('::'));
  for (const use of topLevelUses(root)) {
    const text = use.text.replace(/\s+/g, '');
    if (text === `use${module}::*;`) return true;
    if (new RegExp(`(^use|::|\\{|,)${name}(;|,|\\})`).test(text) && text.includes(module.split('::')[0])) return true;
  }
  return false;
}

export function topLevelUses(root: SyntaxNode): SyntaxNode[] {
  return root.namedChildren.filter((n) => n.type === 'use_declaration');
}

/**
 * An edit adding `use` lines for the paths not yet imported, grouped by module
 * (`use std::sync::atomic::{AtomicUsize, Ordering};`), or undefined when all are present.
 * `removing` are `use` declarations other edits of the same fix delete; the new lines are not
 * placed right after one of them so the edits never touch.
 */
export function addImports(root: SyntaxNode, text: string, paths: string[]): TextEdit | undefined {
  const missing = [...new Set(paths)].filter((p) => !isImported(root, p)).sort();
  if (missing.length === 0) return undefined;
  const byModule = new Map<string, string[]>();
  for (const p of missing) {
    const cut = p.lastIndexOf('::');
    const module = p.slice(0, cut);
    byModule.set(module, [...(byModule.get(module) ?? []), p.slice(cut + 2)]);
  }
  const nl = eol(text);
  const lines = [...byModule].map(([module, names]) =>
    names.length === 1 ? `use ${module}::${names[0]};` : `use ${module}::{${names.join(', ')}};`,
  );
  const uses = topLevelUses(root);
  if (uses.length > 0) {
    const last = uses[uses.length - 1];
    return insertAt({ line: last.endPosition.row + 1, character: 0 }, lines.map((l) => l + nl).join(''));
  }
  // No imports yet: after the crate's inner attributes and `//!` docs, before the first item.
  const first = root.namedChildren.find(
    (n) => n.type !== 'inner_attribute_item' && !(n.type === 'line_comment' && n.text.startsWith('//!')),
  );
  const line = first ? first.startPosition.row : 0;
  return insertAt({ line, character: 0 }, lines.map((l) => l + nl).join('') + nl);
}

/**
 * Rewrites the top-level `use` declarations that import from `module` (e.g. `once_cell::sync`):
 * each imported name is mapped through `rename` (to a full path) and the declaration is replaced by
 * the resulting imports. Returns the edits and the names it handled.
 */
export function rewriteUses(
  root: SyntaxNode,
  text: string,
  module: string,
  rename: (name: string) => string | undefined,
): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const use of topLevelUses(root)) {
    const flat = use.text.replace(/\s+/g, '');
    const m = /^(pub(\([^)]*\))?)?use(::)?([\w:]+?)::(\{([^}]*)\}|\w+);$/.exec(flat);
    if (!m || m[4] !== module) continue;
    const names = m[6] !== undefined ? m[6].split(',').filter(Boolean) : [m[5]];
    const targets: string[] = [];
    for (const name of names) {
      const target = rename(name);
      if (!target) return undefined; // `as` renames, `self`, nested groups: leave the file alone
      targets.push(target);
    }
    const removal = deleteStatement(text, use);
    const lines = groupedUseLines(targets, eol(text));
    const wholeLines = removal.range.start.character === 0 && removal.range.end.line > use.endPosition.row;
    edits.push({ range: removal.range, newText: wholeLines ? lines : lines.trimEnd() });
  }
  return edits;
}

function groupedUseLines(paths: string[], nl: string): string {
  const byModule = new Map<string, string[]>();
  for (const p of [...new Set(paths)].sort()) {
    const cut = p.lastIndexOf('::');
    byModule.set(p.slice(0, cut), [...(byModule.get(p.slice(0, cut)) ?? []), p.slice(cut + 2)]);
  }
  return [...byModule]
    .map(([module, names]) => (names.length === 1 ? `use ${module}::${names[0]};` : `use ${module}::{${names.join(', ')}};`) + nl)
    .join('');
}
