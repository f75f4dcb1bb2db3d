/**
 * Query matches at any depth. Tree-sitter's query cursor keeps the depth where a match starts in
 * 16 bits: a pattern that starts more than 65,535 levels below the node the query runs from is
 * silently never matched (a leak inside 40,000 nested blocks was no finding, no error, exit 0).
 * So the query runs from the root down to a safe depth, and again from each node at that depth,
 * as often as the nesting needs; the matches are the same as one unlimited run's, in order.
 */
import type { Query, SyntaxNode } from './parser';

type Match = ReturnType<Query['matches']>[number];

/** Well below the 16-bit limit, leaving room for the levels a pattern spans below its start. */
const SAFE_DEPTH = 60_000;
/**
 * No Rust construct nests more than one level per character of source (`!!!!x`, `((((x))))`,
 * `{{{{}}}}` nest one level per one or two), so a node shorter than `(depth to go) / 4`
 * characters cannot reach the safe depth: its subtree is not walked at all. That keeps the walk
 * to a handful of nodes in ordinary files, however large.
 */
const LEVELS_PER_CHAR = 4;

export function matchesAtAnyDepth(query: Query, root: SyntaxNode): Match[] {
  const deep = nodesAtDepth(root, SAFE_DEPTH);
  if (deep.length === 0) return query.matches(root);
  const matches = (query as QueryWithOptions).matches(root, { maxStartDepth: SAFE_DEPTH - 1 });
  for (const node of deep) matches.push(...matchesAtAnyDepth(query, node));
  const start = (m: Match) => m.captures[0]?.node.startIndex ?? 0;
  // Stable: matches starting at the same place keep the query's own order.
  return matches.sort((a, b) => start(a) - start(b));
}

interface QueryWithOptions {
  matches(node: SyntaxNode, options: { maxStartDepth: number }): Match[];
}

/**
 * The nodes exactly `depth` levels below `root`, looking only at children long enough to hold
 * them. Such a child spans at least `need` characters, so it contains one of the points
 * `start, start + need, …` of its parent: probing those with `firstChildForIndex` (the first child
 * ending after a point) finds every one without stepping through the short ones, which in a large
 * file are thousands of items and comment lines on every keystroke.
 */
export function nodesAtDepth(root: SyntaxNode, depth: number): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const stack: { node: SyntaxNode; level: number }[] = [];
  if ((root.endIndex - root.startIndex) * LEVELS_PER_CHAR >= depth) stack.push({ node: root, level: 0 });
  while (stack.length > 0) {
    const { node, level } = stack.pop()!;
    if (level === depth) {
      found.push(node);
      continue;
    }
    const need = Math.ceil((depth - level - 1) / LEVELS_PER_CHAR);
    // One level above: every child is at the depth, however short (a zero-width MISSING node too).
    const long: SyntaxNode[] = need === 0 ? node.children : [];
    const step = Math.max(1, need);
    for (let at = node.startIndex; need > 0 && at < node.endIndex; ) {
      const child = node.firstChildForIndex(at);
      if (!child) break;
      if (child.endIndex <= at) {
        at++;
        continue;
      }
      if (child.endIndex - child.startIndex >= need) {
        long.push(child);
        at = child.endIndex;
      } else at = Math.max(child.endIndex, at + step);
    }
    // Last pushed is walked first: document order.
    for (let i = long.length - 1; i >= 0; i--) stack.push({ node: long[i], level: level + 1 });
  }
  return found;
}
