/**
 * Path resolution through `use` declarations, so `forget(x)` after `use std::mem::forget` and
 * `mem::forget(x)` after `use std::mem` are both `std::mem::forget`.
 */
import { SyntaxNode } from '../parsing/parser';

/** Local name → full path segments (`forget` → ['std', 'mem', 'forget']). */
export interface UseMap {
  names: Map<string, string[]>;
  /** Prefixes imported with `*`: `use std::mem::*` makes any `forget` resolve under std::mem. */
  globs: string[][];
}

/** `core::` and `alloc::` re-export into `std::`; treat them as one crate. */
function normalize(segments: string[]): string[] {
  if (segments[0] === 'core' || segments[0] === 'alloc') return ['std', ...segments.slice(1)];
  if (segments[0] === '') return normalize(segments.slice(1));
  return segments;
}

/** Splits a path's text into segments, dropping generic arguments (`Vec::<u8>::leak`). */
export function pathSegments(node: SyntaxNode): string[] {
  let text = node.text;
  let previous;
  do {
    previous = text;
    text = text.replace(/<[^<>]*>/g, '');
  } while (text !== previous);
  return text
    .split('::')
    .map((s) => s.trim())
    .filter((s, i) => s !== '' || i === 0);
}

/** Builds the use map from a file's `use_declaration` nodes. */
export function collectUses(declarations: SyntaxNode[]): UseMap {
  const map: UseMap = { names: new Map(), globs: [] };
  for (const decl of declarations) {
    const arg = decl.childForFieldName('argument');
    if (arg) addUseTree(arg, [], map);
  }
  return map;
}

function addUseTree(node: SyntaxNode, prefix: string[], map: UseMap): void {
  switch (node.type) {
    case 'identifier':
    case 'scoped_identifier': {
      const segs = normalize([...prefix, ...pathSegments(node)]);
      map.names.set(segs[segs.length - 1], segs);
      return;
    }
    case 'self':
      if (prefix.length) map.names.set(prefix[prefix.length - 1], normalize(prefix));
      return;
    case 'use_as_clause': {
      const path = node.childForFieldName('path');
      const alias = node.childForFieldName('alias');
      if (path && alias) map.names.set(alias.text, normalize([...prefix, ...pathSegments(path)]));
      return;
    }
    case 'use_wildcard': {
      const path = node.namedChild(0);
      map.globs.push(normalize([...prefix, ...(path ? pathSegments(path) : [])]));
      return;
    }
    case 'scoped_use_list': {
      const path = node.childForFieldName('path');
      const list = node.childForFieldName('list');
      const next = path ? [...prefix, ...pathSegments(path)] : prefix;
      if (list) for (const child of list.namedChildren) addUseTree(child, next, map);
      return;
    }
    case 'use_list':
      for (const child of node.namedChildren) addUseTree(child, prefix, map);
      return;
  }
}

/** Resolves a path node (identifier or scoped identifier) to its full segments where `use` says. */
export function resolvePath(node: SyntaxNode, uses: UseMap): string[] {
  const segs = pathSegments(node);
  const head = uses.names.get(segs[0]);
  if (head) return normalize([...head, ...segs.slice(1)]);
  return normalize(segs);
}

/**
 * True when `resolved` names the API `tail` (e.g. ['Box', 'leak']). A bare name that is only the
 * last segment must have been imported from the expected module (`std::mem` for `forget`), so a
 * function of the user's own called `forget` does not match.
 */
export function pathMatches(resolved: string[], tail: string[], module?: string[]): boolean {
  if (resolved.length < tail.length) return false;
  const offset = resolved.length - tail.length;
  for (let i = 0; i < tail.length; i++) if (resolved[offset + i] !== tail[i]) return false;
  if (!module) return true;
  if (resolved.length === tail.length) return false;
  const prefix = resolved.slice(0, offset);
  // A prefix of just the last module segment (`mem::forget`) is accepted: `mem` is std's in practice.
  return endsWith(module, prefix) || endsWith(prefix, module);
}

function endsWith(a: string[], b: string[]): boolean {
  if (b.length > a.length) return false;
  const off = a.length - b.length;
  return b.every((s, i) => a[off + i] === s);
}

/** Resolves a bare identifier that may come from a glob import of `module`. */
export function globProvides(uses: UseMap, module: string[]): boolean {
  return uses.globs.some((g) => g.length === module.length && g.every((s, i) => s === module[i]));
}
