/**
 * Which `static` item a name refers to, scoped as Rust scopes it within one file. Two statics of
 * one name in different modules are different statics: a module does not see its parent's items
 * unless it imports them (`use super::*`, `use super::NAME`, `use crate::m::NAME`), and a block sees
 * the items of the blocks and the module around it. A path names the module it spells (`m::NAME`,
 * `self::`, `super::`, `crate::`) when that module is written inline in the file.
 *
 * What the file does not say (a module in another file, a name imported from another crate)
 * resolves to nothing, never to a namesake.
 */
import { SyntaxNode } from '../parsing/parser';

/** Imports followed through `use super::*` chains before giving up (a cycle of glob imports). */
const MAX_IMPORT_DEPTH = 8;

export class StaticScopes {
  private readonly declared = new Map<number, Map<string, SyntaxNode>>();
  /** What each scope's `use` declarations import, worked out once per scope. */
  private readonly imported = new Map<number, Import[]>();

  /**
   * Blocks and module bodies by start, and the statics' name positions: found by index ranges,
   * because a node's `parent` costs tree-sitter a walk down from the root (quadratic over a block
   * of thousands of statements).
   */
  private scopes?: { node: SyntaxNode; start: number; end: number }[];
  private declarationNames?: Map<number, SyntaxNode>;
  /** Innermost scope and name → what the name resolves to there. */
  private readonly resolved = new Map<string, SyntaxNode | undefined>();
  private readonly mutability = new Map<number, boolean>();

  constructor(private readonly root: SyntaxNode) {}

  /**
   * The `static_item` that the identifier `id` (a bare name, the last segment of a path, or a
   * token inside a macro call) refers to, if this file declares it.
   */
  resolve(id: SyntaxNode): SyntaxNode | undefined {
    this.declarationNames ??= new Map(
      this.root.descendantsOfType('static_item').flatMap((item) => {
        const name = item.childForFieldName('name');
        return name ? [[name.startIndex, item] as [number, SyntaxNode]] : [];
      }),
    );
    const declared = this.declarationNames.get(id.startIndex);
    if (declared) return declared;
    if (/::\s*$/.test(this.root.text.slice(Math.max(0, id.startIndex - 16), id.startIndex))) {
      const parent = id.parent;
      if (parent?.type === 'scoped_identifier' && parent.childForFieldName('name')?.id === id.id) {
        const path = parent.childForFieldName('path');
        const module = path && this.moduleOfPath(path, this.moduleAround(id));
        return module ? this.lookupInModule(module, id.text, 0) : undefined;
      }
    }
    const innermost = this.scopeAround(id);
    if (!innermost) return undefined;
    const key = `${innermost.id}:${id.text}`;
    if (this.resolved.has(key)) return this.resolved.get(key);
    let result: SyntaxNode | undefined;
    for (let scope: SyntaxNode | undefined = innermost; scope; scope = this.scopeAround(scope)) {
      const found = this.lookupIn(scope, id.text, 0);
      if (found !== undefined) {
        result = found ?? undefined;
        break;
      }
      // A module is the end of the road: its parent's items are not in scope without a `use`.
      if (isModule(scope)) break;
    }
    this.resolved.set(key, result);
    return result;
  }

  /** Whether the static `item` is `static mut` (asked once per item). */
  isMutable(item: SyntaxNode): boolean {
    let mutable = this.mutability.get(item.id);
    if (mutable === undefined) {
      mutable = isMutableStatic(item);
      this.mutability.set(item.id, mutable);
    }
    return mutable;
  }

  /** The innermost block or module strictly around `node`. */
  private scopeAround(node: SyntaxNode): SyntaxNode | undefined {
    this.scopes ??= [this.root, ...this.root.descendantsOfType(['block', 'declaration_list']).filter((n) => n.type === 'block' || isModule(n))].map(
      (n) => ({ node: n, start: n.startIndex, end: n.endIndex }),
    );
    const scopes = this.scopes;
    const start = node.startIndex;
    const end = node.endIndex;
    // The last scope starting at or before the node that contains it is the innermost one.
    let lo = 0;
    let hi = scopes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (scopes[mid].start <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i--) {
      const s = scopes[i];
      if (!(s.start === start && s.end === end) && s.end >= end) return s.node;
    }
    return undefined;
  }

  private moduleAround(node: SyntaxNode): SyntaxNode {
    for (let scope = this.scopeAround(node); scope; scope = this.scopeAround(scope)) if (isModule(scope)) return scope;
    return this.root;
  }

  /** The statics declared directly in `scope`, by name. */
  private itemsOf(scope: SyntaxNode): Map<string, SyntaxNode> {
    let items = this.declared.get(scope.id);
    if (!items) {
      items = new Map();
      for (const child of scope.namedChildren) {
        const name = child.type === 'static_item' ? child.childForFieldName('name') : null;
        if (name) items.set(name.text, child);
      }
      this.declared.set(scope.id, items);
    }
    return items;
  }

  /**
   * `name` as seen in `scope`: its own item, or what its `use` declarations import; `null` when a
   * `use` imports the name from somewhere this file does not show (it is not one of our statics,
   * and no outer one either), `undefined` when the scope says nothing about it.
   */
  private lookupIn(scope: SyntaxNode, name: string, depth: number): SyntaxNode | null | undefined {
    const own = this.itemsOf(scope).get(name);
    if (own) return own;
    if (depth > MAX_IMPORT_DEPTH) return null;
    let viaGlob: SyntaxNode | undefined;
    for (const imported of this.importsIn(scope)) {
      if (imported.glob) {
        const module = this.moduleOfSegments(imported.path, moduleScopeOf(scope, true));
        viaGlob ??= module ? this.lookupInModule(module, name, depth + 1) : undefined;
      } else if (imported.alias === name) {
        const module = this.moduleOfSegments(imported.path.slice(0, -1), moduleScopeOf(scope, true));
        return (module && this.lookupInModule(module, imported.path[imported.path.length - 1], depth + 1)) ?? null;
      }
    }
    return viaGlob;
  }

  private importsIn(scope: SyntaxNode): Import[] {
    let imports = this.imported.get(scope.id);
    if (!imports) {
      imports = [];
      for (const use of scope.namedChildren) {
        const argument = use.type === 'use_declaration' ? use.childForFieldName('argument') : null;
        if (argument) imports.push(...importsOf(argument, []));
      }
      this.imported.set(scope.id, imports);
    }
    return imports;
  }

  private lookupInModule(module: SyntaxNode, name: string, depth: number): SyntaxNode | undefined {
    return this.lookupIn(module, name, depth) ?? undefined;
  }

  private moduleOfPath(path: SyntaxNode, from: SyntaxNode): SyntaxNode | undefined {
    return this.moduleOfSegments(path.text.split('::').map((s) => s.trim()), from);
  }

  /** The module scope (`source_file` or an inline module's `declaration_list`) a path spells. */
  private moduleOfSegments(segments: string[], from: SyntaxNode): SyntaxNode | undefined {
    let module: SyntaxNode | undefined = from;
    for (const [i, segment] of segments.entries()) {
      if (!module) return undefined;
      if (segment === '' && i === 0) return undefined; // `::crate_name::…`: another crate
      if (segment === 'crate' && i === 0) module = this.root;
      else if (segment === 'self' && i === 0) continue;
      else if (segment === 'super') module = parentModule(module);
      else module = childModule(module, segment);
    }
    return module;
  }
}

export interface Import {
  path: string[];
  /** The name it is visible as (`as` renames); empty for a glob. */
  alias: string;
  glob: boolean;
}

export function importsOf(node: SyntaxNode, prefix: string[]): Import[] {
  const segments = (n: SyntaxNode) => n.text.split('::').map((s) => s.trim());
  switch (node.type) {
    case 'identifier':
    case 'scoped_identifier': {
      const path = [...prefix, ...segments(node)];
      return [{ path, alias: path[path.length - 1], glob: false }];
    }
    case 'use_as_clause': {
      const path = node.childForFieldName('path');
      const alias = node.childForFieldName('alias');
      return path && alias ? [{ path: [...prefix, ...segments(path)], alias: alias.text, glob: false }] : [];
    }
    case 'use_wildcard': {
      const path = node.namedChild(0);
      return [{ path: [...prefix, ...(path ? segments(path) : [])], alias: '', glob: true }];
    }
    case 'scoped_use_list': {
      const path = node.childForFieldName('path');
      const list = node.childForFieldName('list');
      const next = path ? [...prefix, ...segments(path)] : prefix;
      return list ? list.namedChildren.flatMap((c) => importsOf(c, next)) : [];
    }
    case 'use_list':
      return node.namedChildren.flatMap((c) => importsOf(c, prefix));
    default:
      return [];
  }
}

export function isModule(scope: SyntaxNode): boolean {
  return scope.type === 'source_file' || (scope.type === 'declaration_list' && scope.parent?.type === 'mod_item');
}

/** The module `node` is in (`inclusive`: `node` itself if it is one). */
function moduleScopeOf(node: SyntaxNode, inclusive = false): SyntaxNode {
  for (let n: SyntaxNode | null = inclusive ? node : node.parent; n; n = n.parent) if (isModule(n)) return n;
  return node;
}

function parentModule(module: SyntaxNode): SyntaxNode | undefined {
  return module.type === 'source_file' ? undefined : moduleScopeOf(module);
}

function childModule(module: SyntaxNode, name: string): SyntaxNode | undefined {
  for (const child of module.namedChildren) {
    if (child.type !== 'mod_item' || child.childForFieldName('name')?.text !== name) continue;
    return child.childForFieldName('body') ?? undefined;
  }
  return undefined;
}

export function isMutableStatic(item: SyntaxNode): boolean {
  for (let i = 0; i < item.childCount; i++) if (item.child(i)?.type === 'mutable_specifier') return true;
  return false;
}
