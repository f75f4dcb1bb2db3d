/**
 * Code tree-sitter keeps as tokens, read as Rust: the transcribers of `macro_rules!` definitions
 * (FFI crates generate their bindings with macros) and the arguments of the standard macros
 * (`assert_eq!(x, *Box::from_raw(p))`).
 *
 * One synthetic text per file, of exactly the same length, lines and columns as the original:
 * everything but those regions is blanked, metavariables become identifiers (`$name` → `_name`),
 * repetitions lose their `$( … ),*` punctuation, and each macro definition becomes a function
 * named after the macro whose body holds its transcribers as blocks. Its parse has every node at
 * the position of the token it came from, so findings and reclaims made from it point into the
 * real file, and the real tree's tokens can be mapped to the synthetic nodes they became.
 */
import { SyntaxNode, Tree, parseRust } from '../parsing/parser';
import { SourceFile } from './source';

/** Standard macros whose arguments are expressions. */
const EXPRESSION_MACROS = /^(assert|assert_eq|assert_ne|debug_assert|debug_assert_eq|debug_assert_ne|println|print|eprintln|eprint|format|write|writeln|panic|dbg|vec|unreachable|todo)$/;
/** Arguments worth reading: they may give memory back or hand a pointer on. */
const ARGUMENT_WORDS = /from_raw|dealloc|decrement_strong_count|ManuallyDrop/g;

/**
 * The token trees of standard macros that contain one of `ARGUMENT_WORDS`: found from each
 * occurrence of the word, up through its token trees, rather than by walking every macro call.
 */
function argumentTrees(file: SourceFile): SyntaxNode[] {
  const out = new Map<number, SyntaxNode>();
  for (const m of file.text.matchAll(ARGUMENT_WORDS)) {
    // The word is a token of a token tree (nested ones included) right inside the macro call.
    let n: SyntaxNode | null = file.root.descendantForIndex(m.index!, m.index! + m[0].length).parent;
    while (n?.type === 'token_tree' && n.parent?.type === 'token_tree') n = n.parent;
    n = n?.type === 'token_tree' ? n.parent : null;
    if (n?.type === 'macro_invocation' && EXPRESSION_MACROS.test(n.childForFieldName('macro')?.text ?? '')) {
      const outer = n.namedChildren.find((c) => c.type === 'token_tree');
      if (outer) out.set(outer.startIndex, outer);
    }
  }
  return [...out.values()].sort((a, b) => a.startIndex - b.startIndex);
}
/** Transcribers worth reading: they may hold a site or a reclaim. */
const TRANSCRIBER_WORDS = /\b(leak|into_raw|into_raw_parts|forget|from_raw|from_raw_parts|dealloc|decrement_strong_count)\b|ManuallyDrop|\balloc(_zeroed)?\s*\(/;
const OUTER_WRAPPER = 'fn __(){';

export interface MacroView {
  /** The synthetic file: the real file's `use`s, statics and `extern` functions, the synthetic tree. */
  file: SourceFile;
  tree: Tree;
  /** `[start, end)` indices of transcribers: every site found in them is the real file's. */
  transcribers: [number, number][];
  /** `[start, end)` indices of standard macros' arguments: reclaims and flow only. */
  arguments: [number, number][];
}

/** Builds the view, or nothing when the file has no macro code worth reading. */
export function macroView(file: SourceFile, definitions: SyntaxNode[]): MacroView | undefined {
  const defs = definitions.filter((d) => TRANSCRIBER_WORDS.test(d.text));
  const args = argumentTrees(file)
    .filter((t) => t.startIndex >= OUTER_WRAPPER.length)
    // Arguments inside a definition are its tokens already (both lists are in document order).
    .filter((t) => !insideAny(t, defs));
  if (defs.length === 0 && args.length === 0) return undefined;
  const text = file.text;
  const out = new Array<string>(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text[i] === '\n' || text[i] === '\r' ? text[i] : ' ';
  const write = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) if (out[at + i] !== '\n' && out[at + i] !== '\r') out[at + i] = s[i];
  };
  const copy = (node: SyntaxNode) => {
    for (let i = node.startIndex; i < node.endIndex; i++) out[i] = text[i];
  };

  const transcribers: [number, number][] = [];
  for (const def of defs) {
    const name = def.childForFieldName('name')?.text ?? 'macro';
    // `macro_rules! name {` is longer than `fn name(){`, so the function fits where it was.
    write(def.startIndex, `fn ${name}(){`);
    for (const rule of def.namedChildren.filter((c) => c.type === 'macro_rule')) {
      const right = rule.childForFieldName('right');
      if (!right || right.endIndex - right.startIndex < 2) continue;
      copy(right);
      tokensAsRust(right, out);
      out[right.startIndex] = '{';
      out[right.endIndex - 1] = '}';
      transcribers.push([right.startIndex, right.endIndex]);
    }
    out[def.endIndex - 1] = '}';
  }
  const argumentRanges: [number, number][] = [];
  for (const tt of args) {
    copy(tt);
    tokensAsRust(tt, out);
    const after = tt.endIndex;
    if (after < text.length && out[after] === ' ') out[after] = ';';
    argumentRanges.push([tt.startIndex, tt.endIndex]);
  }
  const regions = [...transcribers, ...argumentRanges, ...defs.map((d): [number, number] => [d.startIndex, d.endIndex])];
  if (argumentRanges.length) {
    // (No spread into Math.min: a generated file can have more regions than a call has arguments.)
    const first = regions.reduce((m, [s]) => Math.min(m, s), Infinity);
    if (first < OUTER_WRAPPER.length) argumentRanges.length = 0;
    else write(0, OUTER_WRAPPER);
  }
  // Nothing after the last region matters: the parse stops there.
  const end = regions.reduce((m, [, e]) => Math.max(m, e), 0) + 1;
  const synthetic = out.slice(0, Math.min(end, text.length)).join('') + (argumentRanges.length ? '}' : '');
  const tree = parseRust(synthetic);
  return { file: new SourceFile(file.path, synthetic, tree, undefined, file), tree, transcribers, arguments: argumentRanges };
}

function insideAny(node: SyntaxNode, sorted: SyntaxNode[]): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].endIndex < node.startIndex) lo = mid + 1;
    else if (sorted[mid].startIndex > node.startIndex) hi = mid - 1;
    else return node.endIndex <= sorted[mid].endIndex;
  }
  return false;
}

/** `$name` → `_name`; `$( … ) sep op` → ` … ` (the tokens repeated, without the repetition's own punctuation). */
function tokensAsRust(tt: SyntaxNode, out: string[]): void {
  for (const v of tt.descendantsOfType('metavariable')) out[v.startIndex] = '_';
  for (const rep of tt.descendantsOfType('token_repetition')) {
    out[rep.startIndex] = ' ';
    const open = rep.child(1);
    if (open?.type === '(') out[open.startIndex] = ' ';
    let close: SyntaxNode | null = null;
    for (let i = rep.childCount - 1; i >= 0; i--) if (rep.child(i)!.type === ')') { close = rep.child(i); break; }
    if (close) for (let i = close.startIndex; i < rep.endIndex; i++) if (out[i] !== '\n' && out[i] !== '\r') out[i] = ' ';
  }
}

export function within(node: SyntaxNode, ranges: [number, number][]): boolean {
  return ranges.some(([s, e]) => s <= node.startIndex && node.endIndex <= e);
}

/** The synthetic node a token of the real tree became (same range), if the view read it. */
export function syntheticNode(view: MacroView, real: SyntaxNode): SyntaxNode | undefined {
  if (!within(real, view.transcribers) && !within(real, view.arguments)) return undefined;
  const n = view.tree.rootNode.descendantForIndex(real.startIndex, real.endIndex);
  return n && n.startIndex === real.startIndex && n.endIndex === real.endIndex && n.text === real.text ? n : undefined;
}
