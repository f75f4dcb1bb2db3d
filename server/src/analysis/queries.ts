/**
 * The candidate nodes of every rule, found from the words that must spell them.
 *
 * Every capture below starts at a word of its own (`leak`, `static`, `struct`, `*mut`, …), so the
 * candidates are found by one scan of the text for those words, each confirmed by looking at the
 * few nodes around it. A tree-sitter query would visit every node of the tree instead: over the
 * benchmark corpus that visit alone cost more than a third of the analysis, most of it handing
 * back every method call for a name test in JavaScript, while the words occur a few dozen times
 * in a file. The rules then look at their captures only. Capture names are
 * `<rule-family>.<what>`:
 *
 * - `call.path`: `Box::leak(b)`, `Rc::into_raw(rc)`, `mem::forget(x)`, `alloc::alloc(l)`,
 *   `ManuallyDrop::new(x)` (any path ending in `ManuallyDrop`);
 * - `call.ident`: bare calls of imported functions, `forget(x)`, `alloc(layout)`;
 * - `call.method`: `v.leak()`, `s.into_raw()`, `f.into_raw_fd()`, `INIT.call_once(..)`;
 * - `fnref`: a leaking function used as a value, `iter.map(Box::leak)`;
 * - `reclaim`: calls that give memory back, `Box::from_raw(p)`, `dealloc(p, l)`,
 *   `ManuallyDrop::drop(&mut x)`, `Rc::decrement_strong_count(p)`;
 * - `static`, and `decl` (`use`, `extern { … }`): declarations the rules resolve names against;
 * - `macro`: `lazy_static!` / `thread_local!` invocations; `macro.def`: `macro_rules!` definitions
 *   (macros.ts reads them as Rust);
 * - `struct`, `cycle.type` (enums, type aliases): the type declarations;
 * - `copy.impl`: `impl Copy for T` (handles, not owners); `fn.pointer`: a function with a
 *   `*mut T`, `NonNull` or `AtomicPtr` parameter, once per such parameter (a `*const T` one is
 *   read through, not handed ownership).
 * - `cast`: `r as *const T as *mut T`; `method.def`: a function named like a leaking std API.
 */
import { SyntaxNode, sameNode } from '../parsing/parser';

export interface Capture {
  name: string;
  node: SyntaxNode;
}

const LEAKING_CALLS = ['leak', 'into_raw', 'into_raw_parts', 'into_raw_fd', 'into_raw_handle', 'into_raw_socket', 'forget'];
const ALLOCATING_CALLS = ['alloc', 'alloc_zeroed', 'realloc'];
const BARE_CALLS = new Set(['forget', ...ALLOCATING_CALLS]);
const METHODS = new Set(['leak', 'into_raw', 'into_raw_parts', 'into_raw_fd', 'into_raw_handle', 'into_raw_socket', 'call_once', 'call_once_force']);
const FUNCTION_VALUES = new Set(['leak', 'into_raw', 'forget']);
const DEFINED_METHODS = new Set(['leak', 'into_raw', 'forget', 'into_raw_parts']);
const PATH_CALLS = new Set([...LEAKING_CALLS, ...ALLOCATING_CALLS]);
const RECLAIMS = new Set(['from_raw', 'from_raw_parts', 'from_raw_parts_in', 'from_raw_in', 'from_raw_fd', 'dealloc', 'decrement_strong_count', 'drop', 'into_inner', 'take']);
const ITEM_KEYWORDS: Record<string, { parent: string; capture: string }> = {
  static: { parent: 'static_item', capture: 'static' },
  use: { parent: 'use_declaration', capture: 'decl' },
  struct: { parent: 'struct_item', capture: 'struct' },
  enum: { parent: 'enum_item', capture: 'cycle.type' },
  type: { parent: 'type_item', capture: 'cycle.type' },
  'macro_rules!': { parent: 'macro_definition', capture: 'macro.def' },
};

/**
 * The words. A plain alternation of literals, which the regular expression engine scans for
 * fast; the context some words need is tested per match (`CONTEXT`). Suffix words
 * (`ManuallyDrop`, `Copy`) may end a longer name, as a path's last segment does.
 */
const WORDS =
  /(?:\b(?:leak|into_raw|into_raw_parts|into_raw_fd|into_raw_handle|into_raw_socket|forget|call_once|call_once_force|from_raw|from_raw_parts|from_raw_parts_in|from_raw_in|from_raw_fd|decrement_strong_count|lazy_static|thread_local|NonNull|AtomicPtr|alloc|alloc_zeroed|realloc|dealloc|drop|into_inner|take|static|use|extern|struct|enum|type|macro_rules)|ManuallyDrop|Copy)\b|\*(?=\s*mut\b)/g;

/**
 * Names that are also common path segments or methods (`alloc::vec`, `.take()`, `'static`) count
 * only in the form they are captured in: before a call's `(` or a turbofish, after `::`.
 */
const CALLED = /\s*(?:\(|::\s*<)/y;
const CONTEXT: Record<string, (text: string, at: number, end: number) => boolean> = {
  alloc: called,
  alloc_zeroed: called,
  realloc: called,
  dealloc: called,
  drop: afterPath,
  into_inner: afterPath,
  take: afterPath,
  static: (text, at) => text[at - 1] !== "'",
};

function called(text: string, _at: number, end: number): boolean {
  CALLED.lastIndex = end;
  return CALLED.test(text);
}

function afterPath(text: string, at: number): boolean {
  let i = at - 1;
  while (i > 0 && /\s/.test(text[i])) i--;
  return text[i] === ':' && text[i - 1] === ':';
}

/** The order of the kinds of capture on one node (a function both named `leak` and taking a pointer). */
const ORDER = ['call.path', 'call.ident', 'call.method', 'fnref', 'reclaim', 'static', 'decl', 'macro', 'struct', 'cycle.type', 'macro.def', 'copy.impl', 'fn.pointer', 'cast', 'method.def'];

/**
 * The captures of `root`'s tree (the real file's, or a macro view's), in the order of the source.
 * `spans`: only the words inside these ranges of the text (the rest keeps its facts, `chunks.ts`).
 */
export function siteCaptures(root: SyntaxNode, spans: [number, number][] = [[0, Infinity]]): Capture[] {
  const text = root.text;
  const out: Capture[] = [];
  const add = (name: string, node: SyntaxNode) => out.push({ name, node });
  // Spans are offsets in the file; the root starts after any leading whitespace.
  const offset = root.startIndex;
  for (const [from, to] of spans) {
    WORDS.lastIndex = Math.max(0, from - offset);
    for (let m = WORDS.exec(text); m && m.index + offset < to; m = WORDS.exec(text)) wordAt(root, text, m, add);
  }
  const rank = (c: Capture) => ORDER.indexOf(c.name);
  return out.sort((a, b) => a.node.startIndex - b.node.startIndex || b.node.endIndex - a.node.endIndex || rank(a) - rank(b));
}

function wordAt(root: SyntaxNode, text: string, m: RegExpExecArray, add: Add): void {
  let word = m[0];
  if (CONTEXT[word] && !CONTEXT[word](text, m.index, m.index + word.length)) return;
  if (word === 'macro_rules') {
    if (text[m.index + word.length] !== '!') return;
    word = 'macro_rules!';
  }
  const start = root.startIndex + m.index;
  const leaf = root.descendantForIndex(start, start + word.length);
  // A word in a comment, a string or a longer token is not that token.
  if (leaf.endIndex !== start + word.length || (leaf.startIndex !== start && !isSuffixWord(word))) return;
  if (word === '*') pointerType(leaf, add);
  else if (ITEM_KEYWORDS[word]) item(leaf, ITEM_KEYWORDS[word], add);
  else if (word === 'extern') externBlock(leaf, add);
  else if (word === 'ManuallyDrop') manuallyDropNew(leaf, add);
  else if (word === 'Copy') copyImpl(leaf, add);
  else if (word === 'NonNull' || word === 'AtomicPtr') pointerParameter(leaf.parent, leaf, add);
  else if (word === 'lazy_static' || word === 'thread_local') macroCall(leaf, add);
  else if (leaf.type === 'identifier' || leaf.type === 'field_identifier') call(leaf, word, add);
}

type Add = (name: string, node: SyntaxNode) => void;

const isSuffixWord = (word: string) => word === 'ManuallyDrop' || word === 'Copy';


function call(leaf: SyntaxNode, name: string, add: Add): void {
  const parent = leaf.parent;
  if (!parent) return;
  if (parent.type === 'scoped_identifier' && sameNode(parent.childForFieldName('name'), leaf)) {
    const outer = parent.parent;
    if (outer?.type === 'call_expression' && sameNode(outer.childForFieldName('function'), parent)) {
      if (PATH_CALLS.has(name)) add('call.path', outer);
      else if (RECLAIMS.has(name)) add('reclaim', outer);
    } else if (outer?.type === 'arguments' && FUNCTION_VALUES.has(name)) {
      add('fnref', parent);
    }
  } else if (parent.type === 'call_expression' && sameNode(parent.childForFieldName('function'), leaf)) {
    if (BARE_CALLS.has(name)) add('call.ident', parent);
    else if (name === 'dealloc') add('reclaim', parent);
  } else if (parent.type === 'field_expression' && leaf.type === 'field_identifier' && METHODS.has(name)) {
    const outer = parent.parent;
    if (outer?.type === 'call_expression' && sameNode(outer.childForFieldName('function'), parent)) add('call.method', outer);
  } else if (parent.type === 'function_item' && DEFINED_METHODS.has(name) && sameNode(parent.childForFieldName('name'), leaf)) {
    add('method.def', parent);
  }
}

function item(keyword: SyntaxNode, { parent: type, capture }: { parent: string; capture: string }, add: Add): void {
  const parent = keyword.parent;
  if (parent?.type === type) add(capture, parent);
}

function externBlock(keyword: SyntaxNode, add: Add): void {
  const item = keyword.parent?.type === 'extern_modifier' ? keyword.parent.parent : null;
  if (item?.type === 'foreign_mod_item') add('decl', item);
}

/** The path that `leaf` ends: `std::mem::ManuallyDrop` for its last segment, else `leaf` itself. */
function pathEndingAt(leaf: SyntaxNode, scoped: string): SyntaxNode {
  const parent = leaf.parent;
  if (parent?.type === scoped && sameNode(parent.childForFieldName('name'), leaf)) return parent;
  return leaf;
}

function manuallyDropNew(leaf: SyntaxNode, add: Add): void {
  if (leaf.type !== 'identifier') return;
  const owner = pathEndingAt(leaf, 'scoped_identifier');
  const path = owner.parent;
  if (path?.type !== 'scoped_identifier' || !sameNode(path.childForFieldName('path'), owner) || path.childForFieldName('name')?.text !== 'new') return;
  const call = path.parent;
  if (call?.type === 'call_expression' && sameNode(call.childForFieldName('function'), path)) add('call.path', call);
}

function copyImpl(leaf: SyntaxNode, add: Add): void {
  if (leaf.type !== 'type_identifier') return;
  const trait = pathEndingAt(leaf, 'scoped_type_identifier');
  const impl = trait.parent;
  if (impl?.type === 'impl_item' && sameNode(impl.childForFieldName('trait'), trait)) add('copy.impl', impl);
}

function macroCall(leaf: SyntaxNode, add: Add): void {
  const name = pathEndingAt(leaf, 'scoped_identifier');
  const call = name.parent;
  if (call?.type === 'macro_invocation' && sameNode(call.childForFieldName('macro'), name)) add('macro', call);
}

/** `*` of a `*mut T`: a pointer parameter, or the outer cast of `r as *const T as *mut T`. */
function pointerType(star: SyntaxNode, add: Add): void {
  const pointer = star.parent;
  if (pointer?.type !== 'pointer_type') return;
  pointerParameter(pointer, pointer, add);
  const cast = pointer.parent;
  if (cast?.type !== 'type_cast_expression' || !sameNode(cast.childForFieldName('type'), pointer) || !pointer.children.some((c) => c.type === 'mutable_specifier')) return;
  const inner = cast.childForFieldName('value');
  const innerType = inner?.type === 'type_cast_expression' ? inner.childForFieldName('type') : null;
  if (innerType?.type === 'pointer_type' && innerType.children.some((c) => c.type === 'const')) add('cast', cast);
}

/** A function whose parameter is of type `type`: `*mut T`, or `NonNull<T>` / `AtomicPtr<T>` named by `name`. */
function pointerParameter(type: SyntaxNode | null, name: SyntaxNode, add: Add): void {
  if (!type || (type.type === 'generic_type' ? !sameNode(type.childForFieldName('type'), name) : type.type !== 'pointer_type')) return;
  const parameter = type.parent;
  if (parameter?.type !== 'parameter' || !sameNode(parameter.childForFieldName('type'), type)) return;
  const fn = parameter.parent?.parent;
  if (fn?.type === 'function_item' && sameNode(fn.childForFieldName('parameters'), parameter.parent!)) add('fn.pointer', fn);
}
