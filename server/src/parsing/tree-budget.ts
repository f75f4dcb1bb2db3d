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
 * 128,000 deep. That tree alone can exceed the bound, though (450,000 nodes are 45 to 70 MB, and
 * Node.js with the analysis's code takes 68): a file the CLI analyses is held to the far smaller
 * `analysisAllowance`, which leaves room for its sites, and which the files the CLI parses in
 * that corpus (those with a leak word) all fit with more than half to spare.
 *
 * The tree of a refused file must not be built either (4.9 MB of `x;` statements: 500 MB), so a
 * file that could be too dense is first parsed in pieces of up to 64 KB, each counted and dropped: a
 * piece's tree is at most a few megabytes, and the count is the whole tree's but for the few
 * nodes where a piece cuts a construct in two. A file so small, or so sparse, that even the
 * densest code (`{{{…}}}`, `;;;…`: two nodes per visible character) would fit its allowance is not
 * counted: almost every file. Nor is more of a file counted than it takes to prove its whole
 * tree can be built: the count stops once the nodes counted, with at most two per token of the
 * text left, fit, and a piece is no larger than that may need. A count costs as much as a parse or more (a piece cut inside deep nesting
 * recovers from an error at every level): counting every piece of a file of 165 KB of nested
 * closures doubled what its parse cost, a step in time where files grow past the size that
 * needs the count, while its first piece is all the proof it needs.
 */

/** Nodes allowed per character of source, on top of the floor. */
export const TREE_NODES_PER_CHAR = 0.25;
/** Nodes any file may have whatever its size (a tree of 450,000 nodes is 45 to 70 MB). */
export const TREE_NODES_FLOOR = 450_000;

export function treeAllowance(chars: number): number {
  return Math.floor(TREE_NODES_PER_CHAR * chars) + TREE_NODES_FLOOR;
}

type Parsed = { rootNode: { descendantCount: number } };
type Parse = (text: string) => Parsed;

/** What a file's analysis costs beyond its process's start-up, and what the bound leaves it. */
export interface AnalysisCosts {
  /** What is left of the bound's 100 MB once the process is up and has analysed a first file. */
  headroom: number;
  /** Per node of the syntax tree. */
  bytesPerNode: number;
  /** Per site the analysis finds. */
  bytesPerSite: number;
}

/**
 * The CLI's analysis of a file costs, beyond its start-up, about 230 bytes per node of the
 * syntax tree: the tree itself (100 to 160 bytes), the parser's stack while it reads deep
 * nesting or a long run of comments, and what walking deep nesting takes (20,000 more nested
 * blocks or `if`s, or 100,000 more comment lines: 19 to 21 MB more at the peak for 100,000 more
 * nodes; 38,500 nested blocks peaked at 93 to 101 MB from run to run with 200 bytes); and 3 KB
 * per site it finds: its facts, its finding and their share of the report (20,000 references to a
 * `static mut`: 3 KB each in SARIF, 2.5 in JSON and text). The headroom is what is left of the
 * bound's 100 MB once Node.js, the bundle, the parser and the analysis's compiled code are in (68
 * to 73 MB after a file of 1,000 leak statements), with 4 MB to spare.
 */
export const CLI_COSTS: AnalysisCosts = { headroom: 28 * 1024 * 1024, bytesPerNode: 230, bytesPerSite: 3_000 };

/**
 * The language server's, for an open document analysed on opening and then on every keystroke
 * (bench/lsp-allowance.mjs measures each dense shape at its allowance, opened and edited 20
 * times). Less headroom than the CLI: the server is 60 MB before it reads anything and about 70 MB
 * once a document has been opened and edited (its compiled code, the connection's buffers), and
 * each keystroke builds a new tree beside the one it replaces and a new reading beside the last;
 * what each leaves behind is freed as the bound nears (lsp/memory-bound.ts). More per site than
 * the CLI: an edit of a statement that names a static re-reads, classifies and publishes every
 * statement naming it (3,048 references to one `static mut` peaked at 106 MB after 20 edits,
 * against 101 MB, with 3 KB per site; 1,784 of them, with 4.5 KB, at 99 MB after 20 edits and 100
 * MB after 100; with these costs 1,624 of them, at 92 to 94 MB after 100).
 */
export const SERVER_COSTS: AnalysisCosts = { headroom: 9 * 1024 * 1024, bytesPerNode: 150, bytesPerSite: 5_000 };

/** Leak Lens's memory bound, for the CLI and the language server alike: a peak resident size of at most `BOUND_BASE` plus `BOUND_PER_CHAR` bytes per character (byte) of input. */
export const BOUND_BASE = 100 * 1024 * 1024;
export const BOUND_PER_CHAR = 20;

/**
 * What the analysis's compiled code takes once it has run (56 MB at start-up, 68 MB after a first
 * small file), less 4 MB: memory a file refused before its analysis has not spent yet.
 */
const ANALYSIS_CODE = 8 * 1024 * 1024;

/**
 * The tree the CLI (or, with `SERVER_COSTS`, the language server) may build for a file it
 * analyses, which the analysis of `sites` sites shares the memory bound with: far less than
 * `treeAllowance` (for 100 KB: 136,348 nodes against 475,000), and less for each site. Real code
 * stays well below: the largest trees the CLI parses in the standard library and the Debian
 * crates (hashbrown's `map.rs`, winapi's `winnt.rs`: 67,000 nodes) have under half of theirs.
 * What it refuses: over 4,300 leak statements in one function (118 KB), 33,000 nested blocks,
 * 81,000 comment lines. A real file over about a megabyte that holds a leak word is refused too:
 * its tree alone (real code: 0.2 to 0.4 nodes per character, 100 to 160 bytes each) exceeds the
 * bound.
 */
export function analysisAllowance(chars: number, sites: number, costs = CLI_COSTS): number {
  return Math.floor((costs.headroom + BOUND_PER_CHAR * chars - costs.bytesPerSite * sites) / costs.bytesPerNode);
}

/** Why `sites` sites are too many for `chars` characters whatever their tree (`analysisAllowance` is not positive). */
export function tooManySites(chars: number, sites: number, costs = CLI_COSTS): string {
  return `too dense to analyse within memory bounds: it may hold ${count(sites)} leak sites, more than ${count(Math.floor((costs.headroom + BOUND_PER_CHAR * chars) / costs.bytesPerSite))} for ${count(chars)} characters${HINT}`;
}

/**
 * Whether a file of `chars` characters is within its allowance whatever it holds: at most three
 * nodes per character (`MAX_NODES_PER_VISIBLE_CHAR`) and a site per three (`Rc Rc Rc`).
 */
export function cannotExceed(chars: number, costs = CLI_COSTS): boolean {
  return (MAX_NODES_PER_VISIBLE_CHAR * costs.bytesPerNode + costs.bytesPerSite / 3 - BOUND_PER_CHAR) * chars <= costs.headroom;
}

/** Why the tree of `text` is too large to analyse, or undefined when it is not. */
export function treeTooDense(tree: Parsed, text: string, allowed = treeAllowance(text.length), sites = 0): string | undefined {
  const nodes = tree.rootNode.descendantCount;
  return nodes <= allowed ? undefined : refusal(`has ${count(nodes)} nodes`, allowed, text.length, sites);
}

/**
 * Nodes per token (each run of word characters, each other visible character) that no input
 * exceeds as far as we found: every token is a leaf, and at most one more node wraps each (`-x`,
 * `*x`, `&x`, `;;;`: two; `{{{…}}}`, `Rc<Rc<…>>`, leak statements: 1.4 to 2; real code at most
 * 1.5). An input beyond it is parsed whole and then refused by its tree's own count.
 */
const MAX_NODES_PER_TOKEN = 2;
/** A line comment's nodes (`line_comment` and its `//`), whatever its words; a doc comment's (`///`, `//!`: its marker and text too). */
const COMMENT_NODES = 2;
const DOC_COMMENT_NODES = 5;

/**
 * The tree of `text` for the CLI to analyse with `sites` sites (`siteWordCount`), or why it is
 * too dense for that (`analysisAllowance`), found before the tree is built where building it could
 * itself exceed the bound (`tooDenseToBuild`). The caller releases the tree, also a refused one.
 */
export async function parseWithinBudget<T extends Parsed>(text: string, sites: number, parse: (text: string) => T, settle: () => Promise<void>): Promise<{ tree?: T; refused?: string }> {
  const early = await tooDenseToBuild(text, sites, parse, settle);
  if (early) return { refused: early };
  const tree = parse(text);
  return { tree, refused: treeTooDense(tree, text, analysisAllowance(text.length, sites), sites) };
}

/**
 * Why the tree of `text`, which may hold `sites` sites, must not even be built for an analysis
 * with these `costs`, or undefined: too many sites for any tree, or, where even the densest code
 * could not be built whole within what the bound leaves a file refused only then, a tree counted
 * in pieces over the allowance (`tooDenseToParse`). Then parse it, and check the tree itself with
 * `treeTooDense`.
 */
export async function tooDenseToBuild(text: string, sites: number, parse: Parse, settle: () => Promise<void>, costs = CLI_COSTS): Promise<string | undefined> {
  const allowed = analysisAllowance(text.length, sites, costs);
  if (allowed <= 0) return tooManySites(text.length, sites, costs);
  // Parsed whole where even the densest code would fit what the bound leaves a file refused only
  // then: counting in pieces costs another parse, and a file near its allowance is analysed.
  // A file has no more tokens than characters: most are too small to need the count (under ~86,000 characters).
  const wholeFits = Math.floor((costs.headroom + ANALYSIS_CODE + BOUND_PER_CHAR * text.length) / costs.bytesPerNode);
  if (MAX_NODES_PER_TOKEN * text.length > wholeFits && nodeBound(text) > wholeFits) {
    return tooDenseToParse(text, parse, settle, allowed, sites, wholeFits);
  }
  return undefined;
}

/** What each ASCII character is to `nodeBound`: 0 blank or control, 1 word, 2 other visible, 3 line end. */
const CHAR_CLASS = new Uint8Array(128).map((_, c) => ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 ? 1 : c > 32 ? 2 : c === 10 || c === 13 ? 3 : 0));
const LINE_END = 3;

/**
 * At most how many nodes the tree of `text` has from `start` to `end`: `MAX_NODES_PER_TOKEN` per
 * token (each run of word characters, any non-ASCII one included, and each other visible character
 * alone), but a line that starts with `//` at most a comment's nodes whatever its words. A third
 * of the standard library's text is such lines (a fifth of the Debian crates'), whose tokens
 * overstate their nodes threefold and more: a file of 81,408 comment lines (407 KB) has 162,845
 * nodes, which its tokens put at up to 488,488, and was counted in pieces, another parse.
 *
 * By table: it reads every character of each large file the CLI parses, and the comparisons
 * written out took 30% longer (175 against 135 ms over the corpus's 82 files over 86 KB).
 */
export function nodeBound(text: string, start = 0, end = text.length): number {
  let tokens = 0;
  let comments = 0;
  let previous = 0;
  // A lone `\r` ends a line for the parser too (parserInput).
  let lineStart = start === 0 || CHAR_CLASS[text.charCodeAt(start - 1)] === LINE_END;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 47 && lineStart && text.charCodeAt(i + 1) === 47) {
      // A line from `//` after nothing but blanks is a line comment, or the middle of a block
      // comment (no node of its own) or of a string literal (a `string_content`, and an
      // `escape_sequence` per backslash with a `string_content` after each). A string or a block
      // comment may also end within the line, and code follow it: a line with a `"` or a `*\/`
      // is counted by its tokens.
      let backslashes = 0;
      let j = i + 2;
      for (; j < end; j++) {
        const d = text.charCodeAt(j);
        if (d === 10 || d === 13 || d === 34 || (d === 47 && text.charCodeAt(j - 1) === 42)) break;
        if (d === 92) backslashes++;
      }
      const stop = text.charCodeAt(j);
      if (j === end || stop === 10 || stop === 13) {
        const third = text.charCodeAt(i + 2);
        comments += Math.max(third === 47 || third === 33 ? DOC_COMMENT_NODES : COMMENT_NODES, 2 * backslashes + 1);
        i = j - 1;
        previous = 0;
        continue;
      }
    }
    const kind = c < 128 ? CHAR_CLASS[c] : 1;
    if (kind === 2 || (kind === 1 && previous !== 1)) tokens++;
    lineStart = kind === LINE_END || (lineStart && kind === 0);
    previous = kind;
  }
  return MAX_NODES_PER_TOKEN * tokens + comments;
}

/** Nodes per visible character that no Rust code exceeds (the densest is two), with room. */
const MAX_NODES_PER_VISIBLE_CHAR = 3;
const PIECE = 1 << 16;
/**
 * What pieces are made of: a piece is as many segments as its count may need to settle what is
 * left to prove, up to `PIECE`. Each segment ends at a line end where one is within a segment's
 * length, and is cut inside the line where none is.
 */
const SEGMENT = 1 << 12;
/** A piece's bound, against what is left to prove (`tooDenseToParse`): its count takes a third or more off its bound in the dense shapes. */
const PIECE_PER_EXCESS = 3;

/** Counts the work of the estimate (pieces parsed, and their characters): tests bound it. */
export const estimateStats = { piecesParsed: 0, charsParsed: 0 };

/**
 * Whether a file of `chars` characters could have more nodes than its allowance at all: not below
 * 163,000 characters (almost every file), which therefore need neither check.
 */
export function mayBeTooDense(chars: number): boolean {
  return MAX_NODES_PER_VISIBLE_CHAR * chars > treeAllowance(chars);
}

/** Nodes of pieces parsed between two `settle` calls (5 to 8 MB of trees): 170 KB of real code, or a piece of dense code. */
const NODES_PER_SETTLE = 50_000;

/**
 * Why `text` is too dense to parse whole (its tree counted in pieces exceeds the allowance), or
 * undefined: then parse it, and check the tree itself with `treeTooDense`. The count stops, with
 * undefined, as soon as the nodes counted and the `nodeBound` of the text left fit `buildable`,
 * the tree that may be built whole; each piece is only as large as that may take
 * (`PIECE_PER_EXCESS`), and at most `PIECE`. `settle` frees the
 * pieces' trees dropped so far (native trees go only when the garbage collector has run and the
 * event loop turns).
 */
export async function tooDenseToParse(text: string, parse: Parse, settle: () => Promise<void>, allowed = treeAllowance(text.length), sites = 0, buildable = allowed): Promise<string | undefined> {
  if (MAX_NODES_PER_VISIBLE_CHAR * text.length <= allowed) return undefined;
  let visible = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 32) visible++;
  if (MAX_NODES_PER_VISIBLE_CHAR * visible <= allowed) return undefined;
  const segments = cut(text);
  // Each segment's own: a word a cut splits counts in both, so their sum bounds the text's.
  let left = 0;
  for (const segment of segments) left += segment.bound;
  let nodes = 0;
  let unsettled = 0;
  for (let next = 0; next < segments.length && nodes + left > buildable; ) {
    const excess = nodes + left - buildable;
    const start = segments[next].start;
    let bound = 0;
    do bound += segments[next++].bound;
    while (next < segments.length && segments[next].end - start <= PIECE && bound < PIECE_PER_EXCESS * excess);
    const end = segments[next - 1].end;
    const pieceNodes = countPiece(text.slice(start, end), parse);
    nodes += pieceNodes;
    unsettled += pieceNodes;
    left -= bound;
    estimateStats.piecesParsed++;
    estimateStats.charsParsed += end - start;
    if (unsettled >= NODES_PER_SETTLE) {
      await settle();
      unsettled = 0;
    }
    if (nodes + 1 > allowed) {
      await settle();
      return refusal(`would have over ${count(nodes + 1)} nodes (counted in pieces of ${PIECE / 1024} KB)`, allowed, text.length, sites);
    }
  }
  // Before the whole tree is built beside them.
  if (unsettled > 0) await settle();
  return undefined;
}

/** The segments of `text` (`SEGMENT`), each with its `nodeBound`. */
function cut(text: string): { start: number; end: number; bound: number }[] {
  const segments = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + SEGMENT);
    // Not past the next segment: a file of one long line would be read to its end for every one.
    const newline = text.slice(end, end + SEGMENT).indexOf('\n');
    if (end < text.length && newline >= 0) end += newline + 1;
    segments.push({ start, end, bound: nodeBound(text, start, end) });
    start = end;
  }
  return segments;
}

/**
 * The nodes of a piece's tree, which is dropped on return: a tree still referenced from the
 * loop's frame when it awaits `settle` would survive the collection meant to free it (and be
 * resident beside the whole file's tree: 12 MB more for 190 KB of nested closures).
 */
function countPiece(text: string, parse: Parse): number {
  const { source, added } = closed(text);
  const piece = parse(source);
  // Each piece has a root of its own; the file has one. The brackets added are not the file's.
  const nodes = piece.rootNode.descendantCount - 1 - added;
  // web-tree-sitter's trees live in the wasm heap until deleted.
  (piece as { delete?: () => void }).delete?.();
  return nodes;
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

const HINT = '; if it is generated, leave it out with `exclude` in leak-lens.toml';

function refusal(tree: string, allowed: number, chars: number, sites: number): string {
  const within = ` for ${count(chars)} characters${sites > 0 ? ` and ${count(sites)} possible leak site${sites === 1 ? '' : 's'}` : ''}`;
  return `too dense to analyse within memory bounds: its syntax tree ${tree}, more than the ${count(allowed)} allowed${within} (real code has under half a node per character)${HINT}`;
}
