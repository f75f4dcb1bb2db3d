/**
 * Parent and sibling links for tree-sitter nodes that cost no more than the path to the node.
 *
 * Tree-sitter nodes do not store their parent: `ts_node_parent` walks down from the root to find
 * it, and the sibling getters go through the parent and count from its first child. So each
 * `node.parent` costs the node's depth, and `previousNamedSibling` its index among its siblings,
 * in both bindings. The engine walks up from every site (is it in a loop? in a closure?) and back
 * over statements, so 10,000 nested blocks, or 30,000 comments before a leak, made a 300 KB file
 * take minutes (quadratic).
 *
 * Here a parent is found by one tree cursor descent from the root (tree-sitter skips the siblings
 * that end before the node without visiting them), and the cursor is left on the parent: the
 * next `parent` of that parent, the usual walk up, is one step of the cursor. Answers are
 * remembered per tree. Siblings come from the parent's children, fetched once per parent. No
 * getter changes its meaning (null at the root, null past the ends), so no caller changes. Links
 * are per tree and dropped when the tree is edited, as its nodes then move.
 */
import type Parser = require('tree-sitter');

type Node = Parser.SyntaxNode;
type Cursor = Parser.TreeCursor;

interface Links {
  /**
   * One object per node handed out: the native binding's own node cache is off (`binding.ts`),
   * and a walk up from each of 20,000 statements would otherwise hold 20,000 objects of their block.
   */
  nodes: Map<number, Node>;
  parent: Map<number, Node | null>;
  children: Map<number, Node[]>;
  index: Map<number, number>;
  cursor: Cursor;
  /** The node the cursor is on, when a `parent` look-up left it there. */
  at: number | undefined;
}

const linksOf = new WeakMap<object, Links>();
const patched = new WeakSet<object>();

export const LINK_GETTERS = ['parent', 'nextSibling', 'nextNamedSibling', 'previousSibling', 'previousNamedSibling'] as const;
export type LinkGetter = (typeof LINK_GETTERS)[number];

/** The bindings' own getters, by node prototype: tests compare the links with them. */
const originals = new WeakMap<object, Record<LinkGetter, (n: Node) => Node | null>>();

export function bindingLink(node: Node, name: LinkGetter): Node | null {
  return originals.get(getterOwner(node))![name](node);
}

/** Counts the work of the links (children lists fetched, cursor steps down): tests bound it. */
export const linkStats = { childrenFetched: 0, cursorSteps: 0 };

/**
 * A node's identity. The native binding's `id` getter is a native call that copies the node
 * into a transfer buffer first; its nodes carry the same 64-bit id in their first two fields,
 * read here directly (checked against `id` when the links are installed). web-tree-sitter's
 * `id` is a plain field.
 */
let keyOf: (node: Node) => number = (node) => node.id;

function fieldKey(node: Node): number {
  const fields = node as unknown as Record<number, number>;
  return fields[0] + fields[1] * 0x1_0000_0000;
}

function links(tree: Parser.Tree): Links {
  let l = linksOf.get(tree);
  if (!l) {
    l = { nodes: new Map(), parent: new Map(), children: new Map(), index: new Map(), cursor: tree.walk(), at: undefined };
    linksOf.set(tree, l);
  }
  return l;
}

function childrenOf(l: Links, node: Node): Node[] {
  const key = keyOf(node);
  let kids = l.children.get(key);
  if (!kids) {
    kids = node.children;
    linkStats.childrenFetched++;
    l.children.set(key, kids);
    // Walks over siblings (back over a function's doc comments and attributes) then need no descent.
    for (let i = 0; i < kids.length; i++) {
      kids[i] = canonical(l, kids[i]);
      const kid = keyOf(kids[i]);
      l.index.set(kid, i);
      l.parent.set(kid, node);
    }
  }
  return kids;
}

/** The parent by a cursor descent from the root; `fallback` (the binding's own getter) if it gets lost. */
function parentOf(node: Node, fallback: (n: Node) => Node | null): Node | null {
  const l = links(node.tree);
  const key = keyOf(node);
  const known = l.parent.get(key);
  if (known !== undefined) return known;
  const found = l.at === key ? stepUp(l) : descend(l, node, key, fallback);
  l.parent.set(key, found);
  return found;
}

function stepUp(l: Links): Node | null {
  if (!l.cursor.gotoParent()) {
    l.at = undefined;
    return null;
  }
  const parent = canonical(l, l.cursor.currentNode);
  l.at = keyOf(parent);
  return parent;
}

function canonical(l: Links, node: Node): Node {
  const key = keyOf(node);
  const known = l.nodes.get(key);
  if (known) return known;
  l.nodes.set(key, node);
  return node;
}

function descend(l: Links, node: Node, key: number, fallback: (n: Node) => Node | null): Node | null {
  if (keyOf(node.tree.rootNode) === key) return null;
  const start = node.startIndex;
  const end = node.endIndex;
  // The cursor finds the first child ending after `start`: a zero-width node (a MISSING token)
  // is never that child.
  if (start === end) return fallback(node);
  const cursor = l.cursor;
  l.at = undefined;
  // Up from where the last look-up left the cursor to a node strictly around this one: its
  // ancestor (nodes whose ranges overlap are nested), usually a few levels up, as look-ups go
  // through a file in order. (The native binding's `reset(node)` cannot be used: it reads the
  // node from the last one marshalled, not from its argument.)
  while (!(cursor.startIndex <= start && cursor.endIndex >= end && (cursor.startIndex < start || cursor.endIndex > end))) {
    linkStats.cursorSteps++;
    if (!cursor.gotoParent()) break;
  }
  const type = node.typeId;
  for (;;) {
    linkStats.cursorSteps++;
    // Native: the child's index or null; web-tree-sitter: a boolean.
    const moved: unknown = cursor.gotoFirstChildForIndex(start);
    if (moved === null || moved === false || cursor.startIndex > start || cursor.endIndex < end) return fallback(node);
    // Only a node of the same range and type can be `node` itself (wrappers share ranges).
    if (cursor.endIndex === end && cursor.startIndex === start && cursor.nodeTypeId === type && keyOf(cursor.currentNode) === key) {
      cursor.gotoParent();
      const parent = canonical(l, cursor.currentNode);
      l.at = keyOf(parent);
      return parent;
    }
  }
}

function sibling(node: Node, step: 1 | -1, named: boolean, fallback: (n: Node) => Node | null): Node | null {
  const parent = parentOf(node, () => null);
  if (!parent) return keyOf(node.tree.rootNode) === keyOf(node) ? null : fallback(node);
  const l = links(node.tree);
  const kids = childrenOf(l, parent);
  const at = l.index.get(keyOf(node));
  if (at === undefined) return fallback(node);
  for (let i = at + step; i >= 0 && i < kids.length; i += step) {
    if (!named || kids[i].isNamed) return kids[i];
  }
  return null;
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
  if (fieldKey(root) === root.id) keyOf = fieldKey;
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
  // web-tree-sitter's cursors live in the wasm heap until deleted.
  (linksOf.get(tree)?.cursor as { delete?: () => void } | undefined)?.delete?.();
  linksOf.delete(tree);
}
