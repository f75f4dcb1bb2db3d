/**
 * lazy-global: move lazy globals to the standard library.
 *
 * - `once_cell::sync::{Lazy, OnceCell}` → `std::sync::{LazyLock, OnceLock}` (Rust 1.80 / 1.70):
 *   every `use` of them, in whichever module or block it is, and every mention those imports
 *   (or a full `once_cell::sync::` path) account for, since a half-migrated file would not
 *   compile. Not offered when the file calls what `LazyLock` lacks (`Lazy::get`, `Lazy::get_mut`,
 *   `Lazy::force_mut` are unstable in std), as clippy's `non_std_lazy_statics` does not either;
 * - `lazy_static! { static ref X: T = e; }` → `static X: LazyLock<T> = LazyLock::new(|| e);`, which
 *   derefs the same way, so uses stay as they are; `LazyLock` is imported into the macro's module.
 */
import { Fix, TextEdit } from '../../../shared/src/fixes';
import { SyntaxNode } from '../parsing/parser';
import { Import, isModule } from '../analysis/statics';
import { lineEndFrom } from '../analysis/text';
import { ImportPlan, importsIn, moduleOf, replaceUse, usesIn } from './imports';
import { FixContext, ancestor, deleteStatement, enclosing, eol, indentationOf, replace, requires } from './syntax';

const STD_EQUIVALENT: Record<string, string> = { Lazy: 'LazyLock', OnceCell: 'OnceLock' };
const STD_SINCE: Record<string, string> = { Lazy: '1.80', OnceCell: '1.70' };
/** once_cell API that std's types lack (unstable or absent): its presence rules the rewrite out. */
const NOT_IN_STD =
  /\.(get_or_try_init|try_insert|with_value|into_value|wait)\s*\(|OnceCell\s*::\s*with_value|Lazy\s*::\s*(into_value|get|get_mut|force_mut)\b/;

export function lazyGlobalFixes(ctx: FixContext): Fix[] {
  const macro = enclosing(ctx, ['macro_invocation']);
  if (macro && isLazyStatic(macro)) return optional(lazyStaticFix(ctx, macro));
  return optional(onceCellFix(ctx));
}

function onceCellFix(ctx: FixContext): Fix | undefined {
  const root = ctx.tree.rootNode;
  if (NOT_IN_STD.test(ctx.text)) return undefined;
  const edits: TextEdit[] = [];
  /** once_cell names by the scope (module or block) whose `use` brings them in. */
  const importing = new Map<number, Set<string>>();
  const used = new Set<string>();
  for (const use of root.descendantsOfType('use_declaration')) {
    if (!/\bonce_cell\b/.test(use.text) || inStubModule(use)) continue;
    const scope = use.parent!;
    const targets: string[] = [];
    const imports = importsIn(scope).filter(({ use: decl }) => decl.id === use.id).map(({ imported }) => imported);
    const written = (imported: Import) => imported.path.filter((s, i) => !(i === 0 && s === '')).join('::');
    // Imports of once_cell's other types (`once_cell::race::OnceBox`) stay as they are.
    if (imports.every((imported) => !written(imported).startsWith('once_cell::sync') && written(imported) !== 'once_cell')) continue;
    for (const imported of imports) {
      const path = written(imported);
      const name = imported.path[imported.path.length - 1];
      // A glob, an `as` rename, `once_cell::sync` itself, its `unsync` cells or a mix with other
      // imports in one declaration: leave the file alone.
      if (imported.glob || path !== `once_cell::sync::${name}` || !STD_EQUIVALENT[name] || imported.alias !== name) return undefined;
      const std = `std::sync::${STD_EQUIVALENT[name]}`;
      const standing = new ImportPlan(scope, ctx.text, [std]);
      if (standing.name(std) !== STD_EQUIVALENT[name]) return undefined; // something else of that name is there
      if (!importsIn(scope).some(({ imported: other }) => !other.glob && other.path.join('::') === std)) targets.push(std);
      if (!importing.has(scope.id)) importing.set(scope.id, new Set());
      importing.get(scope.id)!.add(name);
      used.add(name);
    }
    edits.push(replaceUse(ctx.text, use, targets));
  }
  for (const node of root.descendantsOfType(['identifier', 'type_identifier', 'scoped_identifier', 'scoped_type_identifier'])) {
    if (inStubModule(node) || ancestor(node, ['use_declaration'])) continue;
    if (node.type === 'scoped_identifier' || node.type === 'scoped_type_identifier') {
      // `once_cell::sync::Lazy::new` and `once_cell::sync::Lazy<T>`, written out in full.
      const path = node.childForFieldName('path')?.text.replace(/\s+/g, '');
      const name = node.childForFieldName('name')?.text ?? '';
      if ((path === 'once_cell::sync' || path === '::once_cell::sync') && STD_EQUIVALENT[name]) {
        edits.push(replace(node, `std::sync::${STD_EQUIVALENT[name]}`));
        used.add(name);
      }
      continue;
    }
    if (!STD_EQUIVALENT[node.text]) continue;
    const parent = node.parent;
    const isPathTail = (parent?.type === 'scoped_identifier' || parent?.type === 'scoped_type_identifier') &&
      parent.childForFieldName('name')?.startIndex === node.startIndex;
    if (isPathTail || parent?.type === 'field_expression') continue;
    if (importedFromOnceCell(node, importing)) edits.push(replace(node, STD_EQUIVALENT[node.text]));
  }
  if (used.size === 0) return undefined;
  const notes: string[] = [];
  for (const name of [...used].sort()) {
    const version = requires(ctx, STD_SINCE[name], `\`${STD_EQUIVALENT[name]}\``);
    if (!version.offered) return undefined;
    if (version.note) notes.push(version.note.trim().slice(1, -1));
  }
  const note = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return { title: `Use \`std::sync::LazyLock\`/\`OnceLock\` instead of \`once_cell::sync\` (whole file)${note}`, isPreferred: true, edits };
}

/**
 * Whether the name `node` (`Lazy`, `OnceCell`) comes from one of the `once_cell` imports being
 * rewritten: the nearest block or module that imports the name decides; a module without an
 * import of it sees its parent's only through `use super::*`.
 */
function importedFromOnceCell(node: SyntaxNode, importing: Map<number, Set<string>>): boolean {
  let scope = scopeAround(node);
  while (scope) {
    if (importing.get(scope.id)?.has(node.text)) return true;
    const imports = importsIn(scope);
    if (imports.some(({ imported }) => !imported.glob && imported.alias === node.text)) return false;
    if (!isModule(scope)) {
      scope = scopeAround(scope);
      continue;
    }
    const globOfParent = imports.some(({ imported }) => imported.glob && imported.path.join('::') === 'super');
    if (!globOfParent || scope.type === 'source_file') return false;
    scope = moduleOf(scope.parent!.parent!);
  }
  return false;
}

/** The innermost block or module strictly around `node`. */
function scopeAround(node: SyntaxNode): SyntaxNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'block' || isModule(n)) return n;
  return undefined;
}

/** A local `mod once_cell { … }` (a test stub or vendored copy) defines the names; leave it alone. */
function inStubModule(node: SyntaxNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'mod_item' && n.childForFieldName('name')?.text === 'once_cell') return true;
  }
  return false;
}

function isLazyStatic(macro: SyntaxNode): boolean {
  const name = macro.childForFieldName('macro')?.text.replace(/\s+/g, '') ?? '';
  return name === 'lazy_static' || name.endsWith('::lazy_static');
}

function lazyStaticFix(ctx: FixContext, macro: SyntaxNode): Fix | undefined {
  const version = requires(ctx, '1.80', '`LazyLock`');
  // `lazy_static::initialize(&X)` has no `LazyLock` spelling the rewrite could leave in place.
  if (!version.offered || /\binitialize\s*\(/.test(ctx.text)) return undefined;
  const body = macro.namedChildren.find((c) => c.type === 'token_tree');
  if (!body) return undefined;
  const inner = body.text.slice(1, -1);
  // A comment after an item's `;` on its line (`static ref X: T = e; // why`) stays with that item.
  const chunks = splitTopLevel(inner, ';');
  const trailing: string[] = chunks.map(() => '');
  for (let i = 1; i < chunks.length; i++) {
    const comment = /^[ \t]*(\/\/[^\r\n]*)/.exec(chunks[i]);
    if (!comment) continue;
    trailing[i - 1] = ` ${comment[1]}`;
    chunks[i] = chunks[i].slice(comment[0].length);
  }
  const items = chunks.map((text, i) => ({ text: text.trim(), trailing: trailing[i] })).filter((item) => item.text);
  const statement = macro.parent?.type === 'expression_statement' ? macro.parent : macro;
  const indent = indentationOf(ctx.text, statement.startPosition.row);
  const nl = eol(ctx.text);
  const home = moduleOf(macro);
  const plan = new ImportPlan(home, ctx.text, ['std::sync::LazyLock']);
  const lazyLock = plan.name('std::sync::LazyLock', macro);
  const statics: { prefix: string[]; body: string }[] = [];
  for (const item of items) {
    // Attributes, doc comments and comments before the item move with it.
    const m = /^((?:(?:#\[[^\]]*\]|\/\/[^\r\n]*)\s*)*)((?:pub(?:\([^)]*\))?\s+)?)static\s+ref\s+(\w+)\s*:\s*([\s\S]+)$/.exec(item.text);
    if (!m) return undefined;
    const [typeText, init] = splitOnce(m[4], '=');
    if (init === undefined) return undefined;
    const prefix = m[1].split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean);
    statics.push({ prefix, body: `${m[2]}static ${m[3]}: ${lazyLock}<${typeText.trim()}> = ${lazyLock}::new(|| ${init.trim()});${item.trailing}` });
  }
  if (statics.length === 0) return undefined;
  // The items were indented one level inside the macro; bring their continuation lines out with them.
  const innerIndent = /\n([ \t]*)\S/.exec(inner)?.[1] ?? indent;
  const outdent = innerIndent.length > indent.length ? innerIndent.slice(indent.length) : '';
  const dedented = statics.map(({ prefix, body }) =>
    [
      ...prefix,
      body
        .split(/\r?\n/)
        .map((line, i) => (i > 0 && outdent && line.startsWith(outdent) ? line.slice(outdent.length) : line))
        .join(nl),
    ].join(`${nl}${indent}`),
  );
  const edits: TextEdit[] = [replace(statement, dedented.join(`${nl}${indent}`))];
  // The macro's import goes with the module's last `lazy_static!`; `#[macro_use] extern crate` is
  // left for the crate root's owner (unused, it is a warning, not an error).
  const importOf = (scope: SyntaxNode) => usesIn(scope).find((u) => /^use\s+(::)?lazy_static\s*::\s*lazy_static\s*;$/.test(u.text));
  const useMacro = importOf(home);
  const othersNeedIt = ctx.tree.rootNode
    .descendantsOfType('macro_invocation')
    .some((m) => m.id !== macro.id && isLazyStatic(m) && (moduleOf(m).id === home.id || !importOf(moduleOf(m))));
  if (useMacro && !othersNeedIt) edits.push(deleteStatement(ctx.text, useMacro));
  edits.push(...plan.edits());
  return { title: `Replace \`lazy_static!\` with \`std::sync::LazyLock\`${version.note}`, isPreferred: true, edits };
}

/** Splits at `separator` outside brackets, strings and char literals. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === "'" && /^'(\\.|[^\\'])'/.test(text.slice(i, i + 4))) {
      i = text.indexOf("'", i + 2); // a char literal, not a lifetime
    } else if (text.startsWith('//', i)) {
      i = lineEndFrom(text, i);
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** `T = e` split at the first top-level `=` that is not part of `==`, `=>`, `<=`, `>=`, `!=`. */
function splitOnce(text: string, separator: '='): [string, string | undefined] {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<' || c === '(' || c === '[' || c === '{') depth++;
    else if ((c === '>' && text[i - 1] !== '-') || c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && c === separator && text[i + 1] !== '=' && text[i + 1] !== '>' && !'=!<>'.includes(text[i - 1])) {
      return [text.slice(0, i), text.slice(i + 1)];
    }
  }
  return [text, undefined];
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}
