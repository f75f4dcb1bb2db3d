/**
 * Constant-time `parent` and sibling links for tree-sitter nodes.
 *
 * Tree-sitter nodes do not store their parent: `ts_node_parent` walks down from the root to find
 * it, and the sibling getters go through the parent and count from its first child. So each
 * `node.parent` costs the node's depth, and `previousNamedSibling` its index among its siblings,
 * in both bindings. The engine walks up from every site (is it in a loop? in a closure?) and back
 * over statements, so 10,000 nested blocks, or 30,000 comments before a leak, made a 300 KB file
 * take minutes (quadratic).
 *
 * Here the first look-up from a node walks down from the root once, recording on the way the
 * parent of every child it meets and each child's index; every later look-up along that path is
 * a map read. The getters keep their meaning (null at the root, null past the ends), so no caller
 * changes. Links are per tree and dropped when the tree is edited, as its nodes then move.
 */
import type Parser = require('tree-sitter');

type Node = Parser.SyntaxNode;

interface Links {
  parent: Map<number, Node | null>;
  children: Map<number, Node[]>;
  index: Map<number, number>;
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

/** Counts nodes whose children were fetched for the links: tests bound the work with it. */
export const linkStats = { childrenFetched: 0 };

function links(tree: object): Links {
  let l = linksOf.get(tree);
  if (!l) {
    l = { parent: new Map(), children: new Map(), index: new Map() };
    linksOf.set(tree, l);
  }
  return l;
}

function childrenOf(l: Links, node: Node): Node[] {
  let kids = l.children.get(node.id);
  if (!kids) {
    kids = node.children;
    linkStats.childrenFetched++;
    l.children.set(node.id, kids);
    for (let i = 0; i < kids.length; i++) {
      l.parent.set(kids[i].id, node);
      l.index.set(kids[i].id, i);
    }
  }
  return kids;
}

/** The parent by a walk from the root; `fallback` (the binding's own getter) if the walk gets lost. */
function parentOf(node: Node, fallback: (n: Node) => Node | null): Node | null {
  const l = links(node.tree);
  const id = node.id;
  const known = l.parent.get(id);
  if (known !== undefined) return known;
  const root = node.tree.rootNode;
  if (root.id === id) return null;
  const start = node.startIndex;
  const end = node.endIndex;
  let current = root;
  for (;;) {
    const kids = childrenOf(l, current);
    const found = l.parent.get(id);
    if (found !== undefined) return found;
    const next = containing(kids, start, end);
    if (!next) return fallback(node);
    current = next;
  }
}

/** The child whose range holds [start, end): the last starting at or before `start` that reaches `end`. */
function containing(kids: Node[], start: number, end: number): Node | undefined {
  let lo = 0;
  let hi = kids.length - 1;
  let last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (kids[mid].startIndex <= start) {
      last = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  // Zero-width siblings (missing nodes) can share a start: try each, nearest first.
  for (let i = last; i >= 0 && kids[i].endIndex >= start; i--) {
    if (kids[i].endIndex >= end && kids[i].startIndex <= start) return kids[i];
  }
  return undefined;
}

function sibling(node: Node, step: 1 | -1, named: boolean, fallback: (n: Node) => Node | null): Node | null {
  const parent = parentOf(node, () => null);
  if (!parent) return node.tree.rootNode.id === node.id ? null : fallback(node);
  const l = links(node.tree);
  const kids = childrenOf(l, parent);
  const at = l.index.get(node.id);
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
  const nodePrototypes = new Set<object>([getterOwner(sampleTree.rootNode)]);
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
      linksOf.delete(this);
      return edit.apply(this, args);
    };
    patched.add(treeProto);
  }
}
