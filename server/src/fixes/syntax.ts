/**
 * Tree and text helpers shared by the fix families: finding the node a finding points at, ranges,
 * indentation, and the file's `use` declarations.
 */
import { Finding, Position, Range } from '../../../shared/src/findings';
import { TextEdit, lineStarts } from '../../../shared/src/fixes';
import { SyntaxNode, Tree } from '../parsing/parser';
import { StaticScopes } from '../analysis/statics';
import { Toolchain, supports } from '../analysis/toolchain';

export interface FixContext {
  text: string;
  tree: Tree;
  finding: Finding;
  /** What the crate compiles with (from the file's facts): a fix is offered only if it compiles there. */
  toolchain: Toolchain;
}

export function rangeOf(node: SyntaxNode): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

export function replace(node: SyntaxNode, newText: string): TextEdit {
  return { range: rangeOf(node), newText };
}

export function insertAt(position: Position, newText: string): TextEdit {
  return { range: { start: position, end: position }, newText };
}

/** The innermost node of one of `types` that contains the finding's whole range. */
export function enclosing(ctx: FixContext, types: readonly string[]): SyntaxNode | undefined {
  const { start, end } = ctx.finding.range;
  let node: SyntaxNode | null = ctx.tree.rootNode.descendantForPosition(
    { row: start.line, column: start.character },
    { row: end.line, column: end.character },
  );
  while (node && !types.includes(node.type)) node = node.parent;
  return node ?? undefined;
}

export function ancestor(node: SyntaxNode, types: readonly string[], stopAt: readonly string[] = []): SyntaxNode | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (types.includes(n.type)) return n;
    if (stopAt.includes(n.type)) return undefined;
  }
  return undefined;
}

export function lineText(text: string, line: number): string {
  const { starts } = linesOf(text);
  if (line < 0 || line >= starts.length) return '';
  const end = line + 1 < starts.length ? starts[line + 1] : text.length;
  return text.slice(starts[line], end).replace(/\r?\n$|\r$/, '');
}

/**
 * Line starts (after `\r\n`, a lone `\r` or `\n`, as positions count them) and the line break of
 * the last text asked about: the fixes of every finding of one document ask about the same text,
 * and scanning it from the top for each (8,000 findings, every keystroke) was quadratic.
 */
let lines: { text: string; starts: number[]; eol: string } | undefined;

function linesOf(text: string): { starts: number[]; eol: string } {
  if (lines?.text !== text) lines = { text, starts: lineStarts(text), eol: text.includes('\r\n') ? '\r\n' : '\n' };
  return lines;
}

export function indentationOf(text: string, line: number): string {
  return /^[ \t]*/.exec(lineText(text, line))![0];
}

/** The line break the file uses, so inserted lines match it. */
export function eol(text: string): string {
  return linesOf(text).eol;
}

/**
 * Where the line after `row` starts; on the text's last line, which no line break ends, the end
 * of that line: a position past the last line is outside the document.
 */
export function afterLine(text: string, row: number): { position: Position; broken: boolean } {
  const { starts } = linesOf(text);
  if (row + 1 < starts.length) return { position: { line: row + 1, character: 0 }, broken: true };
  return { position: { line: row, character: lineText(text, row).length }, broken: false };
}

/** Removes `node`'s whole line(s) when nothing else is on them, else just the node. */
export function deleteStatement(text: string, node: SyntaxNode): TextEdit {
  const first = lineText(text, node.startPosition.row);
  const last = lineText(text, node.endPosition.row);
  const aloneOnLines =
    first.slice(0, node.startPosition.column).trim() === '' && last.slice(node.endPosition.column).trim() === '';
  if (!aloneOnLines) return replace(node, '');
  const after = afterLine(text, node.endPosition.row);
  const row = node.startPosition.row;
  // On the last line, which no line break ends, the break before it goes instead: no empty line is left.
  const start = after.broken || row === 0 ? { line: row, character: 0 } : { line: row - 1, character: lineText(text, row - 1).length };
  return { range: { start, end: after.position }, newText: '' };
}

/** Named descendants of `root` (including itself) of the given type, in document order. */
export function descendants(root: SyntaxNode, type: string | string[]): SyntaxNode[] {
  return root.descendantsOfType(type);
}

/**
 * Identifier nodes in the file that refer to the item `name` (a static), excluding its declaration.
 * Name-based: a local binding with the same name shadows it, so callers refuse to rewrite when one
 * exists (see `isShadowed`).
 */
export function usesOf(root: SyntaxNode, name: string, declaration: SyntaxNode): SyntaxNode[] {
  return root.descendantsOfType('identifier').filter((id) => {
    if (id.text !== name || id.startIndex === declaration.startIndex) return false;
    const parent = id.parent;
    // `x.NAME` is a field, `NAME: T` in a struct literal shorthand is handled as a use.
    if (parent?.type === 'field_expression' && parent.childForFieldName('field')?.startIndex === id.startIndex) return false;
    if (parent?.type === 'scoped_identifier' && parent.childForFieldName('name')?.startIndex !== id.startIndex) return false;
    return true;
  });
}

/**
 * The uses of the static `item` in the file: its name wherever it resolves to this item, not a
 * namesake. A `use` that imports it is no use: it names the item, whatever its type becomes.
 */
export function usesOfStatic(tree: Tree, item: SyntaxNode): SyntaxNode[] {
  const name = item.childForFieldName('name');
  if (!name) return [];
  const cache = perTree(tree);
  let uses = cache.uses.get(item.id);
  if (!uses) {
    // Index ranges, not parent walks: a node's parent costs a walk down from the root in tree-sitter.
    const imports = tree.rootNode.descendantsOfType('use_declaration').map((u) => [u.startIndex, u.endIndex]);
    const inImport = (id: SyntaxNode) => imports.some(([start, end]) => start <= id.startIndex && id.endIndex <= end);
    uses = usesOf(tree.rootNode, name.text, name).filter((id) => !inImport(id) && cache.scopes.resolve(id)?.id === item.id);
    cache.uses.set(item.id, uses);
  }
  return uses;
}

/**
 * The fixes of every finding of a file are computed from one tree: its static scopes and the
 * uses of each static are worked out once per tree, not once per finding (a file with thousands
 * of references to one `static mut` would otherwise cost thousands of walks of the whole file).
 */
interface TreeCache {
  scopes: StaticScopes;
  uses: Map<number, SyntaxNode[]>;
  memo: Map<string, unknown>;
}
const TREE_CACHE = new WeakMap<Tree, TreeCache>();

function perTree(tree: Tree): TreeCache {
  let cache = TREE_CACHE.get(tree);
  if (!cache) {
    cache = { scopes: new StaticScopes(tree.rootNode), uses: new Map(), memo: new Map() };
    TREE_CACHE.set(tree, cache);
  }
  return cache;
}

/** `compute()` once per tree and key: for results every finding of one item shares. */
export function memoPerTree<T>(tree: Tree, key: string, compute: () => T): T {
  const memo = perTree(tree).memo;
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key) as T;
}

export function staticScopesOf(tree: Tree): StaticScopes {
  return perTree(tree).scopes;
}

/** True when some binding pattern, parameter or closure parameter in the file introduces `name`. */
export function isShadowed(root: SyntaxNode, name: string): boolean {
  for (const id of root.descendantsOfType('identifier')) {
    if (id.text !== name) continue;
    const p = id.parent;
    if (!p) continue;
    if (p.type === 'let_declaration' && p.childForFieldName('pattern')?.startIndex === id.startIndex) return true;
    if (p.type === 'parameter' && p.childForFieldName('pattern')?.startIndex === id.startIndex) return true;
    if (p.type === 'closure_parameters' || p.type === 'tuple_pattern' || p.type === 'mut_pattern') return true;
  }
  return false;
}

/** The expression a use of a static stands for: `NAME` itself or a path `crate::NAME`. */
export function useExpression(id: SyntaxNode): SyntaxNode {
  const parent = id.parent;
  return parent?.type === 'scoped_identifier' ? parent : id;
}

/** Whether `inner` lies within `outer` (inclusive). */
export function contains(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

export function hasChildOfType(node: SyntaxNode, type: string): boolean {
  for (let i = 0; i < node.childCount; i++) if (node.child(i)?.type === type) return true;
  return false;
}

/**
 * Inside a macro's token tree nothing is parsed as an expression: `X.as_ref()` is the tokens `X`,
 * `.`, `as_ref`, `(…)`. Recognises that shape after `id` and returns the method name and the token
 * tree of its arguments.
 */
export function macroMethodCall(id: SyntaxNode): { method: string; args: SyntaxNode } | undefined {
  if (id.parent?.type !== 'token_tree') return undefined;
  const dot = id.nextSibling;
  const name = dot?.nextSibling;
  const args = name?.nextSibling;
  if (dot?.type !== '.' || name?.type !== 'identifier' || args?.type !== 'token_tree' || !args.text.startsWith('(')) return undefined;
  return { method: name.text, args };
}

/** `X.` directly followed by a member, in code or in a macro's tokens. */
export function isReceiver(expr: SyntaxNode): boolean {
  const parent = expr.parent;
  if (!parent) return false;
  if (parent.type === 'token_tree') return expr.nextSibling?.type === '.' || expr.nextSibling?.type === '[';
  return (parent.type === 'field_expression' || parent.type === 'index_expression') && parent.namedChildren[0]?.startIndex === expr.startIndex;
}

/**
 * Whether a fix that needs Rust `version` (for `what`, e.g. `LazyLock`) compiles in this crate: not
 * offered when the crate's known Rust version is older; offered with the requirement in its title
 * when the version is unknown. A `#[clippy::msrv = "…"]` on an item around the finding (or a
 * `#![clippy::msrv]` at the top of its module) narrows the crate's version for that code, as it
 * does for clippy.
 */
export function requires(ctx: FixContext, version: string, what: string): { offered: boolean; note: string } {
  const msrv = itemMsrv(ctx);
  const ok = supports(msrv ? { ...ctx.toolchain, rustVersion: msrv } : ctx.toolchain, version);
  if (ok === false) return { offered: false, note: '' };
  return { offered: true, note: ok ? '' : ` (${what} needs Rust ${version})` };
}

const MSRV_ATTRIBUTE = /^#!?\[\s*clippy\s*::\s*msrv\s*=\s*"(\d+\.\d+(?:\.\d+)?)"\s*\]$/;

function itemMsrv(ctx: FixContext): string | undefined {
  const { start, end } = ctx.finding.range;
  let node: SyntaxNode | null = ctx.tree.rootNode.descendantForPosition({ row: start.line, column: start.character }, { row: end.line, column: end.character });
  for (; node && node.type !== 'source_file'; node = node.parent) {
    // Outer attributes are the item's preceding siblings; inner ones open a module's body.
    for (let sibling = node.previousNamedSibling; sibling?.type === 'attribute_item' || sibling?.type === 'line_comment'; sibling = sibling.previousNamedSibling) {
      const m = MSRV_ATTRIBUTE.exec(sibling.text);
      if (m) return m[1];
    }
    if (node.type === 'declaration_list') {
      for (const child of node.namedChildren) {
        if (child.type !== 'inner_attribute_item') break;
        const m = MSRV_ATTRIBUTE.exec(child.text);
        if (m) return m[1];
      }
    }
  }
  return undefined;
}
