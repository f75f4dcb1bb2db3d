/**
 * lazy-global: move lazy globals to the standard library.
 *
 * - `once_cell::sync::{Lazy, OnceCell}` → `std::sync::{LazyLock, OnceLock}` (Rust 1.80 / 1.70): the
 *   `use` lines and every mention in the file, since a half-migrated file would not compile;
 * - `lazy_static! { static ref X: T = e; }` → `static X: LazyLock<T> = LazyLock::new(|| e);`, which
 *   derefs the same way, so uses stay as they are.
 */
import { Fix, TextEdit } from '../../../shared/src/fixes';
import { SyntaxNode } from '../parsing/parser';
import { addImports, rewriteUses, topLevelUses } from './imports';
import { FixContext, ancestor, deleteStatement, enclosing, eol, indentationOf, replace } from './syntax';

const STD_EQUIVALENT: Record<string, string> = { Lazy: 'LazyLock', OnceCell: 'OnceLock' };
/** once_cell methods std's types lack (unstable or absent): their presence rules the rewrite out. */
const NOT_IN_STD = /\.(get_or_try_init|with_value|into_value)\s*\(|OnceCell::with_value|Lazy::into_value/;

export function lazyGlobalFixes(ctx: FixContext): Fix[] {
  const macro = enclosing(ctx, ['macro_invocation']);
  if (macro && isLazyStatic(macro)) return optional(lazyStaticFix(ctx, macro));
  return optional(onceCellFix(ctx));
}

function onceCellFix(ctx: FixContext): Fix | undefined {
  const root = ctx.tree.rootNode;
  if (NOT_IN_STD.test(ctx.text)) return undefined;
  const useEdits = rewriteUses(root, ctx.text, 'once_cell::sync', (name) =>
    STD_EQUIVALENT[name] ? `std::sync::${STD_EQUIVALENT[name]}` : undefined,
  );
  if (!useEdits) return undefined;
  const imported = new Set<string>();
  for (const use of topLevelUses(root)) {
    if (!/once_cell\s*::\s*sync/.test(use.text)) continue;
    for (const name of Object.keys(STD_EQUIVALENT)) if (new RegExp(`\\b${name}\\b`).test(use.text)) imported.add(name);
  }
  const edits: TextEdit[] = [...useEdits];
  for (const node of root.descendantsOfType(['identifier', 'type_identifier', 'scoped_identifier', 'scoped_type_identifier'])) {
    if (inStubModule(node) || ancestor(node, ['use_declaration'])) continue;
    if (node.type === 'scoped_identifier' || node.type === 'scoped_type_identifier') {
      // `once_cell::sync::Lazy::new` and `once_cell::sync::Lazy<T>`, written out in full.
      const path = node.childForFieldName('path')?.text.replace(/\s+/g, '');
      const name = node.childForFieldName('name')?.text ?? '';
      if ((path === 'once_cell::sync' || path === '::once_cell::sync') && STD_EQUIVALENT[name]) {
        edits.push(replace(node, `std::sync::${STD_EQUIVALENT[name]}`));
      }
      continue;
    }
    const parent = node.parent;
    const isPathTail = (parent?.type === 'scoped_identifier' || parent?.type === 'scoped_type_identifier') &&
      parent.childForFieldName('name')?.startIndex === node.startIndex;
    if (imported.has(node.text) && !isPathTail && !(parent?.type === 'field_expression')) {
      edits.push(replace(node, STD_EQUIVALENT[node.text]));
    }
  }
  if (edits.length === useEdits.length && useEdits.length === 0) return undefined;
  return { title: 'Use `std::sync::LazyLock`/`OnceLock` instead of `once_cell::sync` (whole file)', isPreferred: true, edits };
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
  const body = macro.namedChildren.find((c) => c.type === 'token_tree');
  if (!body) return undefined;
  const inner = body.text.slice(1, -1);
  const items = splitTopLevel(inner, ';').map((s) => s.trim()).filter(Boolean);
  const statement = macro.parent?.type === 'expression_statement' ? macro.parent : macro;
  const indent = indentationOf(ctx.text, statement.startPosition.row);
  const nl = eol(ctx.text);
  const statics: string[] = [];
  for (const item of items) {
    const m = /^((?:#\[[^\]]*\]\s*)*)((?:pub(?:\([^)]*\))?\s+)?)static\s+ref\s+(\w+)\s*:\s*([\s\S]+)$/.exec(item);
    if (!m) return undefined;
    const [typeText, init] = splitOnce(m[4], '=');
    if (init === undefined) return undefined;
    const attrs = m[1].trim() ? `${m[1].trim()}${nl}${indent}` : '';
    statics.push(`${attrs}${m[2]}static ${m[3]}: LazyLock<${typeText.trim()}> = LazyLock::new(|| ${init.trim()});`);
  }
  if (statics.length === 0) return undefined;
  // The items were indented one level inside the macro; bring their continuation lines out with them.
  const innerIndent = /\n([ \t]*)\S/.exec(inner)?.[1] ?? indent;
  const outdent = innerIndent.length > indent.length ? innerIndent.slice(indent.length) : '';
  const dedented = statics.map((s) =>
    s
      .split(/\r?\n/)
      .map((line, i) => (i > 0 && outdent && line.startsWith(outdent) ? line.slice(outdent.length) : line))
      .join(nl),
  );
  const edits: TextEdit[] = [replace(statement, dedented.join(`${nl}${indent}`))];
  // The macro's import is now unused; `#[macro_use] extern crate` is left for the crate root owner.
  for (const use of topLevelUses(ctx.tree.rootNode)) {
    if (/^use\s+(::)?lazy_static\s*::\s*lazy_static\s*;$/.test(use.text)) edits.push(deleteStatement(ctx.text, use));
  }
  const imports = addImports(ctx.tree.rootNode, ctx.text, ['std::sync::LazyLock']);
  if (imports) edits.push(imports);
  return { title: 'Replace `lazy_static!` with `std::sync::LazyLock`', isPreferred: true, edits };
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
