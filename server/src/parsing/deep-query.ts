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

/** The nodes exactly `depth` levels below `root`, walking only subtrees long enough to hold them. */
export function nodesAtDepth(root: SyntaxNode, depth: number): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  if ((root.endIndex - root.startIndex) * LEVELS_PER_CHAR < depth) return found;
  const cursor = root.walk();
  let level = 0;
  for (;;) {
    const node = cursor.currentNode;
    const deepEnough = level === depth;
    if (deepEnough) found.push(node);
    const worthEntering = !deepEnough && (node.endIndex - node.startIndex) * LEVELS_PER_CHAR >= depth - level;
    if (worthEntering && cursor.gotoFirstChild()) {
      level++;
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      if (level === 0 || !cursor.gotoParent()) return found;
      level--;
    }
    if (level === 0) return found;
  }
}
