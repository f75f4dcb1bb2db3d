/**
 * Parent and sibling links for tree-sitter nodes that cost no more than the path to the node, and
 * keep no JavaScript object per node alive.
 *
 * Tree-sitter nodes do not store their parent: `ts_node_parent` walks down from the root to find
 * it, and the sibling getters go through the parent and count from its first child. So each
 * `node.parent` costs the node's depth, and `previousNamedSibling` its index among its siblings,
 * in both bindings. The engine walks up from every site (is it in a loop? in a closure?) and back
 * over statements, so 10,000 nested blocks, or 30,000 comments before a leak, made a 300 KB file
 * take minutes (quadratic).
 *
 * Here one tree cursor per tree answers both. The cursor is moved onto a node by a descent from
 * the nearest node around it that the cursor is on or passes on the way up (tree-sitter skips the
 * siblings that end before the node without visiting them: long lists are balanced trees of hidden
 * nodes), and it stays on the answer: the next `parent` of that parent, the usual walk up, is one
 * step of the cursor, and so is the next sibling of that sibling, the usual walk over statements.
 * No getter changes its meaning (null at the root, null past the ends), so no caller changes.
 *
 * Memory: a dense file has about one node per input byte (`Box::leak(Box::new(1));` is 19 nodes
 * for 28 bytes), and a JavaScript node object with a map entry to find it again costs over 150
 * bytes, more than the native tree itself. So the links remember only a bounded number of
 * parents (`MEMO`), enough for the walks up from the sites of any one function, and siblings are
 * cursor steps: a walk back over 320,000 comments holds none of them.
 */
import type Parser = require('tree-sitter');

type Node = Parser.SyntaxNode;
type Cursor = Parser.TreeCursor;

interface Links {
  tree: Parser.Tree;
  cursor: Cursor;
  /** The node the cursor is on, when the last answer left it there. */
  at: number | undefined;
  root: number;
  /** Answers of `parent`, by node: at most `MEMO`, forgotten all at once when full. */
  parent: Map<number, Node | null>;
  /**
   * The objects those answers hand out, by node, so that a walk up from each of 20,000 statements
   * of one block shares one object for the block (the native binding's own node cache is off, see
   * `binding.ts`). Bounded like `parent`.
   */
  nodes: Map<number, Node>;
  /** The flat run the last walk back went through (see `runSibling`). */
  run?: Run;
  /** The cursor does not see every child (see `listedSibling`). */
  missingUnseen: boolean;
  listed?: { parent: number; children: Node[] };
}

interface Run {
  parent: number;
  /** Start offsets of the marked children: every `FLAT`th, from the first. */
  starts: number[];
  marks: Cursor[];
  /** The children after one mark, read off it. */
  block?: { index: number; nodes: Node[] };
}

/**
 * Parents remembered per tree. A walk up from one site touches its depth in nodes; the sites of a
 * function share most of them. Past this many, the memo starts over: a forgotten parent costs
 * a cursor descent (a few steps per level), never a wrong answer.
 */
export const MEMO = 1 << 14;

const linksOf = new WeakMap<object, Links>();
const patched = new WeakSet<object>();

export const LINK_GETTERS = ['parent', 'nextSibling', 'nextNamedSibling', 'previousSibling', 'previousNamedSibling'] as const;
export type LinkGetter = (typeof LINK_GETTERS)[number];

/** The bindings' own getters, by node prototype: tests compare the links with them. */
const originals = new WeakMap<object, Record<LinkGetter, (n: Node) => Node | null>>();

export function bindingLink(node: Node, name: LinkGetter): Node | null {
  return originals.get(getterOwner(node))![name](node);
}

/** Counts the work of the links (cursor steps, children read off a mark): tests bound it. */
export const linkStats = { steps: 0 };

/**
 * How many nodes (and cursors) the links of `tree` hold on to: tests bound it by `MEMO` plus a
 * flat run's `FLAT` children and marks, whatever the tree.
 */
export function heldByLinks(tree: object): number {
  const l = linksOf.get(tree);
  if (!l) return 0;
  return Math.max(l.parent.size, l.nodes.size) + (l.run ? l.run.marks.length + (l.run.block?.nodes.length ?? 0) : 0) + (l.listed?.children.length ?? 0);
}

/**
 * A node's identity. The native binding's `id` getter is a native call that copies the node
 * into a transfer buffer first; its nodes carry the same 64-bit id in their first two fields,
 * read here directly (checked against `id` when the links are installed). web-tree-sitter's
 * `id` is a plain field.
 */
let keyOf: (node: Node) => number = (node) => node.id;
let nativeNodes = false;

function fieldKey(node: Node): number {
  const fields = node as unknown as Record<number, number>;
  return fields[0] + fields[1] * 0x1_0000_0000;
}

function links(tree: Parser.Tree): Links {
  let l = linksOf.get(tree);
  if (!l) {
    l = { tree, cursor: tree.walk(), at: undefined, root: keyOf(tree.rootNode), parent: new Map(), nodes: new Map(), missingUnseen: !nativeNodes && tree.rootNode.hasError };
    linksOf.set(tree, l);
  }
  return l;
}

/** The parent by the cursor; `fallback` (the binding's own getter) if it gets lost. */
function parentOf(node: Node, fallback: (n: Node) => Node | null): Node | null {
  const l = links(node.tree);
  const key = keyOf(node);
  const known = l.parent.get(key);
  if (known !== undefined) return known;
  if (key === l.root) return null;
  let found: Node | null;
  if (!moveTo(l, node, key)) found = fallback(node);
  else if (!l.cursor.gotoParent()) {
    l.at = undefined;
    found = null;
  } else {
    found = canonical(l, l.cursor.currentNode);
    l.at = keyOf(found);
  }
  remember(l, key, found);
  return found;
}

function remember(l: Links, key: number, parent: Node | null): void {
  if (l.parent.size >= MEMO) {
    l.parent.clear();
    l.nodes.clear();
  }
  l.parent.set(key, parent);
}

function canonical(l: Links, node: Node): Node {
  const key = keyOf(node);
  const known = l.nodes.get(key);
  if (known) return known;
  l.nodes.set(key, node);
  return node;
}

/** Puts the cursor on `node`; false if it cannot be found that way. */
function moveTo(l: Links, node: Node, key: number): boolean {
  if (l.at === key) return true;
  const start = node.startIndex;
  const end = node.endIndex;
  // The cursor finds the first child ending after `start`: a zero-width node (a MISSING token)
  // is never that child.
  if (start === end) return false;
  const cursor = l.cursor;
  l.at = undefined;
  // Up from where the last answer left the cursor to a node strictly around this one: its
  // ancestor (nodes whose ranges overlap are nested), usually a few levels up, as look-ups go
  // through a file in order. (The native binding's `reset(node)` cannot be used: it reads the
  // node from the last one marshalled, not from its argument.)
  while (!(cursor.startIndex <= start && cursor.endIndex >= end && (cursor.startIndex < start || cursor.endIndex > end))) {
    linkStats.steps++;
    if (!cursor.gotoParent()) break;
  }
  const type = node.typeId;
  for (;;) {
    linkStats.steps++;
    // Native: the child's index or null; web-tree-sitter: a boolean.
    const moved: unknown = cursor.gotoFirstChildForIndex(start);
    if (moved === null || moved === false || cursor.startIndex > start || cursor.endIndex < end) return false;
    // Only a node of the same range and type can be `node` itself (wrappers share ranges).
    if (cursor.endIndex === end && cursor.startIndex === start && cursor.nodeTypeId === type && keyOf(cursor.currentNode) === key) {
      l.at = key;
      return true;
    }
  }
}

/**
 * A parent with this many children or more is a flat run (tree-sitter balances repetitions into
 * hidden nodes of two children, but leaves a run of comments flat). There the cursor cannot step
 * back: tree-sitter 0.22 recomputes the position of the previous child from the first one (so a
 * walk back is quadratic) and loses its way before a child whose index ends in 0xFF (it tests
 * `(int8_t)child_index == -1`). Below it, it can, and the answer is checked anyway.
 */
export const FLAT = 256;

function sibling(node: Node, step: 1 | -1, named: boolean, fallback: (n: Node) => Node | null): Node | null {
  const l = links(node.tree);
  let key = keyOf(node);
  if (key === l.root) return null;
  if (l.missingUnseen || step === -1) {
    const parent = parentOf(node, fallback);
    if (!parent) return fallback(node);
    if (l.missingUnseen) return listedSibling(l, parent, node, step, named, fallback);
    if (parent.childCount >= FLAT) return runSibling(l, parent, node, named, fallback);
  }
  if (!moveTo(l, node, key)) return fallback(node);
  const cursor = l.cursor;
  for (let from = node; ; ) {
    linkStats.steps++;
    const moved = step === 1 ? cursor.gotoNextSibling() : previous(cursor, from);
    if (moved === undefined) {
      l.at = undefined;
      return fallback(node);
    }
    if (!moved) {
      l.at = key;
      return null;
    }
    const found = cursor.currentNode;
    l.at = key = keyOf(found);
    if (!named || found.isNamed) return found;
    from = found;
  }
}

/**
 * `gotoPreviousSibling`, checked: the answer stands if the next sibling of it is `from` again
 * (the forward step is sound), and "none" if `from` is its parent's first child. `undefined` if
 * the cursor went wrong; it is then not on `from`.
 */
function previous(cursor: Cursor, from: Node): boolean | undefined {
  const same = () => cursor.startIndex === from.startIndex && cursor.endIndex === from.endIndex && cursor.nodeTypeId === from.typeId;
  if (cursor.gotoPreviousSibling()) {
    if (cursor.gotoNextSibling() && same()) return cursor.gotoPreviousSibling();
    return undefined;
  }
  if (!cursor.gotoParent()) return false;
  if (cursor.gotoFirstChild() && same()) return false;
  return undefined;
}

/**
 * The previous sibling in a flat run, from marks left on the parent's children: one forward pass
 * of the cursor over them (the sound direction) leaves a copy of it on every `FLAT`th child, and
 * the `FLAT` children after the mark before `node` are then read off that copy. A walk back over
 * a run of comments reads each child once and holds `FLAT` of them, not the run.
 */
function runSibling(l: Links, parent: Node, node: Node, named: boolean, fallback: (n: Node) => Node | null): Node | null {
  const parentKey = keyOf(parent);
  if (l.run?.parent !== parentKey) {
    l.run?.marks.forEach(release);
    l.run = markRun(l, parent, parentKey);
    if (!l.run) return fallback(node);
  }
  const run = l.run;
  const key = keyOf(node);
  const start = node.startIndex;
  // The last mark at or before `node` (a zero-width child may share its offset with the mark after it).
  let lo = 0;
  let hi = run.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (run.starts[mid] <= start) lo = mid + 1;
    else hi = mid;
  }
  for (let block = lo - 1; block >= 0 && block >= lo - 2; block--) {
    const at = blockOf(l, run, block).findIndex((k) => keyOf(k) === key);
    if (at < 0) continue;
    // Back from `node`, into the blocks before it (all full) as far as needed.
    for (let b = block, i = at - 1; b >= 0; b--, i = FLAT - 1) {
      const kids = blockOf(l, run, b);
      for (; i >= 0; i--) {
        linkStats.steps++;
        if (named && !kids[i].isNamed) continue;
        // Its parent is known: finding it again would be a descent through the run.
        remember(l, keyOf(kids[i]), parent);
        return kids[i];
      }
    }
    return null;
  }
  return fallback(node);
}

/**
 * Siblings from the parent's children list, kept for one parent at a time: for web-tree-sitter's
 * trees with syntax errors, whose cursor steps over the zero-width MISSING nodes that the list
 * (and the native cursor) has.
 */
function listedSibling(l: Links, parent: Node, node: Node, step: 1 | -1, named: boolean, fallback: (n: Node) => Node | null): Node | null {
  const parentKey = keyOf(parent);
  if (l.listed?.parent !== parentKey) l.listed = { parent: parentKey, children: parent.children };
  const kids = l.listed.children;
  const key = keyOf(node);
  const at = kids.findIndex((k) => keyOf(k) === key);
  if (at < 0) return fallback(node);
  for (let i = at + step; i >= 0 && i < kids.length; i += step) {
    linkStats.steps++;
    if (named && !kids[i].isNamed) continue;
    remember(l, keyOf(kids[i]), parent);
    return kids[i];
  }
  return null;
}

function markRun(l: Links, parent: Node, parentKey: number): Run | undefined {
  if (!moveTo(l, parent, parentKey)) return undefined;
  const cursor = copyOf(l, l.cursor);
  const run: Run = { parent: parentKey, starts: [], marks: [] };
  if (cursor.gotoFirstChild()) {
    for (let i = 0; ; i++) {
      linkStats.steps++;
      if (i % FLAT === 0) {
        run.starts.push(cursor.startIndex);
        run.marks.push(copyOf(l, cursor));
      }
      if (!cursor.gotoNextSibling()) break;
    }
  }
  release(cursor);
  return run;
}

function blockOf(l: Links, run: Run, block: number): Node[] {
  if (run.block?.index === block) return run.block.nodes;
  const cursor = copyOf(l, run.marks[block]);
  const nodes: Node[] = [];
  for (let i = 0; i < FLAT; i++) {
    linkStats.steps++;
    nodes.push(cursor.currentNode);
    if (!cursor.gotoNextSibling()) break;
  }
  release(cursor);
  run.block = { index: block, nodes };
  return nodes;
}

function copyOf(l: Links, cursor: Cursor): Cursor {
  const copy = l.tree.walk();
  copy.resetTo(cursor);
  return copy;
}

/** web-tree-sitter's cursors live in the wasm heap until deleted. */
function release(cursor: Cursor): void {
  (cursor as { delete?: () => void }).delete?.();
}

/** The object on `node`'s prototype chain that defines the `parent` getter. */
function getterOwner(node: object): object {
  for (let proto = Object.getPrototypeOf(node); proto; proto = Object.getPrototypeOf(proto)) {
    if (Object.getOwnPropertyDescriptor(proto, 'parent')?.get) return proto;
  }
  throw new Error('tree-sitter nodes have no parent getter');
}

/**
 * Replaces the getters on the prototypes of `sample`'s nodes and tree (the bindings do not export
 * them alike). Idempotent.
 */
export function installNodeLinks(sampleTree: { rootNode: Node; edit: unknown }): void {
  const root = sampleTree.rootNode;
  if (fieldKey(root) === root.id) {
    keyOf = fieldKey;
    nativeNodes = true;
  }
  const nodePrototypes = new Set<object>([getterOwner(root)]);
  const child = sampleTree.rootNode.child(0);
  if (child) nodePrototypes.add(getterOwner(child));
  for (const proto of nodePrototypes) {
    if (patched.has(proto)) continue;
    const original = (name: string) => {
      const get = Object.getOwnPropertyDescriptor(proto, name)?.get;
      if (!get) throw new Error(`tree-sitter node has no ${name} getter`);
      return (n: Node) => get.call(n) as Node | null;
    };
    const [parent, next, nextNamed, previous, previousNamed] = LINK_GETTERS.map(original);
    originals.set(proto, { parent, nextSibling: next, nextNamedSibling: nextNamed, previousSibling: previous, previousNamedSibling: previousNamed });
    const getters: Record<string, (n: Node) => Node | null> = {
      parent: (n) => parentOf(n, parent),
      nextSibling: (n) => sibling(n, 1, false, next),
      nextNamedSibling: (n) => sibling(n, 1, true, nextNamed),
      previousSibling: (n) => sibling(n, -1, false, previous),
      previousNamedSibling: (n) => sibling(n, -1, true, previousNamed),
    };
    for (const [name, get] of Object.entries(getters)) {
      Object.defineProperty(proto, name, { configurable: true, get(this: Node) { return get(this); } });
    }
    patched.add(proto);
  }
  const treeProto = Object.getPrototypeOf(sampleTree) as { edit: (...args: unknown[]) => unknown };
  if (!patched.has(treeProto)) {
    const edit = treeProto.edit;
    treeProto.edit = function (this: object, ...args: unknown[]) {
      dropNodeLinks(this);
      return edit.apply(this, args);
    };
    patched.add(treeProto);
  }
}

/** Forgets `tree`'s links: its nodes moved (an edit), or it is about to be deleted. */
export function dropNodeLinks(tree: object): void {
  const l = linksOf.get(tree);
  if (l) {
    release(l.cursor);
    l.run?.marks.forEach(release);
  }
  linksOf.delete(tree);
}
