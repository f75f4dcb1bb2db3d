/**
 * Parsing Rust with tree-sitter. The binding (native, or web-tree-sitter as a fallback) is chosen
 * in `binding.ts`; the engine only sees these functions and the native binding's types, which both
 * bindings' trees satisfy.
 */
import type Parser = require('tree-sitter');
import { BindingName, QueryLike, binding, selectBinding } from './binding';
import { dropNodeLinks, installNodeLinks } from './node-links';

export type Tree = Parser.Tree;
export type SyntaxNode = Parser.SyntaxNode;
export type Edit = Parser.Edit;
export type TreeCursor = Parser.TreeCursor;

/** Chooses the binding (entry points call this once before parsing); resolves to its name. */
export async function initParser(log?: (message: string) => void): Promise<BindingName> {
  return (await selectBinding(log)).name;
}

/**
 * Parses Rust source. With `oldTree` (already `edit()`ed to match `text`) tree-sitter reuses the
 * unchanged parts.
 *
 * Tree-sitter counts rows at `\n` only; the editor, LSP and every report count `\r\n`, `\r` and
 * `\n` each as one line end. The parser reads a lone `\r` as `\n`: the text keeps its length, so
 * offsets do not move, and rows are then the editor's lines (a file with old Mac line ends would
 * otherwise be one long line whose positions point past the end of the editor's lines).
 */
export function parseRust(text: string, oldTree?: Tree): Tree {
  const active = binding();
  const tree = active.parse(parserInput(text), oldTree) as Tree;
  if (!linked.has(active.name)) {
    installNodeLinks(tree);
    linked.add(active.name);
  }
  return tree;
}

/**
 * Frees a tree once nothing reads it any more: whoever parsed it, when done with it. web-tree-sitter
 * trees (and their cursors) live in WebAssembly memory until deleted, and that heap only grows;
 * native trees have no `delete` and are freed by the garbage collector.
 */
export function releaseTree(tree: Tree | undefined): void {
  if (!tree) return;
  dropNodeLinks(tree);
  (tree as { delete?: () => void }).delete?.();
}

/** Frees a cursor: web-tree-sitter cursors live in WebAssembly memory until deleted; native ones until GC. */
export function freeCursor(cursor: TreeCursor): void {
  (cursor as { delete?: () => void }).delete?.();
}

/**
 * Whether two node objects are the same node. The bindings hand out a new object for a node each
 * time it is reached, so identity is its range and type.
 */
export function sameNode(a: SyntaxNode | null | undefined, b: SyntaxNode | null | undefined): boolean {
  return !!a && !!b && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

/** Moves the cursor to its node's first child that ends past `index`; false (left where it was) if none. */
export function firstChildFor(cursor: TreeCursor, index: number): boolean {
  // web-tree-sitter 0.24's own answers false and stays on the first child, whatever the index
  // (its cursors are the ones with `delete`): step there instead, as the native call also does.
  if ('delete' in cursor) {
    if (!cursor.gotoFirstChild()) return false;
    while (cursor.endIndex <= index) {
      if (cursor.gotoNextSibling()) continue;
      cursor.gotoParent();
      return false;
    }
    return true;
  }
  // Native: the child's index, or null.
  const moved: unknown = cursor.gotoFirstChildForIndex(index);
  return moved !== null && moved !== false;
}

/** Bindings whose nodes have constant-time parent and sibling links (`node-links.ts`). */
const linked = new Set<BindingName>();

const LONE_CR = /\r(?!\n)/g;

export function parserInput(text: string): string {
  return text.includes('\r') ? text.replace(LONE_CR, '\n') : text;
}

export interface Query {
  matches(node: SyntaxNode): { captures: { name: string; node: SyntaxNode }[] }[];
}

export function rustQuery(source: string): Query {
  return binding().query(source) as QueryLike as unknown as Query;
}
