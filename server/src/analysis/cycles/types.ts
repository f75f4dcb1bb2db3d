/**
 * The strong-reference edges of a file's type declarations: for every field (named, tuple, enum
 * variant) and every type alias, the named types it holds through `Rc`/`Arc` or inline. One pass
 * over each type's syntax with an explicit stack, so a type nested thousands deep costs as much as
 * its length, and never the call stack.
 */
import { SyntaxNode } from '../../parsing/parser';
import { rangeOf } from '../source';
import { TypeDecl, TypeEdge } from './model';

/** Field names of a link back up a structure: of a loop's edges, the one to make `Weak`. */
export const BACK_EDGE = /^(parent|prev|previous|back|owner|up|predecessor|container|outer|root)s?$/i;

/** Counts the syntax nodes the analysis visits: the bound on its work that tests check. */
export interface Work {
  nodes: number;
}

const STRONG = new Set(['Rc', 'Arc']);
/** Do not keep their target alive (or do not hold it at all). */
const NOT_OWNING = new Set(['Weak', 'PhantomData', 'NonNull', 'AtomicPtr']);
/** Let a shared value's slot be written: only through one of them can a shared value be pointed back at. */
export const CELLS = new Set([
  'RefCell', 'Cell', 'UnsafeCell', 'OnceCell', 'OnceLock', 'Mutex', 'RwLock', 'ReentrantMutex', 'ArcSwap', 'ArcSwapOption', 'AtomicCell',
]);
/** std wrappers and containers: holding one is holding what it holds, not a type of the workspace. */
const WRAPPERS = new Set([
  ...STRONG, ...NOT_OWNING, ...CELLS, 'Option', 'Box', 'Vec', 'VecDeque', 'LinkedList', 'HashMap', 'BTreeMap', 'HashSet', 'BTreeSet',
  'BinaryHeap', 'IndexMap', 'IndexSet', 'SmallVec', 'Result', 'ManuallyDrop', 'MaybeUninit', 'Pin', 'Cow', 'Self',
]);

export function typeDecls(items: SyntaxNode[], work: Work): TypeDecl[] {
  const out: TypeDecl[] = [];
  for (const item of items) {
    const nameNode = item.childForFieldName('name');
    if (!nameNode) continue;
    const name = nameNode.text;
    const params = typeParameters(item);
    const decl: TypeDecl = { name, alias: item.type === 'type_item', range: rangeOf(nameNode), edges: [], weak: [] };
    if (item.type === 'type_item') {
      const type = item.childForFieldName('type');
      if (type) decl.edges.push(...edgesOf(type, '', type, params, decl.weak, work));
    } else if (item.type === 'enum_item') {
      for (const variant of item.childForFieldName('body')?.namedChildren ?? []) {
        if (variant.type !== 'enum_variant') continue;
        const vname = variant.childForFieldName('name')?.text ?? '';
        const body = variant.childForFieldName('body');
        if (body) fields(body, `${vname}.`, params, decl, work);
      }
    } else {
      const body = item.childForFieldName('body');
      if (body) fields(body, '', params, decl, work);
    }
    out.push(decl);
  }
  return out;
}

function typeParameters(item: SyntaxNode): Set<string> {
  const out = new Set<string>();
  for (const p of item.childForFieldName('type_parameters')?.namedChildren ?? []) {
    const n = p.type === 'type_identifier' ? p : p.childForFieldName('name') ?? p.namedChildren.find((c) => c.type === 'type_identifier');
    if (n) out.add(n.text);
  }
  return out;
}

function fields(body: SyntaxNode, prefix: string, params: Set<string>, decl: TypeDecl, work: Work): void {
  const out = decl.edges;
  if (body.type === 'field_declaration_list') {
    for (const f of body.namedChildren) {
      if (f.type !== 'field_declaration') continue;
      const type = f.childForFieldName('type');
      const name = f.childForFieldName('name')?.text;
      if (type && name) out.push(...edgesOf(type, prefix + name, f, params, decl.weak, work));
    }
  } else if (body.type === 'ordered_field_declaration_list') {
    let i = 0;
    for (const t of body.namedChildren) {
      if (t.type === 'visibility_modifier' || t.type === 'attribute_item' || t.type === 'line_comment' || t.type === 'block_comment') continue;
      out.push(...edgesOf(t, prefix + String(i++), t, params, decl.weak, work));
    }
  }
}

interface Frame {
  node: SyntaxNode;
  pointer?: 'Rc' | 'Arc';
  cell: boolean;
}

/** The named types `type` holds, each with the pointer and cells on the way to it. */
function edgesOf(type: SyntaxNode, field: string, at: SyntaxNode, params: Set<string>, weak: string[], work: Work): TypeEdge[] {
  const out: TypeEdge[] = [];
  const range = rangeOf(at);
  const stack: Frame[] = [{ node: type, cell: false }];
  const emit = (name: string, f: Frame) => {
    if (!WRAPPERS.has(name) && !params.has(name)) out.push({ field, range, target: name, pointer: f.pointer, cell: f.cell });
  };
  while (stack.length) {
    const f = stack.pop()!;
    const n = f.node;
    work.nodes++;
    switch (n.type) {
      case 'type_identifier':
        emit(n.text, f);
        break;
      case 'scoped_type_identifier': {
        const name = n.childForFieldName('name');
        if (name) emit(name.text, f);
        break;
      }
      case 'generic_type': {
        const head = n.childForFieldName('type');
        const name = head?.type === 'scoped_type_identifier' ? head.childForFieldName('name')?.text : head?.text;
        if (!name) break;
        if (name === 'Weak') {
          const target = n.childForFieldName('type_arguments')?.descendantsOfType('type_identifier').find((t) => !WRAPPERS.has(t.text));
          if (target) weak.push(target.text);
          break;
        }
        if (NOT_OWNING.has(name)) break;
        emit(name, f);
        const inner: Frame = { node: n, pointer: STRONG.has(name) ? (name as 'Rc' | 'Arc') : f.pointer, cell: f.cell || CELLS.has(name) };
        for (const arg of n.childForFieldName('type_arguments')?.namedChildren ?? []) stack.push({ ...inner, node: arg });
        break;
      }
      // Borrowed, not owned: a reference cannot keep its target alive past the owner.
      case 'reference_type':
      case 'pointer_type':
      // What a closure or trait object captures is not in its type; the code that stores one is followed instead.
      case 'function_type':
      case 'dynamic_type':
      case 'abstract_type':
        break;
      case 'array_type': {
        const element = n.childForFieldName('element');
        if (element) stack.push({ ...f, node: element });
        break;
      }
      case 'tuple_type':
      case 'bounded_type':
        for (const c of n.namedChildren) stack.push({ ...f, node: c });
        break;
    }
  }
  return out;
}
