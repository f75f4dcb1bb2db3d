/**
 * Parsing Rust with tree-sitter. The binding (native, or web-tree-sitter as a fallback) is chosen
 * in `binding.ts`; the engine only sees these functions and the native binding's types, which both
 * bindings' trees satisfy.
 */
import type Parser = require('tree-sitter');
import { BindingName, QueryLike, binding, selectBinding } from './binding';

export type Tree = Parser.Tree;
export type SyntaxNode = Parser.SyntaxNode;
export type Edit = Parser.Edit;

/** Chooses the binding (entry points call this once before parsing); resolves to its name. */
export async function initParser(log?: (message: string) => void): Promise<BindingName> {
  return (await selectBinding(log)).name;
}

/**
 * Parses Rust source. With `oldTree` (already `edit()`ed to match `text`) tree-sitter reuses the
 * unchanged parts.
 */
export function parseRust(text: string, oldTree?: Tree): Tree {
  return binding().parse(text, oldTree) as Tree;
}

export interface Query {
  matches(node: SyntaxNode): { captures: { name: string; node: SyntaxNode }[] }[];
}

export function rustQuery(source: string): Query {
  return binding().query(source) as QueryLike as unknown as Query;
}
