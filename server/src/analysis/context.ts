/**
 * How often a piece of code runs, read from its surroundings: inside a loop or an iterator closure
 * (per iteration), inside a closure given to `call_once`/`get_or_init`/`Lazy::new` (once), inside a
 * spawned thread or task (once per spawn, with its locals dying at the end), or plainly in a
 * function (as often as the function is called).
 */
import { SyntaxNode, sameNode } from '../parsing/parser';
import { pathSegments } from './paths';

export interface ContextMark {
  node: SyntaxNode;
  /** Human words for the reasons chain: "the `for` loop", "the closure passed to `CONFIG.get_or_init`". */
  label: string;
}

export interface FnInfo {
  node: SyntaxNode;
  name: string;
  /** The `impl` type for methods and associated functions. */
  implType?: string;
  /** The trait of the `impl` the function is in (`Default` for `impl Default for T`). */
  traitName?: string;
  isMain: boolean;
  isTest: boolean;
  /** `extern "C" fn` or `#[no_mangle]`: its callers are foreign code. */
  isForeignEntry: boolean;
  /** The function's `-> T` as written. */
  returnType?: SyntaxNode;
}

export interface ExecContext {
  fn?: FnInfo;
  /** Innermost construct that makes this run at most once overall. */
  once?: ContextMark;
  /** Innermost loop or per-element closure. */
  repeat?: ContextMark;
  /** Spawned thread or async task whose locals die with it. */
  thread?: ContextMark;
  /** Inside the initialiser of this `static`/`const`. */
  staticInit?: string;
}

const ONCE_METHODS = new Set(['call_once', 'call_once_force', 'get_or_init', 'get_or_try_init', 'get_or_init_with', 'get_or_insert_with', 'init_once']);
const ONCE_CONSTRUCTORS = new Set(['Lazy', 'LazyLock', 'LazyCell']);
const SPAWNERS = new Set(['spawn', 'spawn_blocking', 'spawn_local', 'spawn_scoped', 'spawn_unchecked']);
/** Adapters that exist only on iterators, so their closure runs once per element. */
const ITERATOR_ONLY = new Set([
  'for_each', 'try_for_each', 'flat_map', 'filter_map', 'fold', 'try_fold', 'scan', 'inspect', 'take_while',
  'skip_while', 'map_while', 'any', 'all', 'find_map', 'position', 'partition', 'reduce', 'max_by_key',
  'min_by_key', 'sort_by_key', 'sort_by', 'sort_unstable_by', 'sort_unstable_by_key', 'retain', 'dedup_by',
  'dedup_by_key', 'for_each_concurrent', 'par_iter', 'from_fn', 'repeat_with', 'successors',
]);
/** Adapters shared with `Option`/`Result`: per element only when the receiver is an iterator. */
const ITERATOR_SHARED = new Set(['map', 'filter', 'find', 'then', 'and_then', 'flat_map']);
const ITERATOR_SOURCES =
  /\.(iter|into_iter|iter_mut|chars|char_indices|bytes|lines|split\w*|drain|keys|values|values_mut|windows|chunks\w*|enumerate|zip|rev|skip|take|step_by|peekable|cycle|incoming|map|filter)\(|\.\.|\bstream::/;

/** Per tree, by start index: reading a function's attributes walks its preceding siblings. */
const infos = new WeakMap<object, Map<number, FnInfo>>();

export function functionInfo(fnNode: SyntaxNode): FnInfo {
  let byStart = infos.get(fnNode.tree);
  if (!byStart) infos.set(fnNode.tree, (byStart = new Map()));
  let info = byStart.get(fnNode.startIndex);
  if (!info || info.node.endIndex !== fnNode.endIndex) byStart.set(fnNode.startIndex, (info = computeFunctionInfo(fnNode)));
  return info;
}

function computeFunctionInfo(fnNode: SyntaxNode): FnInfo {
  const name = fnNode.childForFieldName('name')?.text ?? '<anonymous>';
  let implType: string | undefined;
  let traitName: string | undefined;
  const impl = fnNode.parent?.parent;
  if (fnNode.parent?.type === 'declaration_list' && impl?.type === 'impl_item') {
    const t = impl.childForFieldName('type');
    if (t) implType = pathSegments(t).pop();
    const trait = impl.childForFieldName('trait');
    if (trait) traitName = pathSegments(trait).pop();
  }
  const attrs = precedingAttributes(fnNode);
  const modifiers = fnNode.namedChildren.find((c) => c.type === 'function_modifiers');
  return {
    node: fnNode,
    name,
    implType,
    traitName,
    isMain: name === 'main' && !implType,
    isTest: attrs.some((a) => /^#\[(tokio::)?test\b|^#\[bench\b/.test(a)),
    isForeignEntry: attrs.some((a) => /no_mangle|export_name/.test(a)) || (modifiers?.text.includes('extern') ?? false),
    returnType: fnNode.childForFieldName('return_type') ?? undefined,
  };
}

/**
 * The attributes written above an item (`#[derive(Copy)]`, `#[no_mangle]`), nearest first, past
 * line comments. Found from the text before the item, one look-up per attribute: stepping through
 * the item's preceding siblings would list every item of the file before it, on every edit.
 */
export function precedingAttributes(node: SyntaxNode): string[] {
  const out: string[] = [];
  const root = node.tree.rootNode;
  const text = root.text;
  const parent = node.parent;
  for (let at = node.startIndex - root.startIndex; ; ) {
    let i = at - 1;
    while (i >= 0 && WHITESPACE.test(text[i])) i--;
    if (i < 0) break;
    // A line that is a `//` comment and nothing else is stepped over from the text: asking the
    // tree for each line of a long comment run costs a walk of the run every time.
    const lineStart = text.lastIndexOf('\n', i) + 1;
    const line = text.slice(lineStart, i + 1);
    if (COMMENT_LINE.test(line)) {
      at = lineStart;
      continue;
    }
    let s: SyntaxNode | null = root.descendantForIndex(root.startIndex + i, root.startIndex + i + 1);
    while (s && s.type !== 'attribute_item' && s.type !== 'line_comment' && s.endIndex <= node.startIndex && !sameNode(s.parent, parent)) s = s.parent;
    if (!s || (s.type !== 'attribute_item' && s.type !== 'line_comment') || !sameNode(s.parent, parent)) break;
    if (s.type === 'attribute_item') out.push(s.text);
    at = s.startIndex - root.startIndex;
  }
  return out;
}

const WHITESPACE = /\s/;
/** A whole line of `//` comment that cannot be the end of a block comment or a string. */
export const COMMENT_LINE = /^\s*\/\/(?!.*(?:\*\/|"))/;

export function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'function_item') return n;
  return undefined;
}

/** Describes how a call's callee reads: `CONFIG.get_or_init`, `thread::spawn`. */
export function calleeLabel(call: SyntaxNode): string {
  const f = call.childForFieldName('function');
  if (!f) return 'a call';
  const text = f.text.replace(/\s+/g, '');
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

export function calleeName(call: SyntaxNode): string | undefined {
  const f = call.childForFieldName('function');
  return f ? nameOfCallee(f) : undefined;
}

function nameOfCallee(f: SyntaxNode): string | undefined {
  switch (f.type) {
    case 'field_expression':
      return f.childForFieldName('field')?.text;
    case 'identifier':
      return f.text;
    case 'scoped_identifier':
      return f.childForFieldName('name')?.text;
    case 'generic_function': {
      const inner = f.childForFieldName('function');
      return inner ? nameOfCallee(inner) : undefined;
    }
    default:
      return undefined;
  }
}

type ClosureRole = { role: 'once' | 'repeat' | 'thread'; label: string } | undefined;

/** What the call a closure (or async block) is passed to does with it. */
function closureRole(closure: SyntaxNode): ClosureRole {
  const args = closure.parent;
  if (args?.type !== 'arguments') return undefined;
  const call = args.parent;
  if (call?.type !== 'call_expression') return undefined;
  const f = call.childForFieldName('function');
  if (!f) return undefined;
  const name = calleeName(call) ?? '';
  const label = `the closure passed to \`${calleeLabel(call)}\` at line ${call.startPosition.row + 1}`;
  if (f.type === 'field_expression') {
    if (ONCE_METHODS.has(name)) return { role: 'once', label };
    if (SPAWNERS.has(name)) return { role: 'thread', label: `the thread or task spawned by \`${calleeLabel(call)}\` at line ${call.startPosition.row + 1}` };
    if (ITERATOR_ONLY.has(name)) return { role: 'repeat', label };
    if (ITERATOR_SHARED.has(name) && ITERATOR_SOURCES.test(f.childForFieldName('value')?.text ?? '')) return { role: 'repeat', label };
    return undefined;
  }
  const segs = pathSegments(f);
  const last = segs[segs.length - 1];
  const owner = segs[segs.length - 2];
  if (last === 'new' && owner && ONCE_CONSTRUCTORS.has(owner)) return { role: 'once', label: `the initialiser passed to \`${owner}::new\`` };
  if (SPAWNERS.has(last)) return { role: 'thread', label: `the thread or task spawned by \`${calleeLabel(call)}\` at line ${call.startPosition.row + 1}` };
  if (ITERATOR_ONLY.has(last)) return { role: 'repeat', label };
  return undefined;
}

/** Walks outwards from `node` to its function and records what decides how often it runs. */
export function execContext(node: SyntaxNode): ExecContext {
  const ctx: ExecContext = {};
  let child = node;
  for (let n = node.parent; n; child = n, n = n.parent) {
    switch (n.type) {
      case 'for_expression':
        // `for x in EXPR` evaluates EXPR once; only the body repeats.
        if (n.childForFieldName('body')?.id === child.id) ctx.repeat ??= { node: n, label: `the \`for\` loop at line ${n.startPosition.row + 1}` };
        break;
      case 'while_expression':
        ctx.repeat ??= { node: n, label: `the \`while\` loop at line ${n.startPosition.row + 1}` };
        break;
      case 'loop_expression':
        ctx.repeat ??= { node: n, label: `the \`loop\` at line ${n.startPosition.row + 1}` };
        break;
      case 'closure_expression':
      case 'async_block': {
        const role = closureRole(n);
        if (role?.role === 'once') ctx.once ??= { node: n, label: role.label };
        else if (role?.role === 'repeat') ctx.repeat ??= { node: n, label: role.label };
        else if (role?.role === 'thread') ctx.thread ??= { node: n, label: role.label };
        break;
      }
      case 'static_item':
      case 'const_item': {
        const name = n.childForFieldName('name')?.text ?? '';
        ctx.staticInit = name;
        ctx.once ??= { node: n, label: `the initialiser of \`${name}\`` };
        return ctx;
      }
      case 'function_item':
        ctx.fn = functionInfo(n);
        return ctx;
      case 'macro_invocation': {
        // Inside `lazy_static!`/`thread_local!` bodies, the initialiser runs once per program/thread.
        const m = n.childForFieldName('macro')?.text;
        if (m === 'lazy_static') ctx.once ??= { node: n, label: 'a `lazy_static!` initialiser' };
        break;
      }
    }
  }
  return ctx;
}
