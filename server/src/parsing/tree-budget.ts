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
 *
 * The tree of a refused file must not be built either (4.9 MB of `x;` statements: 500 MB), so a
 * file that could be too dense is first parsed in pieces of 64 KB, each counted and dropped: a
 * piece's tree is at most a few megabytes, and the count is the whole tree's but for the few
 * nodes where a piece cuts a construct in two. A file so small, or so sparse, that even the
 * densest code (`{{{…}}}`, `;;;…`: two nodes per visible character) would fit its allowance is not
 * counted: almost every file.
 */

/** Nodes allowed per character of source, on top of the floor. */
export const TREE_NODES_PER_CHAR = 0.25;
/** Nodes any file may have whatever its size (a tree of 450,000 nodes is 45 to 70 MB). */
export const TREE_NODES_FLOOR = 450_000;

export function treeAllowance(chars: number): number {
  return Math.floor(TREE_NODES_PER_CHAR * chars) + TREE_NODES_FLOOR;
}

type Parse = (text: string) => { rootNode: { descendantCount: number } };


/** Why the tree of `text` is too large to analyse, or undefined when it is not. */
export function treeTooDense(tree: ReturnType<Parse>, text: string): string | undefined {
  const nodes = tree.rootNode.descendantCount;
  const allowed = treeAllowance(text.length);
  return nodes <= allowed ? undefined : refusal(`has ${count(nodes)} nodes`, allowed, text.length);
}

/** Nodes per visible character that no Rust code exceeds (the densest is two), with room. */
const MAX_NODES_PER_VISIBLE_CHAR = 3;
const PIECE = 1 << 16;
/** How far past a piece's end its last line may run before the piece is cut inside the line. */
const LINE_SLACK = 1 << 12;

/** Counts the work of the estimate (characters parsed in pieces): tests bound it. */
export const estimateStats = { piecesParsed: 0 };

/**
 * Whether a file of `chars` characters could have more nodes than its allowance at all: not below
 * 163,000 characters (almost every file), which therefore need neither check.
 */
export function mayBeTooDense(chars: number): boolean {
  return MAX_NODES_PER_VISIBLE_CHAR * chars > treeAllowance(chars);
}

/** Pieces parsed between two `settle` calls (a quarter of a megabyte: their trees are up to 30 MB). */
const PIECES_PER_SETTLE = 4;

/**
 * Why `text` is too dense to parse whole (its tree counted in pieces exceeds the allowance), or
 * undefined: then parse it, and check the tree itself with `treeTooDense`. `settle` frees the
 * pieces' trees dropped so far (native trees go only when the garbage collector has run and the
 * event loop turns).
 */
export async function tooDenseToParse(text: string, parse: Parse, settle: () => Promise<void>): Promise<string | undefined> {
  const allowed = treeAllowance(text.length);
  if (!mayBeTooDense(text.length)) return undefined;
  let visible = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 32) visible++;
  if (MAX_NODES_PER_VISIBLE_CHAR * visible <= allowed) return undefined;
  let nodes = 0;
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + PIECE);
    const newline = text.indexOf('\n', end);
    if (end < text.length && newline >= 0 && newline < end + LINE_SLACK) end = newline + 1;
    const { source, added } = closed(text.slice(start, end));
    const piece = parse(source);
    // Each piece has a root of its own; the file has one. The brackets added are not the file's.
    nodes += piece.rootNode.descendantCount - 1 - added;
    // web-tree-sitter's trees live in the wasm heap until deleted.
    (piece as { delete?: () => void }).delete?.();
    if (++estimateStats.piecesParsed % PIECES_PER_SETTLE === 0) await settle();
    if (nodes + 1 > allowed) return refusal(`would have over ${count(nodes + 1)} nodes (counted in pieces of ${PIECE / 1024} KB)`, allowed, text.length);
    start = end;
  }
  return undefined;
}

const OPENER: Record<number, string> = { 41: '(', 93: '[', 125: '{' };
const CLOSER: Record<number, string> = { 40: ')', 91: ']', 123: '}' };

/**
 * A piece with the brackets it leaves open closed, and those it closes opened: tree-sitter
 * recovers from each unmatched bracket at a cost that grows with the others (a piece of 30,000
 * `};` of the file's nested closures took seconds), while a balanced piece parses as fast as
 * code. Brackets are matched by character, strings and comments included: a wrong guess costs
 * time, not a wrong count beyond a few nodes.
 */
function closed(piece: string): { source: string; added: number } {
  const open: number[] = [];
  let before = '';
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) open.push(c);
    else if (c === 41 || c === 93 || c === 125) {
      if (open.length > 0) open.pop();
      else before = OPENER[c] + before;
    }
  }
  if (before.length === 0 && open.length === 0) return { source: piece, added: 0 };
  let after = '';
  for (let i = open.length - 1; i >= 0; i--) after += CLOSER[open[i]];
  return { source: before + piece + after, added: before.length + after.length };
}

function count(x: number): string {
  return x.toLocaleString('en');
}

function refusal(tree: string, allowed: number, chars: number): string {
  return `too dense to analyse within memory bounds: its syntax tree ${tree}, more than the ${count(allowed)} allowed for ${count(chars)} characters (real code has under half a node per character); if it is generated, leave it out with \`exclude\` in leak-lens.toml`;
}
