/**
 * Does a value own something a destructor would free? Without type inference this reads the
 * expression, its `let` or parameter declaration, and what the function did with it before.
 */
import { SyntaxNode } from '../parsing/parser';
import { enclosingFunction, functionInfo } from './context';
import { bindingName, declarationBefore } from './flow';
import { pathSegments } from './paths';
import { lastCodeChild } from './source';

export type Ownership =
  | { type: 'none'; why: string }
  /** `refcounted`: an `Rc`/`Arc`, whose count may be handed to a raw pointer rather than leaked. */
  | { type: 'owning'; why: string; refcounted?: 'Rc' | 'Arc' }
  /** `parts`: the call that handed the contents out first (`v.as_mut_ptr()`), whose result decides who owns them now. */
  | { type: 'transferred'; why: string; node?: SyntaxNode; parts?: SyntaxNode }
  | { type: 'unknown'; why: string };

const OWNING_TYPES = /^(Box|Vec|String|Rc|Arc|HashMap|HashSet|BTreeMap|BTreeSet|VecDeque|BinaryHeap|CString|OsString|PathBuf|File|TcpStream|TcpListener|UdpSocket|Mutex|RwLock)$/;
const COPY_TYPE = /^(&|\*|\(\)$|(u8|u16|u32|u64|u128|usize|i8|i16|i32|i64|i128|isize|f32|f64|bool|char)$)/;
const OWNING_CONSTRUCTORS = /^(Box|Vec|String|Rc|Arc|HashMap|HashSet|BTreeMap|VecDeque|CString|OsString|PathBuf|File|TcpStream|TcpListener)::(new|with_capacity|from|open|create|connect|bind|from_str|new_uninit|pin)$/;
const RAW_REBUILD = /(^|::)(from_raw|from_raw_parts|from_raw_fd|from_raw_handle|read|read_unaligned|read_volatile|assume_init_read)$/;
/** Taking these out of a value hands its contents to someone else before it is forgotten. */
const PART_METHODS = 'as_ptr|as_mut_ptr|as_non_null_ptr|as_raw_fd|as_raw_handle|as_raw_socket|as_raw|into_raw|raw|as_mut|get_mut|as_mut_slice|leak|split_at_mut|spare_capacity_mut';

export function ownershipOf(expr: SyntaxNode): Ownership {
  switch (expr.type) {
    case 'integer_literal':
    case 'float_literal':
    case 'boolean_literal':
    case 'char_literal':
    case 'string_literal':
    case 'raw_string_literal':
      return { type: 'none', why: 'a literal has no destructor' };
    case 'reference_expression':
      return { type: 'none', why: 'a reference owns nothing' };
    case 'unit_expression':
      return { type: 'none', why: '`()` has no destructor' };
    case 'type_cast_expression':
      return { type: 'none', why: 'an `as` cast yields a number or a pointer, which has no destructor' };
    case 'self':
      return selfOwnership(expr);
    case 'macro_invocation': {
      const m = expr.childForFieldName('macro')?.text;
      if (m === 'vec' || m === 'format') return { type: 'owning', why: `\`${m}!\` allocates on the heap` };
      return { type: 'unknown', why: `cannot tell what \`${m}!\` produces` };
    }
    case 'call_expression': {
      const f = expr.childForFieldName('function');
      if (!f) break;
      if (f.type === 'field_expression') {
        const method = f.childForFieldName('field')?.text ?? '';
        if (/^(to_string|to_owned|to_vec|into_boxed_\w+|collect)$/.test(method)) return { type: 'owning', why: `\`.${method}()\` returns an owned heap value` };
        break;
      }
      const text = pathSegments(f).slice(-2).join('::');
      if (RAW_REBUILD.test(text)) return { type: 'transferred', why: `the value is rebuilt from a raw pointer by \`${text}\`; forgetting it leaves ownership with that pointer`, node: expr };
      if (OWNING_CONSTRUCTORS.test(text)) return { type: 'owning', why: `\`${text}\` creates an owning value`, refcounted: refcounted(text.split('::')[0]) };
      const callee = f.type === 'identifier' ? functionNamed(expr, f.text) : undefined;
      if (callee && /from_raw/.test(callee.childForFieldName('body')?.text ?? '')) {
        return { type: 'transferred', why: `\`${f.text}\` rebuilds the value from raw parts; skipping its destructor leaves ownership with them`, node: expr };
      }
      const returned = callee?.childForFieldName('return_type') ?? undefined;
      if (returned) {
        const t = typeOwnership(returned, `${f.text}()`);
        if (t) return t;
      }
      break;
    }
    case 'identifier':
      return identifierOwnership(expr);
    case 'struct_expression': {
      const name = expr.childForFieldName('name');
      const copy = name && copyOwnership(expr, pathSegments(name).pop() ?? '', short(expr.text));
      if (copy) return copy;
      break;
    }
    case 'parenthesized_expression':
      return expr.namedChild(0) ? ownershipOf(expr.namedChild(0)!) : { type: 'unknown', why: 'empty expression' };
    case 'unsafe_block':
    case 'block': {
      // The value of `unsafe { File::from_raw_fd(fd) }` is its trailing expression.
      const block = expr.type === 'unsafe_block' ? expr.namedChildren.find((c) => c.type === 'block') : expr;
      const tail = block && lastCodeChild(block);
      if (tail && tail.type !== 'expression_statement' && tail.type !== 'let_declaration') return ownershipOf(tail);
      break;
    }
  }
  return { type: 'unknown', why: `cannot tell statically whether \`${short(expr.text)}\` owns heap memory or a resource` };
}

function refcounted(type: string): 'Rc' | 'Arc' | undefined {
  return type === 'Rc' || type === 'Arc' ? type : undefined;
}

function short(text: string): string {
  const t = text.replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 37)}…` : t;
}

function typeOwnership(type: SyntaxNode, name: string): Ownership | undefined {
  return typeTextOwnership(type.text.replace(/\s+/g, ''), name);
}

function typeTextOwnership(text: string, name: string): Ownership | undefined {
  if (COPY_TYPE.test(text)) return { type: 'none', why: `\`${name}: ${text}\` has no destructor` };
  const head = text.replace(/^(std|alloc|core)::(\w+::)*/, '').split('<')[0];
  if (OWNING_TYPES.test(head)) return { type: 'owning', why: `\`${name}: ${short(text)}\` owns its contents`, refcounted: refcounted(head) };
  return undefined;
}

function identifierOwnership(id: SyntaxNode): Ownership {
  const name = id.text;
  const fn = enclosingFunction(id);
  if (!fn) return { type: 'unknown', why: `cannot find where \`${name}\` is declared` };
  const moved = partsTaken(fn, name, id);
  if (moved) return moved;
  const decl = declarationBefore(fn, name, id);
  const bound = patternBinding(id, name, fn);
  // A pattern binding shadows a `let` or parameter made before its construct, not one made inside it.
  if (bound && (!decl || decl.startIndex < bound.node.startIndex)) return patternOwnership(bound, name);
  if (!decl) return { type: 'unknown', why: `cannot find where \`${name}\` is declared` };
  if (decl.childForFieldName('pattern')?.type === 'tuple_pattern') return tupleElementOwnership(decl, name);
  const type = decl.childForFieldName('type');
  if (type) {
    const t = typeOwnership(type, name) ?? copyOwnership(id, type.text.replace(/^&?\s*/, '').split('<')[0].split('::').pop() ?? '', name);
    if (t) return t;
  }
  const value = decl.type === 'let_declaration' ? decl.childForFieldName('value') : null;
  if (value) {
    const o = ownershipOf(value);
    if (o.type !== 'unknown') return o;
  }
  return { type: 'unknown', why: `cannot tell statically whether \`${name}\` owns heap memory or a resource` };
}

/** A binding made by a pattern that scopes `use`: the loop variable of a `for`, an `if let`, `while let` or match-arm pattern, an untyped closure parameter. */
export interface PatternBinding {
  kind: 'for' | 'if let' | 'while let' | 'match arm' | 'closure parameter';
  /** The construct whose pattern binds the name. */
  node: SyntaxNode;
  pattern: SyntaxNode;
}

export function patternBinding(use: SyntaxNode, name: string, fn: SyntaxNode): PatternBinding | undefined {
  // Nodes are compared by position: the parser hands out a fresh object for each visit.
  const within = (outer: SyntaxNode | null) => !!outer && use.startIndex >= outer.startIndex && use.endIndex <= outer.endIndex;
  for (let n = use.parent; n && n.startIndex >= fn.startIndex && n !== fn; n = n.parent) {
    let found: PatternBinding | undefined;
    if (n.type === 'for_expression' && within(n.childForFieldName('body'))) {
      found = { kind: 'for', node: n, pattern: n.childForFieldName('pattern')! };
    } else if ((n.type === 'if_expression' || n.type === 'while_expression') && within(n.childForFieldName(n.type === 'if_expression' ? 'consequence' : 'body'))) {
      const condition = n.childForFieldName('condition');
      if (condition?.type === 'let_condition') found = { kind: n.type === 'if_expression' ? 'if let' : 'while let', node: n, pattern: condition.childForFieldName('pattern')! };
    } else if (n.type === 'match_arm' && within(n.childForFieldName('value'))) {
      found = { kind: 'match arm', node: n, pattern: n.childForFieldName('pattern')! };
    } else if (n.type === 'closure_expression' && within(n.childForFieldName('body'))) {
      const params = n.childForFieldName('parameters');
      const untyped = params?.namedChildren.find((p) => p.type !== 'parameter' && bindingName(p) === name);
      if (untyped) found = { kind: 'closure parameter', node: n, pattern: untyped };
    }
    if (found?.pattern && binds(found.pattern, name)) return found;
  }
  return undefined;
}

/** Whether `pattern` binds `name` somewhere (constructor names like `Some` are not bindings). */
function binds(pattern: SyntaxNode, name: string): boolean {
  if (bindingName(pattern) === name) return true;
  return pattern.descendantsOfType(['identifier', 'shorthand_field_identifier']).some((id) => {
    if (id.text !== name) return false;
    const parent = id.parent;
    return !(parent && (parent.type === 'tuple_struct_pattern' || parent.type === 'struct_pattern') && parent.childForFieldName('type')?.startIndex === id.startIndex) && parent?.type !== 'scoped_identifier';
  });
}

function patternOwnership(bound: PatternBinding, name: string): Ownership {
  const line = bound.node.startPosition.row + 1;
  if (bound.kind === 'for' && bindingName(bound.pattern) === name) {
    const iterated = bound.node.childForFieldName('value');
    const element = iterated && elementOwnership(iterated, name);
    if (element) return element;
  }
  return { type: 'unknown', why: `\`${name}\` is bound by ${BINDER_LABELS[bound.kind]} at line ${line}; cannot tell statically whether it owns heap memory or a resource` };
}

const BINDER_LABELS: Record<PatternBinding['kind'], string> = {
  for: 'the `for` pattern',
  'if let': 'the `if let` pattern',
  'while let': 'the `while let` pattern',
  'match arm': 'the match arm',
  'closure parameter': 'a closure parameter',
};

/** Collections whose by-value iteration yields their single type argument. */
const ELEMENT_COLLECTIONS = /^(?:(?:std|alloc)::(?:\w+::)*)?(?:Vec|VecDeque|HashSet|BTreeSet|BinaryHeap|LinkedList|Option)<(.+)>$/;
/** Methods whose items borrow from, or are copied out of, what they iterate. */
const BORROWING_ITERATORS = /^(iter|iter_mut|chars|char_indices|bytes|lines|split\w*|rsplit\w*|keys|values|values_mut|windows|chunks\w*|matches|match_indices)$/;

/** What each item of `for name in iterated` owns, when the iterated expression says so. */
function elementOwnership(iterated: SyntaxNode, name: string): Ownership | undefined {
  if (iterated.type === 'reference_expression') return { type: 'none', why: `\`for ${name} in ${short(iterated.text)}\` yields references, which own nothing` };
  if (iterated.type === 'range_expression') return { type: 'none', why: `\`${name}\` takes the values of a range, which have no destructor` };
  if (iterated.type === 'call_expression') {
    const callee = iterated.childForFieldName('function');
    const method = callee?.type === 'field_expression' ? callee.childForFieldName('field')?.text : undefined;
    const receiver = callee?.childForFieldName('value');
    if (!method || !receiver) return undefined;
    if (BORROWING_ITERATORS.test(method)) return { type: 'none', why: `\`.${method}()\` yields borrowed or copied items, which own nothing` };
    if (/^(into_iter|drain|into_values)$/.test(method)) return elementOwnership(receiver, name);
    return undefined;
  }
  if (iterated.type !== 'identifier') return undefined;
  const fn = enclosingFunction(iterated);
  const type = fn && declarationBefore(fn, iterated.text, iterated)?.childForFieldName('type');
  if (!type) return undefined;
  const text = type.text.replace(/\s+/g, '');
  if (text.startsWith('&')) return { type: 'none', why: `iterating \`${iterated.text}: ${short(text)}\` yields references, which own nothing` };
  const element = ELEMENT_COLLECTIONS.exec(text)?.[1] ?? /^\[(.+);[^;\]]+\]$/.exec(text)?.[1];
  if (!element) return undefined;
  const owned = typeTextOwnership(element, name);
  return owned && { ...owned, why: `${owned.why} (each element of \`${iterated.text}\`, taken by value)` };
}

/** `let p = v.as_mut_ptr(); … mem::forget(v)`: the contents were handed to `p` first. */
function partsTaken(fn: SyntaxNode, name: string, use: SyntaxNode): Ownership | undefined {
  const body = fn.childForFieldName('body');
  if (!body) return undefined;
  const before = body.text.slice(0, use.startIndex - body.startIndex);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const method = new RegExp(`\\b${escaped}\\s*\\.\\s*(${PART_METHODS})\\s*\\(`).exec(before);
  if (method) {
    const parts = body.descendantsOfType('call_expression', body.startPosition, use.startPosition).filter((c) => {
      const f = c.childForFieldName('function');
      return c.endIndex <= use.startIndex && f?.type === 'field_expression' && f.childForFieldName('value')?.text === name && f.childForFieldName('field')?.text === method[1];
    }).pop();
    return { type: 'transferred', why: `its contents were handed out first by \`${name}.${method[1]}()\`, so forgetting it keeps them alive for their new owner`, parts };
  }
  const borrow = new RegExp(`&\\s*(mut\\s+\\*?|\\*)\\s*${escaped}\\b(?!\\s*\\.)`).exec(before);
  if (borrow) return { type: 'transferred', why: `a pointer to its contents (\`${borrow[0]}\`) was handed out first, so forgetting it keeps them alive for their new owner` };
  const read = new RegExp(`\\b(ptr::)?(read|copy_nonoverlapping|copy|read_unaligned)\\s*\\(\\s*&(mut\\s+)?${escaped}\\b`).exec(before);
  if (read) return { type: 'transferred', why: `its contents were moved out first with \`${read[0]}…)\`, so forgetting it prevents a double drop` };
  return undefined;
}

/** The function `name` defined in the same file as `from`. */
function functionNamed(from: SyntaxNode, name: string): SyntaxNode | undefined {
  let root = from;
  while (root.parent) root = root.parent;
  return root.descendantsOfType('function_item').find((f) => f.childForFieldName('name')?.text === name);
}

/**
 * `mem::forget(self)` / `ManuallyDrop::new(self)`: what `Self`'s declared fields own, less what
 * the method moves or hands out first (`ptr::read(&self.f)`, `mem::take(&mut self.f)`,
 * `Arc::as_ptr(&self.inner)`, `self.f.take()`). Read from the struct declared in the same file.
 */
function selfOwnership(self: SyntaxNode): Ownership {
  const fn = enclosingFunction(self);
  const info = fn && functionInfo(fn);
  const fallback: Ownership = { type: 'transferred', why: 'forgetting `self` ends a method that moved its parts out (an `into_raw`-style API)' };
  if (!fn || !info?.implType) return fallback;
  let root = self;
  while (root.parent) root = root.parent;
  const struct = structNamed(root, info.implType);
  const fields = struct?.childForFieldName('body');
  if (!struct || fields?.type !== 'field_declaration_list') return { ...fallback, why: `${fallback.why}; the fields of \`${info.implType}\` are not declared in this file` };
  const body = fn.childForFieldName('body')?.text ?? '';
  // `let s = self.as_str(); mem::forget(self); s`: a view of the contents leaves with the result.
  const view = /\bself\s*\.\s*(as_ptr|as_mut_ptr|as_str|as_mut_str|as_bytes|as_slice|as_mut_slice|as_raw|raw|into_raw|ptr|as_non_null_ptr)\s*\(/.exec(body);
  if (view) return { type: 'transferred', why: `\`self.${view[1]}()\` hands out its contents first, so forgetting \`self\` keeps them alive for their new owner` };
  // Types of the file with a `Drop` (read off the text: `impl<…> Drop for Name`).
  const dropped = new Set([...root.text.matchAll(/\bDrop\s+for\s+(?:\w+::)*([A-Za-z_]\w*)/g)].map((m) => m[1]));
  const leaked: string[] = [];
  for (const decl of fields.namedChildren) {
    const name = decl.childForFieldName('name')?.text;
    const type = decl.childForFieldName('type')?.text.replace(/\s+/g, '');
    if (decl.type !== 'field_declaration' || !name || !type) continue;
    const owns = typeTextOwnership(type, name)?.type === 'owning' || dropped.has(type.split('<')[0].split('::').pop() ?? '');
    if (owns && !movedOut(body, name)) leaked.push(`\`${name}: ${short(type)}\``);
  }
  if (leaked.length) return { type: 'owning', why: `${leaked.length === 1 ? 'field' : 'fields'} ${leaked.join(', ')} of \`${info.implType}\` ${leaked.length === 1 ? 'is' : 'are'} never released: the method does not move ${leaked.length === 1 ? 'it' : 'them'} out first` };
  return { type: 'transferred', why: `every field of \`${info.implType}\` that owns memory is moved out first, so forgetting \`self\` only skips its own destructor` };
}

/** The struct named `name` in the file: found from the text, then the node at that place. */
function structNamed(root: SyntaxNode, name: string): SyntaxNode | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const m of root.text.matchAll(new RegExp(`\\bstruct\\s+(${escaped})\\b`, 'g'))) {
    const at = m.index! + m[0].length - m[1].length;
    for (let n: SyntaxNode | null = root.descendantForIndex(at, at + name.length); n; n = n.parent) {
      if (n.type === 'struct_item') return n.childForFieldName('name')?.text === name ? n : undefined;
    }
  }
  return undefined;
}

/** Whether a method body moves field `name` out of `self` (or of the `ManuallyDrop` wrapping it), or hands out a pointer to it. */
function movedOut(body: string, name: string): boolean {
  const f = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    [
      `&\\s*(mut\\s+)?\\*?\\s*\\w+\\s*\\.\\s*${f}\\b(?!\\s*\\.)`,
      `\\.\\s*${f}\\s*\\.\\s*(take|as_ptr|as_mut_ptr|into_raw|swap|replace|into_inner|drain|split_off|into_iter)\\s*\\(`,
      // `let raw = self.task.raw;`, `let inner = self.inner;`: a part (or a copy of the handle) is kept.
      `\\bself\\s*\\.\\s*${f}\\s*\\.\\s*\\w+\\b(?!\\s*[(.:])`,
      `=\\s*self\\s*\\.\\s*${f}\\s*;`,
    ].join('|'),
  ).test(body);
}

/** Functions returning a pair of owning ends: `let (tx, rx) = mpsc::channel();`. */
const PAIR_CONSTRUCTORS = /^(channel|sync_channel|unbounded|bounded|pair|socketpair|duplex)$/;

function tupleElementOwnership(decl: SyntaxNode, name: string): Ownership {
  const value = decl.childForFieldName('value');
  let callee = value?.type === 'call_expression' ? value.childForFieldName('function') : undefined;
  if (callee?.type === 'generic_function') callee = callee.childForFieldName('function');
  const last = callee && (callee.type === 'identifier' || callee.type === 'scoped_identifier') ? pathSegments(callee).pop() : undefined;
  if (last && PAIR_CONSTRUCTORS.test(last)) return { type: 'owning', why: `\`${name}\` is one end made by \`${short(callee!.text)}()\`, which keeps the shared channel or connection alive` };
  return { type: 'unknown', why: `\`${name}\` is bound by the tuple pattern at line ${decl.startPosition.row + 1}; cannot tell statically whether it owns heap memory or a resource` };
}

/**
 * A value of a type the file declares `Copy` (`#[derive(Clone, Copy)]`, `impl Copy for T`) has
 * no destructor: forgetting it does nothing (rustc's `forgetting_copy_types` lint says so).
 */
function copyOwnership(from: SyntaxNode, type: string, what: string): Ownership | undefined {
  if (!/^[A-Za-z_]\w*$/.test(type)) return undefined;
  let root = from;
  while (root.parent) root = root.parent;
  const derived = new RegExp(`#\\[derive\\([^)]*\\bCopy\\b[^)]*\\)\\]\\s*(?:#\\[[^\\]]*\\]\\s*)*(?:pub(?:\\([^)]*\\))?\\s+)?(?:struct|enum)\\s+${type}\\b`);
  const implemented = new RegExp(`\\bimpl\\s*(?:<[^>]*>)?\\s*(?:\\w+::)*Copy\\s+for\\s+${type}\\b`);
  const text = root.text;
  return derived.test(text) || implemented.test(text) ? { type: 'none', why: `\`${what}\` is of \`${type}\`, a \`Copy\` type: it has no destructor` } : undefined;
}
