/**
 * How large a syntax tree a file may have for its size. Tree-sitter's tree of dense code takes
 * 100 to 160 bytes of native memory per node, about 70 bytes per byte of source for a function
 * of 40,000 `Box::leak(Box::new(1));` statements (0.68 nodes per character), and every site the
 * analysis then finds costs about a kilobyte more. Leak Lens aims at a peak memory of at most
 * 20 times the input plus 100 MB; a file whose tree is far denser than code ever is cannot be
 * analysed within that, so it is refused with an input error, never dropped in silence.
 *
 * The allowance was measured on real code, so that none of it is refused: among the standard
 * library's and the Debian-packaged crates' 4,198 files, the largest tree is 663,000 nodes
 * (stdarch's `arm_shared/neon/generated.rs`, 1.7 MB, 0.39 nodes per character; its allowance is
 * 880,000), and no file over 100 KB has more than 0.42 nodes per character. What is refused:
 * leak statements beyond about 1 MB, comment lines beyond about 3 MB, blocks nested over about
 * 128,000 deep.
 */

/** Nodes allowed per character of source, on top of the floor. */
export const TREE_NODES_PER_CHAR = 0.25;
/** Nodes any file may have whatever its size (a tree of 450,000 nodes is 45 to 70 MB). */
export const TREE_NODES_FLOOR = 450_000;

export function treeAllowance(chars: number): number {
  return Math.floor(TREE_NODES_PER_CHAR * chars) + TREE_NODES_FLOOR;
}

/** Why the tree of `text` is too large to analyse, or undefined when it is not. */
export function treeTooDense(tree: { rootNode: { descendantCount: number } }, text: string): string | undefined {
  const nodes = tree.rootNode.descendantCount;
  const allowed = treeAllowance(text.length);
  if (nodes <= allowed) return undefined;
  const n = (x: number) => x.toLocaleString('en');
  return `too dense to analyse within memory bounds: its syntax tree has ${n(nodes)} nodes, more than the ${n(allowed)} allowed for ${n(text.length)} characters (real code has under half a node per character); if it is generated, leave it out with \`exclude\` in leak-lens.toml`;
}
