/**
 * `use` declarations, module by module: a module sees only its own imports (a nested `mod` does
 * not see the crate root's), so an import a rewrite needs goes into the module where the rewritten
 * code is, after that module's inner attributes and existing `use`s. Where the name cannot be
 * imported cleanly (the module already has something of that name, or the code is in another
 * module than the one being edited) the full path is written instead.
 */
import { TextEdit } from '../../../shared/src/fixes';
import { SyntaxNode } from '../parsing/parser';
import { Import, importsOf, isModule } from '../analysis/statics';
import { afterLine, deleteStatement, eol, indentationOf, insertAt } from './syntax';

/** The module (`source_file` or an inline module's body) whose imports `node` sees. */
export function moduleOf(node: SyntaxNode): SyntaxNode {
  let n: SyntaxNode | null = node;
  while (n && !isModule(n)) n = n.parent;
  return n ?? node;
}

/** The `use` declarations written directly in a module or block. */
export function usesIn(scope: SyntaxNode): SyntaxNode[] {
  return scope.namedChildren.filter((n) => n.type === 'use_declaration');
}

/** What the `use`s of `scope` import, each with the declaration it comes from. */
export function importsIn(scope: SyntaxNode): { use: SyntaxNode; imported: Import }[] {
  const out: { use: SyntaxNode; imported: Import }[] = [];
  for (const use of usesIn(scope)) {
    const argument = use.childForFieldName('argument');
    if (argument) for (const imported of importsOf(argument, [])) out.push({ use, imported });
  }
  return out;
}

const ITEM_TYPES = new Set([
  'struct_item', 'enum_item', 'union_item', 'type_item', 'trait_item', 'function_item', 'static_item', 'const_item', 'mod_item', 'macro_definition',
]);

/**
 * How `path` (`std::sync::Mutex`) can be written in `scope`: `imported` when a `use` there
 * already brings exactly it in, `free` when the name is unused there and can be imported,
 * `taken` when something else of that name is in scope (then only the full path works).
 */
function standing(scope: SyntaxNode, path: string): 'imported' | 'free' | 'taken' {
  const segments = path.split('::');
  const name = segments[segments.length - 1];
  const module = segments.slice(0, -1).join('::');
  for (const { imported } of importsIn(scope)) {
    const written = imported.path.filter((s, i) => !(i === 0 && s === '')).join('::');
    if (imported.glob) {
      if (written === module) return 'imported';
      continue;
    }
    if (imported.alias !== name) continue;
    return written === path || written === path.replace(/^std::/, 'core::') ? 'imported' : 'taken';
  }
  for (const child of scope.namedChildren) {
    if (ITEM_TYPES.has(child.type) && child.childForFieldName('name')?.text === name) return 'taken';
  }
  return 'free';
}

/**
 * An edit adding `use` lines to `scope` (the crate root or a module body) for the paths not yet
 * imported there, grouped by module (`use std::sync::atomic::{AtomicUsize, Ordering};`), or
 * undefined when all are present. Callers that may meet a name already taken use `ImportPlan`.
 */
export function addImports(scope: SyntaxNode, text: string, paths: string[]): TextEdit | undefined {
  const missing = [...new Set(paths)].filter((p) => standing(scope, p) !== 'imported').sort();
  if (missing.length === 0) return undefined;
  const nl = eol(text);
  const lines = groupedUseLines(missing);
  const uses = usesIn(scope);
  if (uses.length > 0) {
    const last = uses[uses.length - 1];
    const indent = indentationOf(text, last.startPosition.row);
    const after = afterLine(text, last.endPosition.row);
    const added = lines.map((l) => indent + l + nl).join('');
    // After a last line without a line break, the new lines start with one instead.
    return insertAt(after.position, after.broken ? added : nl + added.slice(0, -nl.length));
  }
  // No imports yet: after the module's inner attributes and `//!` docs, before its first item.
  const first = scope.namedChildren.find(
    (n) => n.type !== 'inner_attribute_item' && !(n.type === 'line_comment' && n.text.startsWith('//!')),
  );
  if (!first) return undefined;
  const open = scope.type === 'declaration_list' ? scope.child(0) : null;
  if (open && open.endPosition.row === first.startPosition.row) {
    // `mod m { static X: … }` on one line: the import goes right before the item, on that line.
    return insertAt({ line: first.startPosition.row, character: first.startPosition.column }, lines.map((l) => l + ' ').join(''));
  }
  const indent = indentationOf(text, first.startPosition.row);
  const blank = scope.type === 'source_file' ? nl : '';
  return insertAt({ line: first.startPosition.row, character: 0 }, lines.map((l) => indent + l + nl).join('') + blank);
}

/**
 * The names a rewrite writes for the paths it needs: the bare name where code sits in `home` (the
 * module being edited) and the name is, or can be, imported there; the full path anywhere else.
 * `edits()` then holds the `use` line for the names given out bare.
 */
export class ImportPlan {
  private readonly bare = new Set<string>();
  private readonly taken = new Set<string>();

  constructor(
    private readonly home: SyntaxNode,
    private readonly text: string,
    paths: string[],
  ) {
    for (const path of paths) if (standing(home, path) === 'taken') this.taken.add(path);
  }

  /** How to write `path` (`std::sync::atomic::Ordering`) at `at`. */
  name(path: string, at?: SyntaxNode): string {
    if (this.taken.has(path) || (at && moduleOf(at).id !== this.home.id)) return path;
    this.bare.add(path);
    return path.slice(path.lastIndexOf('::') + 2);
  }

  edits(): TextEdit[] {
    const edit = this.bare.size > 0 ? addImports(this.home, this.text, [...this.bare]) : undefined;
    return edit ? [edit] : [];
  }
}

/**
 * Replaces the `use` declaration `use` with one importing `targets` instead (full paths), or
 * deletes it when `targets` is empty.
 */
export function replaceUse(text: string, use: SyntaxNode, targets: string[]): TextEdit {
  const removal = deleteStatement(text, use);
  if (targets.length === 0) return removal;
  const nl = eol(text);
  const indent = indentationOf(text, use.startPosition.row);
  const visibility = use.namedChildren.find((c) => c.type === 'visibility_modifier');
  const prefix = visibility ? `${visibility.text} ` : '';
  const lines = groupedUseLines(targets).map((l) => prefix + l);
  const wholeLines = removal.range.start.character === 0 && removal.range.end.line > use.endPosition.row;
  return { range: removal.range, newText: wholeLines ? lines.map((l) => indent + l + nl).join('') : lines.join(' ') };
}

function groupedUseLines(paths: string[]): string[] {
  const byModule = new Map<string, string[]>();
  for (const p of [...new Set(paths)].sort()) {
    const cut = p.lastIndexOf('::');
    byModule.set(p.slice(0, cut), [...(byModule.get(p.slice(0, cut)) ?? []), p.slice(cut + 2)]);
  }
  return [...byModule].map(([module, names]) => (names.length === 1 ? `use ${module}::${names[0]};` : `use ${module}::{${names.join(', ')}};`));
}
