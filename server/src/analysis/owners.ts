/**
 * The owner model: who owns each raw pointer (and each leaked value turned into one), and whether
 * that owner ever gives it back.
 *
 * Phase one records, per file and as plain data, what each reclaiming call takes back (a field of
 * a named type, a parameter, a static, a local), which structs keep raw pointers in fields, what
 * their `Drop` impls touch, and where pointer parameters of the file's functions go. A leak site
 * names its owner (a field, a static, a parameter of a workspace function, foreign code, the
 * function's callers). Phase two pairs the two by *what* is reclaimed — never merely by pointer
 * family, except where the site's owner cannot be followed, and then only within the program the
 * site belongs to, saying so in the reasons.
 */
import { Kind, Range, RelatedLocation } from '../../../shared/src/findings';
import { SyntaxNode } from '../parsing/parser';
import { ExecContext, calleeLabel, enclosingFunction, functionInfo, precedingAttributes } from './context';
import { Destination, bindingName, declarationBefore, destinations } from './flow';
import { patternBinding } from './ownership';
import { pathSegments, resolvePath } from './paths';
import { candidateCalls } from './resolution';
import { FAMILIES, reclaimFamily } from './reclaims';
import { FnRef } from './site';
import { SourceFile } from './source';
import { lineCounter, positionCounter } from './text';

// ---------------------------------------------------------------------------------------------
// Facts (phase one, plain data)

/** What a reclaiming call takes back, as far as the code shows. */
export type ReclaimTarget =
  /**
   * `self.head`, `(*node).next`, `inner.ptr`: `struct` is `?` where the code does not state it.
   * `replaced`: the old value a `swap` took out for a new one (not the field's last value).
   */
  | { type: 'field'; struct: string; path: string[]; replaced?: boolean }
  | { type: 'param'; fn: string; implType?: string; index: number }
  | { type: 'static'; name: string }
  | { type: 'local' }
  | { type: 'unknown' };

/** The function a reclaim is written in. */
export interface ReclaimScope {
  name: string;
  implType?: string;
  isDrop: boolean;
  /** A method taking `self` by value: calling it ends the value's life, like a `Drop`. */
  consumesSelf: boolean;
  /** `extern "C" fn` or `#[no_mangle]`: foreign code can call it, e.g. as a free callback. */
  exported: boolean;
}

/** A call that gives memory back: `Box::from_raw`, `dealloc`, `ManuallyDrop::drop`, … */
export interface Reclaim {
  family: string;
  range: Range;
  label: string;
  targets: ReclaimTarget[];
  /** The pointee type where the code states it (`Box::<Node>::from_raw`, `p as *mut Node`, `p: *mut Node`). */
  pointee?: string;
  within?: ReclaimScope;
}

/** A struct that keeps raw pointers in fields (`*mut T`, `NonNull<T>`, `AtomicPtr<T>`, `Option<…>` of those). */
export interface PointerStruct {
  name: string;
  line: number;
  /** `#[derive(Copy)]`: a handle (a view into memory someone else owns), never the owner. */
  copy: boolean;
  /** Every field with the head of its type, so `self.inner.ptr` can be followed into `inner`'s type. */
  fields: { name: string; type: string; pointer: boolean }[];
}

/** An `impl Drop for T`: what its `drop` reads of `self` and which of `self`'s methods it calls. */
export interface DropImpl {
  type: string;
  line: number;
  range: Range;
  fieldsRead: string[];
  calls: string[];
  /** `drop` hands `self` (or a field) to something Leak Lens does not follow (`drop_in_place(self)`). */
  opaque: boolean;
}

/** Where a pointer parameter of a workspace function goes (`fn set(&mut self, p: *mut T) { self.p = p }`). */
export interface ParamSink {
  fn: string;
  implType?: string;
  index: number;
  owner: Owner;
}

export interface OwnerFacts {
  reclaims: Reclaim[];
  structs: PointerStruct[];
  drops: DropImpl[];
  /** Types with an `impl Copy for T` (a derive is recorded on the struct itself). */
  copies: string[];
  sinks: ParamSink[];
  /** Fields whose value this file stores into another field (`token.ptr = entry.packet;`). */
  moves: FieldMove[];
  /**
   * The file is a program of its own: it defines `fn main` and declares no out-of-line module, so
   * nothing another program of the same folder does can give its memory back.
   */
  standalone: boolean;
}

export interface FieldMove {
  /** The field read (of a struct whose type is not known here). */
  field: string;
  line: number;
}

/** Who owns a pointer once it leaves the expression that made it. */
export type Owner =
  /** `through`: fields followed from `struct` first (`self.root.children` is `Node.children` when `root: *mut Node`). */
  | { type: 'field'; struct: string; field: string; through?: string[] }
  | { type: 'static'; name: string }
  /** `form`: how the call names the function (`Type::f(p)`, `f(p)`, `x.f(p)`): how sure its definition is known. */
  | { type: 'param'; fn: string; implType?: string; index: number; callee: string; form: 'path' | 'bare' | 'method' }
  | { type: 'foreign'; callee: string; line: number }
  | { type: 'returned'; fn: string; exported: boolean; ref?: FnRef }
  | { type: 'several'; owners: Owner[] }
  | { type: 'unknown'; why: string };

export function emptyOwnerFacts(): OwnerFacts {
  return { reclaims: [], structs: [], drops: [], copies: [], sinks: [], moves: [], standalone: false };
}

// ---------------------------------------------------------------------------------------------
// Places: what expression a pointer is read from

/** `replaced`: the value read is the one a `swap`/`replace` took out while putting another in. */
type Place =
  | { type: 'self'; path: string[]; replaced?: boolean }
  | { type: 'field'; struct: string; path: string[]; replaced?: boolean }
  | { type: 'param'; index: number; name: string }
  | { type: 'static'; name: string }
  | { type: 'local' }
  | { type: 'unknown' };

/** Calls that take the old value out while putting a new one in (unless the new one is null). */
const REPLACING = /^(swap|replace|compare_exchange|compare_exchange_weak)$/;

function replacing(places: Place[], replaced: boolean): Place[] {
  return replaced ? places.map((p) => (p.type === 'self' || p.type === 'field' ? { ...p, replaced } : p)) : places;
}

/** `ptr::null_mut()`, `null()`, `None`, `NonNull::dangling()`: putting nothing back. */
function isNull(arg: SyntaxNode): boolean {
  return /^(None|(std::|core::)?(ptr::)?null(_mut)?\(\)|NonNull::dangling\(\))$/.test(arg.text.replace(/\s+/g, ''));
}

function isNullArgument(call: SyntaxNode): boolean {
  const first = call.childForFieldName('arguments')?.namedChild(0);
  return !!first && isNull(first);
}

/** Methods that read a pointer out of a cell, option or atomic without copying what it points to. */
const PLACE_METHODS = /^(as_ptr|as_mut_ptr|cast|cast_mut|cast_const|unwrap|expect|unwrap_unchecked|load|swap|take|get|get_mut|replace|into_inner|as_raw|borrow|borrow_mut|lock|as_ref|as_mut|read|compare_exchange|compare_exchange_weak|pop|pop_front|pop_back|remove|drain|into_iter|iter|iter_mut)$/;
/** Free functions that read their first argument's place (`ptr::read(&self.f)`, `mem::take(&mut self.f)`). */
const PLACE_FUNCTIONS = /^(read|read_unaligned|read_volatile|replace|take|swap|as_ptr|as_mut_ptr|from_mut|from_ref)$/;
const MAX_PLACE_HOPS = 6;

function placesOf(file: SourceFile, expr: SyntaxNode, fn: SyntaxNode | undefined, hops: number): Place[] {
  if (hops > MAX_PLACE_HOPS) return [{ type: 'unknown' }];
  switch (expr.type) {
    case 'parenthesized_expression':
    case 'reference_expression':
    case 'unary_expression':
    case 'try_expression': {
      const inner = expr.namedChildren.find((c) => c.type !== 'mutable_specifier');
      return inner ? placesOf(file, inner, fn, hops) : [{ type: 'unknown' }];
    }
    case 'type_cast_expression': {
      const value = expr.childForFieldName('value');
      return value ? placesOf(file, value, fn, hops) : [{ type: 'unknown' }];
    }
    case 'call_expression': {
      const f = expr.childForFieldName('function');
      if (!f) return [{ type: 'unknown' }];
      if (f.type === 'field_expression') {
        const receiver = f.childForFieldName('value');
        const method = f.childForFieldName('field')?.text ?? '';
        if (!receiver || !PLACE_METHODS.test(method)) return [{ type: 'unknown' }];
        return replacing(placesOf(file, receiver, fn, hops), REPLACING.test(method) && !isNullArgument(expr));
      }
      const first = expr.childForFieldName('arguments')?.namedChild(0);
      const segs = f.type === 'identifier' || f.type === 'scoped_identifier' ? pathSegments(f) : [];
      const name = segs[segs.length - 1] ?? '';
      if (!first || !PLACE_FUNCTIONS.test(name)) return [{ type: 'unknown' }];
      const second = expr.childForFieldName('arguments')?.namedChild(1);
      return replacing(placesOf(file, first, fn, hops), REPLACING.test(name) && !!second && !isNull(second));
    }
    case 'index_expression': {
      const value = expr.namedChild(0);
      return value ? placesOf(file, value, fn, hops) : [{ type: 'unknown' }];
    }
    case 'field_expression': {
      const value = expr.childForFieldName('value');
      const field = expr.childForFieldName('field')?.text;
      if (!value || !field) return [{ type: 'unknown' }];
      return placesOf(file, value, fn, hops).map((p): Place => {
        if (p.type === 'self') return { type: 'self', path: [...p.path, field] };
        if (p.type === 'field') return { type: 'field', struct: p.struct, path: [...p.path, field] };
        if (p.type === 'param' && fn) return { type: 'field', struct: paramTypeHead(fn, p.index) ?? '?', path: [field] };
        return { type: 'field', struct: '?', path: [field] };
      });
    }
    case 'self':
      return [{ type: 'self', path: [] }];
    case 'identifier':
      return identifierPlaces(file, expr, fn, hops);
    case 'scoped_identifier': {
      const name = expr.childForFieldName('name')?.text ?? '';
      return file.isStaticName(name) ? [{ type: 'static', name }] : [{ type: 'unknown' }];
    }
    default:
      return [{ type: 'unknown' }];
  }
}

function identifierPlaces(file: SourceFile, id: SyntaxNode, fn: SyntaxNode | undefined, hops: number): Place[] {
  const name = id.text;
  if (!fn) return file.isStaticName(name) ? [{ type: 'static', name }] : [{ type: 'unknown' }];
  const bound = patternBinding(id, name, fn);
  const decl = declarationBefore(fn, name, id);
  if (bound && (!decl || decl.startIndex < bound.node.startIndex)) {
    // `for p in self.nodes.drain(..)`, `if let Some(p) = self.ptr.take()`, `self.head.map(|node| …)`.
    const source =
      bound.kind === 'for' ? bound.node.childForFieldName('value') :
      bound.kind === 'if let' || bound.kind === 'while let' ? bound.node.childForFieldName('condition')?.childForFieldName('value') :
      bound.kind === 'match arm' ? bound.node.parent?.parent?.childForFieldName('value') :
      closureReceiver(bound.node);
    return source ? placesOf(file, source, fn, hops + 1) : [{ type: 'unknown' }];
  }
  if (!decl) return file.isStaticName(name) ? [{ type: 'static', name }] : [{ type: 'unknown' }];
  if (decl.type === 'parameter') {
    const params = fn.childForFieldName('parameters')?.namedChildren.filter((p) => p.type === 'parameter') ?? [];
    return [{ type: 'param', index: params.findIndex((p) => p.startIndex === decl.startIndex), name }];
  }
  const out: Place[] = [];
  const value = decl.childForFieldName('value');
  if (value) out.push(...placesOf(file, value, fn, hops + 1));
  // `cur = (*cur).next;` in a loop: the variable takes each of these places in turn.
  const body = fn.childForFieldName('body');
  for (const assign of body?.descendantsOfType('assignment_expression') ?? []) {
    const left = assign.childForFieldName('left');
    const right = assign.childForFieldName('right');
    if (left?.type === 'identifier' && left.text === name && right && assign.startIndex > decl.startIndex) out.push(...placesOf(file, right, fn, hops + 1));
  }
  return out.length ? out : [{ type: 'local' }];
}

/** `R` for a closure written `R.map(|x| …)`: its parameter is an item of `R`. */
function closureReceiver(closure: SyntaxNode): SyntaxNode | undefined {
  const call = closure.parent?.type === 'arguments' ? closure.parent.parent : undefined;
  const f = call?.type === 'call_expression' ? call.childForFieldName('function') : undefined;
  return f?.type === 'field_expression' ? f.childForFieldName('value') ?? undefined : undefined;
}

function paramTypeHead(fn: SyntaxNode, index: number): string | undefined {
  const param = fn.childForFieldName('parameters')?.namedChildren.filter((p) => p.type === 'parameter')[index];
  const type = param?.childForFieldName('type');
  return type ? typeHead(type.text) : undefined;
}

/** `Foo` for `&mut Foo<T>`, `*mut Foo`, `Box<Foo>`, `crate::a::Foo`. */
export function typeHead(text: string): string | undefined {
  // A reference's lifetime first (`&'a mut Foo`), before the spaces that separate it from `mut` go.
  const t = text.replace(/&\s*'\w+\s*/g, '&').replace(/\s+/g, '');
  // References and wrappers peeled from the ends by index: peeling by copies was quadratic in
  // the nesting (`Rc<Rc<…<S>…>>`).
  let start = 0;
  let end = t.length;
  for (;;) {
    TYPE_PREFIX.lastIndex = start;
    const prefix = TYPE_PREFIX.exec(t);
    if (prefix) {
      start += prefix[0].length;
      continue;
    }
    TYPE_WRAPPER.lastIndex = start;
    const wrapper = TYPE_WRAPPER.exec(t);
    if (wrapper && t[end - 1] === '>' && end - 1 > start + wrapper[0].length) {
      start += wrapper[0].length;
      end -= 1;
      continue;
    }
    break;
  }
  const head = t.slice(start, end).split('<')[0].split('::').pop();
  return head && /^[A-Za-z_]\w*$/.test(head) ? head : undefined;
}

const TYPE_PREFIX = /&(?:mut)?|\*(?:mut|const)/y;
const TYPE_WRAPPER = /(?:(?:std|core|alloc)::\w+::)?(?:Box|Rc|Arc|NonNull|Option|Cell|RefCell|UnsafeCell|AtomicPtr|ManuallyDrop|MaybeUninit)</y;

function placeToTarget(p: Place, fnNode: SyntaxNode | undefined): ReclaimTarget {
  const info = fnNode ? functionInfo(fnNode) : undefined;
  switch (p.type) {
    case 'self':
      return p.path.length ? { type: 'field', struct: info?.implType ?? '?', path: p.path, ...(p.replaced && { replaced: true }) } : { type: 'unknown' };
    case 'field':
      return { type: 'field', struct: p.struct, path: p.path, ...(p.replaced && { replaced: true }) };
    case 'param':
      return info && p.index >= 0 ? { type: 'param', fn: info.name, implType: info.implType, index: p.index } : { type: 'unknown' };
    case 'static':
      return { type: 'static', name: p.name };
    case 'local':
      return { type: 'local' };
    default:
      return { type: 'unknown' };
  }
}

// ---------------------------------------------------------------------------------------------
// Extraction

/** Records a reclaiming call found by the sites query, with what it takes back. */
export function collectReclaim(file: SourceFile, call: SyntaxNode, out: Reclaim[], within?: SyntaxNode): void {
  const f = call.childForFieldName('function');
  if (!f) return;
  const resolved = resolvePath(f, file.uses);
  if (resolved.length === 1 && resolved[0] === 'dealloc' && !file.uses.names.has('dealloc') && !file.uses.globs.length) return;
  const family = reclaimFamily(resolved);
  if (!family) return;
  // `within`: the function of the real file a macro's arguments are written in.
  const fnNode = within ?? enclosingFunction(call);
  const arg = call.childForFieldName('arguments')?.namedChild(0);
  const direct = arg ? placesOf(file, arg, fnNode, 0).map((p) => placeToTarget(p, fnNode)) : [{ type: 'unknown' as const }];
  const targets = dedupe([...direct, ...direct.flatMap((t) => (t.type === 'param' ? handedToParam(file, t) : []))]);
  out.push({ family, range: file.range(call), label: calleeLabel(call), targets, pointee: reclaimPointee(f, arg, fnNode), within: fnNode && scopeOf(fnNode) });
}

/** A file's calls by the name they call, found with one walk of the file. */
const callsOf = new WeakMap<SourceFile, Map<string, SyntaxNode[]>>();

function callsNamed(file: SourceFile, name: string): SyntaxNode[] {
  let byName = callsOf.get(file);
  if (!byName) {
    byName = new Map();
    for (const call of file.root.descendantsOfType('call_expression')) {
      const f = call.childForFieldName('function');
      const callee = f?.type === 'identifier' ? f.text : f?.type === 'scoped_identifier' || f?.type === 'field_expression' ? (f.childForFieldName('name') ?? f.childForFieldName('field'))?.text : undefined;
      if (callee) push(byName, callee, call);
    }
    callsOf.set(file, byName);
  }
  return byName.get(name) ?? [];
}

/**
 * `free_leaf(self.root)`, `free_leaf(*kid)`: what the file's calls of a reclaiming function hand
 * to the parameter it reclaims is reclaimed too (a `Drop` delegating to a helper, a recursive
 * walk over children). Same file only: that is where such helpers live.
 */
function handedToParam(file: SourceFile, t: Extract<ReclaimTarget, { type: 'param' }>): ReclaimTarget[] {
  const out: ReclaimTarget[] = [];
  for (const call of callsNamed(file, t.fn)) {
    const arg = call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'line_comment' && c.type !== 'block_comment')[t.index];
    if (!arg) continue;
    const fnNode = enclosingFunction(call);
    for (const p of placesOf(file, arg, fnNode, 0)) {
      const target = placeToTarget(p, fnNode);
      if (target.type === 'field' || target.type === 'static') out.push(target);
    }
  }
  return out;
}

function dedupe<T>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = JSON.stringify(i);
    return !seen.has(k) && !!seen.add(k);
  });
}

function scopeOf(fnNode: SyntaxNode): ReclaimScope {
  const info = functionInfo(fnNode);
  const impl = fnNode.parent?.type === 'declaration_list' ? fnNode.parent.parent : null;
  const trait = impl?.type === 'impl_item' ? impl.childForFieldName('trait') : null;
  const selfParam = fnNode.childForFieldName('parameters')?.namedChildren.find((p) => p.type === 'self_parameter');
  return {
    name: info.name,
    implType: info.implType,
    isDrop: !!trait && pathSegments(trait).pop() === 'Drop' && info.name === 'drop',
    consumesSelf: !!selfParam && !selfParam.text.includes('&'),
    exported: info.isForeignEntry,
  };
}

/** `Node` for `Box::<Node>::from_raw(p)`, `Box::from_raw(p as *mut Node)`, or `p: *mut Node`. */
function reclaimPointee(callee: SyntaxNode, arg: SyntaxNode | null | undefined, fnNode: SyntaxNode | undefined): string | undefined {
  const turbofish = /<\s*([A-Za-z_][\w:]*)\s*(?:<[^>]*>)?\s*>\s*::\s*\w+$/.exec(callee.text);
  if (turbofish) return typeHead(turbofish[1]);
  for (let a = arg; a; ) {
    if (a.type === 'type_cast_expression') return typeHead(a.childForFieldName('type')?.text ?? '');
    if (a.type === 'parenthesized_expression') a = a.namedChild(0);
    else break;
  }
  if (arg?.type === 'identifier' && fnNode) {
    const decl = declarationBefore(fnNode, arg.text, arg);
    const type = decl?.childForFieldName('type');
    if (type && /^\*\s*(mut|const)/.test(type.text)) return typeHead(type.text);
  }
  return undefined;
}

const POINTER_FIELD = /^((?:[\w:]*::)?(Option|Cell|UnsafeCell|RefCell|Vec|VecDeque|LinkedList)\s*<\s*)*(\*\s*(mut|const)\b|(?:[\w:]*::)?(NonNull|AtomicPtr|ManuallyDrop)\s*<)|^(?:[\w:]*::)?(HashMap|BTreeMap)\s*<[^,]+,\s*(\*\s*(mut|const)\b|(?:[\w:]*::)?NonNull\s*<)/;

/** A struct declaration, recorded when it keeps a raw pointer in a field. */
export function collectPointerStruct(file: SourceFile, struct: SyntaxNode, out: PointerStruct[]): void {
  const name = struct.childForFieldName('name')?.text;
  const body = struct.childForFieldName('body');
  if (!name || !body) return;
  const fields: PointerStruct['fields'] = [];
  if (body.type === 'field_declaration_list') {
    for (const decl of body.namedChildren) {
      if (decl.type !== 'field_declaration') continue;
      const fieldName = decl.childForFieldName('name')?.text;
      const type = decl.childForFieldName('type')?.text ?? '';
      if (fieldName) fields.push({ name: fieldName, type: typeHead(type) ?? '?', pointer: POINTER_FIELD.test(type) });
    }
  } else if (body.type === 'ordered_field_declaration_list') {
    body.namedChildren.filter((c) => c.type !== 'attribute_item' && c.type !== 'visibility_modifier').forEach((t, i) => fields.push({ name: String(i), type: typeHead(t.text) ?? '?', pointer: POINTER_FIELD.test(t.text) }));
  }
  if (fields.some((f) => f.pointer)) out.push({ name, line: struct.startPosition.row, copy: derives(struct, 'Copy'), fields });
}

function derives(item: SyntaxNode, trait: string): boolean {
  const derive = new RegExp(`^#\\[derive\\([^)]*\\b${trait}\\b`);
  return precedingAttributes(item).some((a) => derive.test(a));
}

/** `impl Copy for T`: `T` is a handle that owns nothing (a derive is read off the struct). */
export function collectCopyImpl(impl: SyntaxNode, copies: string[]): void {
  const trait = impl.childForFieldName('trait');
  const type = impl.childForFieldName('type');
  const name = type && pathSegments(type).pop();
  if (trait && name && pathSegments(trait).pop() === 'Copy') copies.push(name);
}

const DROP_IMPL = /\bimpl\b(?:\s*<[^{;]*?>)?\s+(?:[\w:]+::)?Drop\s+for\s+((?:[\w]+::)*([A-Za-z_]\w*))/g;

/**
 * The `impl Drop for T` blocks of a file, read from its text: a type's `Drop` decides whether the
 * pointers it keeps are freed wherever that `Drop` is written, so it is recorded in every file,
 * also one no rule would parse (a `drop.rs` that only calls `free_thing(self.ptr)`).
 */
export function dropImplsInText(source: string): DropImpl[] {
  if (!/\bDrop\s+for\b/.test(source)) return [];
  const text = codeOnly(source);
  // The editor's lines, which the tree's rows are (a lone `\r` ends one too); the impls come in order.
  const position = positionCounter(text);
  const out: DropImpl[] = [];
  for (const m of text.matchAll(DROP_IMPL)) {
    const open = text.indexOf('{', m.index! + m[0].length);
    if (open < 0) continue;
    const close = matchingBrace(text, open);
    // An impl that never closes: so would every later one, and each would scan to the end.
    if (close < 0) break;
    const block = text.slice(open, close + 1);
    const fn = /\bfn\s+drop\s*\([^)]*\)\s*\{/.exec(block);
    const body = fn ? block.slice(fn.index + fn[0].length - 1, matchingBrace(block, fn.index + fn[0].length - 1) + 1) : '';
    const fieldsRead = new Set<string>();
    const calls = new Set<string>();
    for (const r of body.matchAll(/\bself\s*\.\s*(\w+)(\s*\()?/g)) (r[2] ? calls : fieldsRead).add(r[1]);
    for (const r of body.matchAll(/\bSelf\s*::\s*(\w+)\s*\(/g)) calls.add(r[1]);
    // `drop_in_place(self)`, `free(self as *mut _)`, `Self::release(self)`: `self` itself is handed on.
    const opaque = /[(,]\s*(&\s*mut\s+)?\*?\s*self\s*(as\b[^,)]*)?[,)]/.test(body);
    const at = m.index! + m[0].length - m[2].length;
    const line = position(m.index!).row;
    const { row: nameLine, column: character } = position(at);
    out.push({ type: m[2], line, range: { start: { line: nameLine, character }, end: { line: nameLine, character: character + m[2].length } }, fieldsRead: [...fieldsRead], calls: [...calls], opaque });
  }
  return out;
}

/**
 * `text` with comments and the contents of string and char literals blanked (newlines kept), so
 * braces and `fn drop` are the code's: a doc comment's example `impl Drop` is not the type's.
 */
function codeOnly(text: string): string {
  // One regex pass: char literals first (so `'"'` opens no string), then comments, raw strings
  // and strings. Nested block comments are cut at their first `*/`, which only shortens one.
  // Built from slices: most matches are one-line comments, blanked without a second regex.
  let out = '';
  let last = 0;
  CODE_NOISE.lastIndex = 0;
  for (let m = CODE_NOISE.exec(text); m; m = CODE_NOISE.exec(text)) {
    const noise = m[0];
    if (noise.length <= 3 && noise[0] === "'") continue;
    out += text.slice(last, m.index) + (/[\r\n]/.test(noise) ? noise.replace(/[^\r\n]/g, ' ') : ' '.repeat(noise.length));
    last = m.index + noise.length;
  }
  return out + text.slice(last);
}

const CODE_NOISE = /'(?:\\.|[^'\\\r\n])'|\/\/[^\r\n]*|\/\*[\s\S]*?\*\/|\br(#*)"[\s\S]*?"\1|"(?:\\[\s\S]|[^"\\])*"/g;

/** The index of the brace closing the one at `open`, or -1 (comments and strings are blanked first). */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}


/** Where each raw-pointer parameter of `fnNode` goes, when it goes to an owner. */
export function collectParamSinks(file: SourceFile, fnNode: SyntaxNode, out: ParamSink[]): void {
  const info = functionInfo(fnNode);
  const params = fnNode.childForFieldName('parameters')?.namedChildren.filter((p) => p.type === 'parameter') ?? [];
  const body = fnNode.childForFieldName('body');
  if (!body) return;
  params.forEach((param, index) => {
    const type = param.childForFieldName('type')?.text ?? '';
    const name = bindingName(param.childForFieldName('pattern') ?? param);
    // A `*const T` parameter is read through (`ptr::read`, `copy_nonoverlapping`'s source): only a
    // `*mut T`, `NonNull` or `AtomicPtr` one can be handed ownership.
    if (!name || !POINTER_FIELD.test(type) || /^\*\s*const\b/.test(type)) return;
    for (const id of body.descendantsOfType('identifier')) {
      if (id.text !== name || id.parent?.type === 'scoped_identifier' || (id.parent?.type === 'field_expression' && id.parent.childForFieldName('field')?.id === id.id)) continue;
      const owner = ownerOf(file, destinations(file, id), fnNode);
      if (owner.type !== 'unknown') {
        out.push({ fn: info.name, implType: info.implType, index, owner });
        return;
      }
    }
  });
}

/**
 * `a.b = x.field;` / `Struct { b: x.field, .. }`: the value of `field` is stored into another
 * field, which may be the one a `from_raw` later takes back (`token.packet = entry.packet`, then
 * `Box::from_raw(token.packet)`). Read from the text: statement-shaped, one line each.
 */
const FIELD_MOVE = /(?:\.\s*(?:\w+|\d+)\s*=|[{,]\s*\w+\s*:)\s*(?:[\w()*&]+\s*\.\s*)+(\w+)\s*(?:as\s+[^;,{}]*)?[;,}]/g;

export function mayMoveFields(text: string): boolean {
  FIELD_MOVE.lastIndex = 0;
  return FIELD_MOVE.test(text);
}

export function fieldMovesInText(text: string): FieldMove[] {
  const out: FieldMove[] = [];
  const lineAt = lineCounter(text);
  FIELD_MOVE.lastIndex = 0;
  for (let m = FIELD_MOVE.exec(text); m; m = FIELD_MOVE.exec(text)) {
    if (!/^\d+$/.test(m[1])) out.push({ field: m[1], line: lineAt(m.index) });
  }
  return out;
}

/**
 * A program of its own: `fn main` at the top level, and no `mod name;` pulling in other files.
 * Read from the text (items at the start of a line), sparing a walk of every top-level item.
 */
export function isStandaloneProgram(text: string): boolean {
  return /^fn\s+main\s*\(/m.test(text) && !/^\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+[A-Za-z_]\w*\s*;/m.test(text);
}

// ---------------------------------------------------------------------------------------------
// The owner of a leak site

const OWNER_RANK: Owner['type'][] = ['several', 'static', 'field', 'foreign', 'returned', 'param', 'unknown'];

/**
 * The owner a pointer has after the expression whose destinations are `dests`: the strongest
 * of them (a static or field outlives a parameter it is also handed to). A pointer stored into
 * several statics or fields (a queue's head and tail) has them all as owners: any one of them
 * may free it.
 */
export function ownerOf(file: SourceFile, dests: Destination[], fnNode: SyntaxNode | undefined): Owner {
  const owners = dests.map((d) => destinationOwner(file, d, fnNode)).sort((a, b) => OWNER_RANK.indexOf(a.type) - OWNER_RANK.indexOf(b.type));
  const holders = dedupe(owners.filter((o) => o.type === 'static' || o.type === 'field'));
  if (holders.length > 1) return { type: 'several', owners: holders };
  return owners[0] ?? { type: 'unknown', why: 'Leak Lens cannot see where the pointer goes' };
}

const POINTER_WRAPPERS = /^(NonNull|AtomicPtr|Cell|UnsafeCell|ManuallyDrop)$/;

/** Path prefixes that are foreign-function interfaces by convention. */
const FFI_PATH = /^(libc|ffi|sys|c|bindings|raw)$|_sys$|_ffi$/;

export function isForeignCall(file: SourceFile, d: Extract<Destination, { type: 'passed' }>): boolean {
  if (file.externFns.has(d.name)) return true;
  return d.path.length > 1 && d.path.slice(0, -1).some((s) => FFI_PATH.test(s));
}

function destinationOwner(file: SourceFile, d: Destination, fnNode: SyntaxNode | undefined): Owner {
  const info = fnNode ? functionInfo(fnNode) : undefined;
  switch (d.type) {
    case 'static':
      return { type: 'static', name: d.name };
    case 'field': {
      if (d.struct && d.field) {
        const struct = d.struct === 'Self' ? info?.implType : d.struct;
        return struct ? { type: 'field', struct, field: d.field } : { type: 'unknown', why: `cannot tell which type \`Self\` is at line ${d.node.startPosition.row + 1}` };
      }
      const places = d.place ? placesOf(file, d.place, fnNode, 0) : [];
      const place = places.length === 1 ? places[0] : undefined;
      if (place?.type === 'self' && place.path.length >= 1 && info?.implType) return { type: 'field', struct: info.implType, field: place.path[place.path.length - 1], through: place.path.length > 1 ? place.path.slice(0, -1) : undefined };
      if (place?.type === 'field' && place.struct !== '?' && place.path.length === 1) return { type: 'field', struct: place.struct, field: place.path[0] };
      if (place?.type === 'static') return { type: 'static', name: place.name };
      return { type: 'unknown', why: `it is stored into \`${short(d.target)}\`, whose type Leak Lens cannot tell` };
    }
    case 'passed': {
      if (isForeignCall(file, d)) return { type: 'foreign', callee: d.callee, line: d.node.startPosition.row };
      const f = d.node.childForFieldName('function');
      const implType = f?.type === 'scoped_identifier' ? pathSegments(f).slice(-2, -1)[0] : undefined;
      // `NonNull::new_unchecked(p)`, `AtomicPtr::new(p)`: the same pointer in another type.
      if (implType && POINTER_WRAPPERS.test(implType) && /^(new|new_unchecked|from)$/.test(d.name)) return ownerOf(file, destinations(file, d.node), fnNode);
      const form = f?.type === 'scoped_identifier' ? 'path' : f?.type === 'field_expression' ? 'method' : 'bare';
      return { type: 'param', fn: d.name, implType: implType === 'Self' ? info?.implType : implType && /^[A-Z]/.test(implType) ? implType : undefined, index: d.argIndex, callee: d.callee, form };
    }
    case 'returned':
      if (!info) return { type: 'unknown', why: 'it is the value of an item outside any function' };
      return { type: 'returned', fn: info.name, exported: info.isForeignEntry, ref: { name: info.name, implType: info.implType, file: file.path, line: info.node.startPosition.row + 1 } };
    case 'closure-value':
      return { type: 'unknown', why: `it is returned from the closure at line ${d.node.startPosition.row + 1}, whose caller Leak Lens does not follow` };
    case 'local':
      return { type: 'unknown', why: d.method ? `it is handed on by ${d.use} at line ${d.node.startPosition.row + 1}, which Leak Lens does not follow` : `it is only used by ${d.use}` };
    default:
      return { type: 'unknown', why: 'Leak Lens cannot see where the pointer goes' };
  }
}

function short(text: string): string {
  const t = text.replace(/\s+/g, ' ');
  return t.length > 40 ? `${t.slice(0, 37)}…` : t;
}

/** `Node` for `Box::into_raw(Box::new(Node { … }))`, `Box::<Node>::into_raw(b)`, or `b: Box<Node>`. */
export function sitePointee(call: SyntaxNode): string | undefined {
  const f = call.childForFieldName('function');
  const turbofish = f && /<\s*([A-Za-z_][\w:]*)\s*(?:<[^>]*>)?\s*>\s*::\s*\w+$/.exec(f.text);
  if (turbofish) return typeHead(turbofish[1]);
  const arg = f?.type === 'field_expression' ? f.childForFieldName('value') : call.childForFieldName('arguments')?.namedChild(0);
  if (!arg) return undefined;
  if (arg.type === 'call_expression') {
    const inner = arg.childForFieldName('function');
    const value = arg.childForFieldName('arguments')?.namedChild(0);
    if (inner && /(^|::)(Box|Rc|Arc)::new$/.test(pathSegments(inner).join('::')) && value?.type === 'struct_expression') {
      const name = value.childForFieldName('name');
      return name ? typeHead(name.text) : undefined;
    }
  }
  if (arg.type === 'identifier') {
    const fn = enclosingFunction(arg);
    const type = fn && declarationBefore(fn, arg.text, arg)?.childForFieldName('type');
    if (type) return typeHead(type.text);
  }
  return undefined;
}

/** A call of a function that returns a pointer, and where the caller puts the result. */
export interface ReturnedCall {
  label: string;
  file: string;
  range: Range;
  /** Thrown away (`make();`), or kept only in a local that nothing frees. */
  lost?: 'discarded' | 'local';
  reclaimedBy?: { label: string; range: Range };
  owner: Owner;
  /** The calling function, whose callers decide how often it runs. */
  caller?: FnRef;
  /** The caller returns it in turn: its own calls. */
  calls?: ReturnedCall[];
}

/**
 * The calls of `fnNode` in its own file and where each puts the result. Only the file's own
 * calls: a method's calls elsewhere cannot be told from a namesake's without types, and a helper
 * that allocates for its callers lives beside them.
 */
function returnedCalls(file: SourceFile, fnNode: SyntaxNode, depth = 0): ReturnedCall[] {
  // Asked again for every site of the function, and for each caller's callers: once per tree.
  let known = returnedCallsOf.get(fnNode.tree);
  if (!known) returnedCallsOf.set(fnNode.tree, (known = new Map()));
  const key = `${fnNode.startIndex}:${fnNode.endIndex}:${depth}`;
  let calls = known.get(key);
  if (!calls) known.set(key, (calls = computeReturnedCalls(file, fnNode, depth)));
  return calls;
}

const returnedCallsOf = new WeakMap<object, Map<string, ReturnedCall[]>>();

function computeReturnedCalls(file: SourceFile, fnNode: SyntaxNode, depth: number): ReturnedCall[] {
  const info = functionInfo(fnNode);
  const out: ReturnedCall[] = [];
  for (const call of candidateCalls(file, { name: info.name, implType: info.implType, file: file.path, line: fnNode.startPosition.row + 1 })) {
    if (call.type !== 'call_expression') continue;
    const dests = destinations(file, call);
    const callerNode = enclosingFunction(call);
    const caller = callerNode && functionInfo(callerNode);
    const base = { label: `\`${calleeLabel(call)}()\` at line ${call.startPosition.row + 1}${caller ? `, in \`${caller.name}\`` : ''}`, file: file.path, range: file.range(call) };
    const lost = dests.every((d) => d.type === 'discarded' || d.type === 'unused') ? 'discarded' : dests.every((d) => d.type === 'unused' || (d.type === 'local' && !d.method)) ? 'local' : undefined;
    const reclaim = dests.find((d): d is Extract<Destination, { type: 'passed' }> => d.type === 'passed' && reclaimOf(file, d.node) !== undefined);
    const owner = ownerOf(file, dests, callerNode);
    const again = owner.type === 'returned' && !owner.exported && callerNode && depth < 2 ? returnedCalls(file, callerNode, depth + 1) : undefined;
    out.push({
      ...base,
      ...(lost && { lost }),
      ...(reclaim && { reclaimedBy: { label: calleeLabel(reclaim.node), range: file.range(reclaim.node) } }),
      owner,
      ...(caller && !caller.isMain && !caller.isTest && { caller: { name: caller.name, implType: caller.implType, file: file.path, line: caller.node.startPosition.row + 1 } }),
      ...(again && { calls: again }),
    });
  }
  return out;
}

/** The family of pointers a call such as `Box::from_raw(p)` or `dealloc(p, l)` gives back, if it is one. */
export function reclaimOf(file: SourceFile, call: SyntaxNode): string | undefined {
  const f = call.childForFieldName('function');
  return f && (f.type === 'identifier' || f.type === 'scoped_identifier') ? reclaimFamily(resolvePath(f, file.uses)) : undefined;
}

/** The question a site leaves for phase two: its pointer's owner, and what it knows of its context. */
export function ownerQuestion(file: SourceFile, call: SyntaxNode, ctx: ExecContext, dests: Destination[], family: string, fromRaw: string): OwnerQuestion {
  const owner = ownerOf(file, dests, ctx.fn?.node);
  // How often the code runs matters only where the pointer may end with foreign code.
  const mayGoForeign = owner.type === 'foreign' || owner.type === 'param';
  const fn = ctx.fn && mayGoForeign && !ctx.fn.isMain && !ctx.fn.isTest ? { name: ctx.fn.name, implType: ctx.fn.implType, file: file.path, line: ctx.fn.node.startPosition.row + 1 } : undefined;
  const main = ctx.fn?.isMain ? '`main`' : ctx.fn?.isTest ? `the test \`${ctx.fn.name}\`` : undefined;
  const calls = owner.type === 'returned' && !owner.exported && ctx.fn ? returnedCalls(file, ctx.fn.node) : undefined;
  return {
    owner,
    ...(calls && { calls }),
    family,
    pointee: sitePointee(call),
    fromRaw,
    fn,
    repeat: ctx.repeat?.label,
    once: ctx.once?.label ?? (ctx.repeat ? undefined : main),
  };
}

/**
 * `let p = v.as_mut_ptr(); mem::forget(v); c_takes(p, len)`: contents handed out before a value is
 * forgotten belong to whoever gets the pointer. Only foreign code is a question (it cannot free
 * them); a pointer kept by Rust code is that code's to rebuild.
 */
export function foreignPartsQuestion(file: SourceFile, parts: SyntaxNode, ctx: ExecContext): OwnerQuestion | undefined {
  const dests = destinations(file, parts);
  if (ownerOf(file, dests, ctx.fn?.node).type !== 'foreign') return undefined;
  return ownerQuestion(file, parts, ctx, dests, '*parts', 'Vec::from_raw_parts');
}

// ---------------------------------------------------------------------------------------------
// Resolution (phase two)

/** What a leak site leaves for the workspace to decide: who owns its pointer, and how to free it. */
export interface OwnerQuestion {
  owner: Owner;
  /** The site's pointer family (`Box`, `CString`, `*` for an unknown `.into_raw()`, `Vec::parts`, …). */
  family: string;
  pointee?: string;
  /** What frees it, for the reasons: "`Box::from_raw`". */
  fromRaw: string;
  /** The function the site is in, when its callers decide how often a pointer given away leaks. */
  fn?: FnRef;
  repeat?: string;
  once?: string;
  /** For a pointer returned from a function: the calls of that function in its own file. */
  calls?: ReturnedCall[];
  /** The kind when nothing gives it back, if not a real leak (a `ManuallyDrop` of a value not known to own memory). */
  unpaired?: Kind;
  /** The kind when the pairing is only by family (`mem::forget(arc)` keeps a count for a raw pointer on purpose). */
  pairedKind?: Kind;
}

export interface OwnerAnswer {
  kind: Kind;
  /** A real leak shown by an owner (a field with no `Drop`, foreign code, a discarded result), not by a missing pairing. */
  confident?: boolean;
  suffix?: string;
  reasons: string[];
  related: RelatedLocation[];
}

/** How often a function runs, as the workspace's call sites say (the classifier knows). */
export type RunsHow = { type: 'repeat' | 'once' | 'unknown'; label: string; related?: RelatedLocation };

/** What the owner model asks of the rest of the workspace: how often a function runs. */
export interface OwnerWorld {
  runs(fn: FnRef): RunsHow;
}

interface Located<T> {
  file: string;
  fact: T;
  standalone: boolean;
}

export class OwnerIndex {
  private readonly reclaims: Located<Reclaim>[] = [];
  private readonly structs = new Map<string, Located<PointerStruct>[]>();
  private readonly drops = new Map<string, Located<DropImpl>[]>();
  private readonly sinks = new Map<string, Located<ParamSink>[]>();
  private readonly copies = new Set<string>();
  private readonly moves = new Map<string, Located<FieldMove>[]>();

  constructor(facts: { path: string; owners: OwnerFacts }[]) {
    for (const { path, owners } of facts) {
      const at = <T>(fact: T): Located<T> => ({ file: path, fact, standalone: owners.standalone });
      for (const r of owners.reclaims) this.reclaims.push(at(r));
      for (const s of owners.structs) push(this.structs, s.name, at(s));
      for (const d of owners.drops) push(this.drops, d.type, at(d));
      for (const s of owners.sinks) push(this.sinks, s.fn, at(s));
      for (const c of owners.copies) this.copies.add(c);
      for (const m of owners.moves) push(this.moves, m.field, at(m));
    }
    this.reclaims.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.fact.range.start.line - b.fact.range.start.line || a.fact.range.start.character - b.fact.range.start.character);
  }

  /**
   * Facts a site in `file` can depend on: its own file's, and those of every file that is not a
   * program of its own (a folder of independent example programs shares nothing but libraries).
   */
  private visible<T>(items: Located<T>[], file: string): Located<T>[] {
    return items.filter((i) => i.file === file || !i.standalone);
  }

  resolve(q: OwnerQuestion, file: string, standalone: boolean, world: OwnerWorld, depth = 0): OwnerAnswer {
    const answer = this.answer(q, file, standalone, world, depth);
    return answer.kind === 'real-leak' && q.unpaired ? { ...answer, kind: q.unpaired, suffix: undefined } : answer;
  }

  private answer(q: OwnerQuestion, file: string, standalone: boolean, world: OwnerWorld, depth: number): OwnerAnswer {
    const o = q.owner;
    switch (o.type) {
      case 'static':
        return this.staticOwner(q, o, file, standalone);
      case 'field':
        return this.fieldOwner(q, o, file, standalone);
      case 'foreign':
        return this.foreignOwner(q, `it is handed to the foreign function \`${o.callee}\` at line ${o.line + 1}`, file, standalone, world);
      case 'returned':
        if (o.exported) return this.foreignOwner(q, `it is returned from \`${o.fn}\`, a function exported to foreign code`, file, standalone, world, true);
        return this.returnedOwner(q, o, file, standalone, world, depth);
      case 'param':
        return this.paramOwner(q, o, file, standalone, world, depth);
      case 'unknown':
        return this.byFamily(q, file, standalone, o.why);
      case 'several': {
        // Kept in several places: freed if any of them frees it.
        const answers = o.owners.map((owner) => this.answer({ ...q, owner }, file, standalone, world, depth));
        return answers.find((a) => a.kind !== 'real-leak') ?? answers.find((a) => a.confident) ?? answers[0];
      }
    }
  }

  private matching(q: OwnerQuestion, file: string, standalone: boolean, target: (t: ReclaimTarget) => boolean): Located<Reclaim>[] {
    return this.visible(this.reclaims, file).filter((r) => familyFits(q.family, r.fact.family, true) && pointeeFits(q.pointee, r.fact.pointee) && r.fact.targets.some(target));
  }

  private staticOwner(q: OwnerQuestion, o: Extract<Owner, { type: 'static' }>, file: string, standalone: boolean): OwnerAnswer {
    const back = this.matching(q, file, standalone, (t) => t.type === 'static' && t.name === o.name)[0];
    if (back) return reclaimed(back, `the pointer is kept in static \`${o.name}\`, and \`${back.fact.label}\` takes it back from there`, file);
    return { kind: 'intentional-static', reasons: [`the pointer is kept in static \`${o.name}\``, 'it stays reachable for the life of the program'], related: [] };
  }

  private fieldOwner(q: OwnerQuestion, owner: Extract<Owner, { type: 'field' }>, file: string, standalone: boolean): OwnerAnswer {
    const o = owner.through ? this.followFields(owner.struct, owner.through, owner.field) : owner;
    if (!o) return this.byFamily(q, file, standalone, `it is stored into \`${[owner.struct, ...owner.through!, owner.field].join('.')}\`, through fields whose types Leak Lens cannot see`);
    const structs = this.visible(this.structs.get(o.struct) ?? [], file);
    const where = `\`${o.struct}.${o.field}\``;
    const held = `the pointer is kept in the field ${where}`;
    // Types are known by name: a struct declared in the site's file is that file's, and a `Drop`
    // elsewhere is for it only if that file declares no type of the same name itself.
    const own = structs.filter((s) => s.file === file);
    const declaredIn = new Set((own.length ? own : structs).map((s) => s.file));
    const namesakes = new Set(structs.filter((s) => !declaredIn.has(s.file)).map((s) => s.file));
    const drops = this.visible(this.drops.get(o.struct) ?? [], file).filter((d) => !namesakes.has(d.file));
    const decl = (own.length ? own : structs)[0];
    const field = decl?.fact.fields.find((f) => f.name === o.field);
    if (decl && (decl.fact.copy || this.copies.has(o.struct))) return this.byFamily(q, file, standalone, `${held}, but \`${o.struct}\` is \`Copy\`: a handle to memory that something else owns`);
    if (decl && !field?.pointer) return this.byFamily(q, file, standalone, `it is stored through ${where}, which is not a raw pointer; Leak Lens does not follow what that field does with it`);
    const reclaims = this.matching(q, file, standalone, (t) => t.type === 'field' && this.fieldIs(t, o));
    const inDrop = reclaims.find((r) => r.fact.within?.isDrop && r.fact.within.implType === o.struct);
    if (inDrop) return reclaimed(inDrop, `${held}, and \`${o.struct}\`'s \`Drop\` hands it to \`${inDrop.fact.label}\``, file);
    const consuming = reclaims.find((r) => r.fact.within?.consumesSelf && r.fact.within.implType === o.struct);
    if (consuming) return reclaimed(consuming, `${held}, and the consuming method \`${o.struct}::${consuming.fact.within!.name}\` hands it to \`${consuming.fact.label}\``, file);
    if (!decl) return this.byFamily(q, file, standalone, `${held}, but \`${o.struct}\` is not declared with that pointer field anywhere Leak Lens can see`);
    const drop = drops[0];
    const method = reclaims.find((r) => r.fact.within?.implType === o.struct) ?? reclaims[0];
    if (method && drop) {
      return reclaimed(method, `${held}; \`${method.fact.within?.implType ?? '?'}::${method.fact.within?.name ?? '?'}\` hands it to \`${method.fact.label}\` and \`${o.struct}\` has a \`Drop\` (line ${drop.fact.line + 1}) that can reach it`, file);
    }
    // A method giving the field's current value back (`free`, `clear`, `pop`): released when it is
    // called. Only one that frees just what a `swap` replaced leaves the last value to a `Drop`.
    const release = reclaims.find((r) => r.fact.within?.implType === o.struct && r.fact.targets.some((t) => t.type === 'field' && this.fieldIs(t, o) && !t.replaced));
    if (release) return reclaimed(release, `${held}; \`${o.struct}::${release.fact.within!.name}\` hands it to \`${release.fact.label}\` (\`${o.struct}\` has no \`Drop\`: a value dropped without that call leaks it)`, file);
    if (method && method.fact.within?.implType !== o.struct) {
      // Reclaimed through another type (a list's `Drop` walking its nodes' `next` fields).
      return reclaimed(method, `${held}, and \`${method.fact.label}\` in \`${method.fact.within?.implType ?? method.fact.within?.name ?? '?'}\` takes such pointers back`, file);
    }
    // Before calling a leak: a copy of the pointer stored into another field may be the one freed.
    const moved = this.visible(this.moves.get(o.field) ?? [], file)[0];
    const movedOut = () => this.byFamily(q, file, standalone, `${held}, and its value is stored into another field at ${locate(moved!.file, moved!.fact.line, file)}; Leak Lens does not follow it from there`);
    if (drop) {
      const d = drop.fact;
      if (d.fieldsRead.includes(o.field) || d.opaque || d.calls.length) {
        const how = d.fieldsRead.includes(o.field) ? `reads \`self.${o.field}\`` : d.opaque ? 'hands `self` on' : `calls \`self.${d.calls[0]}()\``;
        return {
          kind: 'reclaimed',
          reasons: [held, `\`${o.struct}\`'s \`Drop\` at ${locate(drop.file, d.line, file)} ${how}; Leak Lens takes it to release the pointer`],
          related: [{ file: drop.file, range: d.range, message: `\`Drop\` of \`${o.struct}\`` }],
        };
      }
      // A `Drop` walking linked pointers (`cur = (*cur).next`) may free this one through another field.
      const walk = this.reclaims.find((r) => r.file === drop.file && r.fact.within?.isDrop && r.fact.within.implType === o.struct && familyFits(q.family, r.fact.family, true) && r.fact.targets.some((t) => t.type === 'field' && t.struct === '?'));
      if (walk) return reclaimed(walk, `${held}; \`${o.struct}\`'s \`Drop\` walks the pointers it links with \`${walk.fact.label}\`, which may reach this one`, file);
      if (moved) return movedOut();
      return {
        kind: 'real-leak',
        confident: true,
        suffix: `, and \`${o.struct}\`'s \`Drop\` never releases it`,
        reasons: [held, `\`${o.struct}\`'s \`Drop\` at ${locate(drop.file, d.line, file)} never touches \`${o.field}\`, so the allocation outlives every \`${o.struct}\``],
        related: [{ file: drop.file, range: d.range, message: `\`Drop\` of \`${o.struct}\`` }],
      };
    }
    if (moved) return movedOut();
    const related: RelatedLocation[] = [{ file: decl.file, range: lineRange(decl.fact.line), message: `\`${o.struct}\` has no \`Drop\`` }];
    if (method) {
      related.push({ file: method.file, range: method.fact.range, message: `reclaims only what \`${method.fact.within?.name ?? '?'}\` takes out` });
      return {
        kind: 'real-leak',
        confident: true,
        suffix: `: \`${o.struct}\` has no \`Drop\` to free the last one`,
        reasons: [held, `only \`${o.struct}::${method.fact.within?.name ?? '?'}\` hands \`${o.field}\` to \`${method.fact.label}\` (${locate(method.file, method.fact.range.start.line, file)}), for what it takes out or replaces`, `\`${o.struct}\` has no \`Drop\`: the pointer it still holds when it is dropped is never reclaimed`],
        related,
      };
    }
    return {
      kind: 'real-leak',
      confident: true,
      suffix: `, which nothing frees: \`${o.struct}\` has no \`Drop\``,
      reasons: [held, `\`${o.struct}\` (${locate(decl.file, decl.fact.line, file)}) has no \`Drop\` and no method hands \`${o.field}\` to \`${q.fromRaw}\``, 'every value of it that is dropped leaks the allocation'],
      related,
    };
  }

  /** `Tree` + [`root`] + `children` → `Node.children`, when `Tree.root` is declared `*mut Node`. */
  private followFields(struct: string, through: string[], field: string): Extract<Owner, { type: 'field' }> | undefined {
    let current = struct;
    for (const seg of through) {
      const next = this.structs.get(current)?.[0]?.fact.fields.find((f) => f.name === seg)?.type;
      if (!next || next === '?') return undefined;
      current = next;
    }
    return { type: 'field', struct: current, field };
  }

  /** Whether a reclaim's field target is `o`: `self.f` in `impl S`, `x.f` with `x: S`, or `a.b` through `a`'s declared type. */
  private fieldIs(t: Extract<ReclaimTarget, { type: 'field' }>, o: Extract<Owner, { type: 'field' }>): boolean {
    if (t.path[t.path.length - 1] !== o.field) return false;
    if (t.path.length === 1) return t.struct === o.struct || t.struct === '?';
    // Follow `self.inner.ptr` into the type of `inner`; where that type is not known, the name decides.
    let struct = t.struct;
    for (const seg of t.path.slice(0, -1)) {
      const decl = this.structs.get(struct)?.[0]?.fact;
      const field = decl?.fields.find((f) => f.name === seg);
      if (!field) return true;
      struct = field.type;
    }
    return struct === o.struct;
  }

  /**
   * A pointer returned to Rust callers is theirs: each call site says where the result goes. A
   * caller that throws it away, or keeps it where nothing frees it, leaks it; callers that all
   * give it back reclaim it. Where a caller cannot be followed, pairing falls back to the family.
   */
  private returnedOwner(q: OwnerQuestion, o: Extract<Owner, { type: 'returned' }>, file: string, standalone: boolean, world: OwnerWorld, depth: number): OwnerAnswer {
    const how = `it is returned from \`${o.fn}\``;
    const calls = depth < 3 ? q.calls ?? [] : [];
    const lost = calls.find((c) => c.lost);
    if (lost) {
      return {
        kind: 'real-leak',
        confident: true,
        suffix: ', and a caller loses it',
        reasons: [how, lost.lost === 'discarded' ? `${lost.label} throws the pointer away` : `${lost.label} keeps it only in a local and never frees it`, 'nothing can reclaim the allocation afterwards'],
        related: [{ file: lost.file, range: lost.range, message: 'the returned pointer is lost here' }],
      };
    }
    const answers = calls.map((c) => ({
      call: c,
      answer: c.reclaimedBy
        ? { kind: 'reclaimed' as const, reasons: [`${c.label} gives it to \`${c.reclaimedBy.label}\``], related: [{ file: c.file, range: c.reclaimedBy.range, message: `reclaimed by \`${c.reclaimedBy.label}\`` }] }
        : c.owner.type === 'unknown'
          ? undefined
          : this.resolve({ ...q, owner: c.owner, fn: c.caller, calls: c.calls }, file, standalone, world, depth + 1),
    }));
    const leak = answers.find((a) => a.answer?.kind === 'real-leak' && a.answer.confident);
    if (leak?.answer) return { ...leak.answer, reasons: [how, `${leak.call.label} keeps it:`, ...leak.answer.reasons], related: [{ file: leak.call.file, range: leak.call.range, message: 'the caller that leaks it' }, ...leak.answer.related] };
    const decided = answers.length > 0 && answers.every((a) => a.answer && a.answer.kind !== 'real-leak');
    if (decided) {
      const first = answers[0];
      return { ...first.answer!, reasons: [how, `every call in this file gives it an owner; ${first.call.label}:`, ...first.answer!.reasons] };
    }
    return this.byFamily(q, file, standalone, calls.length ? `${how}, and Leak Lens cannot follow it in every caller` : `${how}; Leak Lens does not follow it into callers in other files`);
  }

  private paramOwner(q: OwnerQuestion, o: Extract<Owner, { type: 'param' }>, file: string, standalone: boolean, world: OwnerWorld, depth: number): OwnerAnswer {
    // Functions are known by name only: `Type::f` is the `f` of an `impl Type` anywhere; `f` and
    // `x.f` (whose receiver's type is unknown) are a free function and a method of the same crate.
    const isCallee = (fn: string, implType: string | undefined, index: number, at: string) =>
      fn === o.fn && index === o.index && (o.implType ? implType === o.implType : (o.form === 'method') === !!implType && crateOf(at) === crateOf(file));
    const back = this.visible(this.reclaims, file).find((r) => familyFits(q.family, r.fact.family, true) && pointeeFits(q.pointee, r.fact.pointee) && r.fact.targets.some((t) => t.type === 'param' && isCallee(t.fn, t.implType, t.index, r.file)));
    if (back) return reclaimed(back, `the pointer is handed to \`${o.callee}\`, which gives it to \`${back.fact.label}\``, file);
    const sinks = this.visible(this.sinks.get(o.fn) ?? [], file).filter((s) => isCallee(s.fact.fn, s.fact.implType, s.fact.index, s.file));
    if (sinks.length === 1 && depth < 4) {
      const inner = this.resolve({ ...q, owner: sinks[0].fact.owner }, sinks[0].file, sinks[0].standalone, world, depth + 1);
      return { ...inner, reasons: [`the pointer is handed to \`${o.callee}\`, parameter ${o.index + 1} of a function in ${sinks[0].file === file ? 'this file' : sinks[0].file}`, ...inner.reasons] };
    }
    return this.byFamily(q, file, standalone, `it is handed to \`${o.callee}\`, which Leak Lens does not follow`);
  }

  /**
   * Foreign code cannot free memory from Rust's allocator: the pointer is freed only if foreign
   * code hands it back to a workspace function that reclaims it (a free or destroy callback, an
   * exported `*_free`). Without one, it leaks as often as this code runs.
   */
  private foreignOwner(q: OwnerQuestion, how: string, file: string, standalone: boolean, world: OwnerWorld, returned = false): OwnerAnswer {
    const callback = this.visible(this.reclaims, file).find((r) => r.fact.within?.exported && familyFits(q.family, r.fact.family, true) && pointeeFits(q.pointee, r.fact.pointee));
    if (callback) {
      return {
        kind: 'ownership-transfer',
        reasons: [how, `foreign code can give it back to the exported \`${callback.fact.within!.name}\` at ${locate(callback.file, callback.fact.range.start.line, file)}, which reclaims it with \`${callback.fact.label}\``],
        related: [{ file: callback.file, range: callback.fact.range, message: `reclaimed by \`${callback.fact.within!.name}\`` }],
      };
    }
    const noWayBack = `no function foreign code can call takes it back to \`${q.fromRaw}\`, and foreign code cannot free memory from Rust's allocator`;
    // An exported function's callers are foreign code: each of their calls gets a new allocation.
    if (returned) return { kind: 'real-leak', confident: true, suffix: ', on every call', reasons: [how, noWayBack, 'each call from foreign code leaks one allocation'], related: [] };
    if (q.once) return { kind: 'intentional-static', suffix: ', once', reasons: [how, noWayBack, `it happens inside ${q.once}, which runs once`], related: [] };
    if (q.repeat) return { kind: 'real-leak', confident: true, suffix: ', on every iteration', reasons: [how, noWayBack, `inside ${q.repeat}: one allocation lost per iteration`], related: [] };
    if (!q.fn) return { kind: 'intentional-static', reasons: [how, noWayBack, 'outside any function: evaluated once'], related: [] };
    const r = world.runs(q.fn);
    const related = r.related ? [r.related] : [];
    if (r.type === 'once') return { kind: 'intentional-static', suffix: ', which runs once', reasons: [how, noWayBack, r.label], related };
    if (r.type === 'repeat') return { kind: 'real-leak', confident: true, suffix: ', which runs repeatedly', reasons: [how, noWayBack, r.label, 'each call leaks a new allocation'], related };
    return { kind: 'real-leak', confident: true, suffix: ', on every call', reasons: [how, noWayBack, `every call of \`${q.fn.name}\` leaks one allocation (${r.label})`], related };
  }

  /**
   * The site's owner cannot be followed: pair with a reclaim of the same pointer family (and
   * pointee, where both state it) in the site's program, and say that this is all the pairing is.
   */
  private byFamily(q: OwnerQuestion, file: string, standalone: boolean, why: string): OwnerAnswer {
    const pool = this.visible(this.reclaims, file).filter((r) => familyFits(q.family, r.fact.family, false) && pointeeFits(q.pointee, r.fact.pointee));
    const found = pool.find((r) => r.file === file) ?? pool[0];
    if (!found) {
      const loop = q.repeat ? ` (inside ${q.repeat}, so once per iteration)` : '';
      return { kind: 'real-leak', reasons: [`Leak Lens cannot follow the pointer: ${why}`, `no \`${q.fromRaw}\` in ${standalone ? 'this program' : 'the workspace'} takes such a pointer back${loop}`], related: [] };
    }
    const where = locate(found.file, found.fact.range.start.line, file);
    return {
      kind: q.pairedKind ?? 'reclaimed',
      reasons: [`Leak Lens cannot follow the pointer: ${why}`, `handed back by \`${found.fact.label}\` at ${where}${found.file === file ? '' : ' (another file)'}`, 'paired by pointer type only, since the pointer itself could not be followed'],
      related: [{ file: found.file, range: found.fact.range, message: `reclaimed by \`${found.fact.label}\`` }],
    };
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function reclaimed(r: Located<Reclaim>, reason: string, file: string): OwnerAnswer {
  return {
    kind: 'reclaimed',
    reasons: [reason, `at ${locate(r.file, r.fact.range.start.line, file)}`, 'ownership returns to a smart pointer that frees it'],
    related: [{ file: r.file, range: r.fact.range, message: `reclaimed by \`${r.fact.label}\`` }],
  };
}

/** The crate a source file belongs to, by Cargo's layout: the directory holding its `src/`. */
function crateOf(file: string): string {
  const path = file.replace(/\\/g, '/');
  const at = path.lastIndexOf('/src/');
  return at >= 0 ? path.slice(0, at) : path.slice(0, path.lastIndexOf('/'));
}

function locate(at: string, line: number, from: string): string {
  return at === from ? `line ${line + 1}` : `${at}:${line + 1}`;
}

function lineRange(line: number): Range {
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

/**
 * Whether a reclaim of family `reclaim` can take back a pointer of family `wanted`. `*` is a
 * pointer of unknown owner (a `.into_raw()` method), `*parts` the raw parts of a `Vec` or
 * `String`. Where the reclaim provably takes back this very pointer (`byOwner`), `dealloc` also
 * frees a `Box`'s memory.
 */
export function familyFits(wanted: string, reclaim: string, byOwner: boolean): boolean {
  if (wanted === '*') return reclaim !== 'alloc' && reclaim !== 'ManuallyDrop' && !reclaim.endsWith('::parts');
  if (wanted === '*parts') return reclaim.endsWith('::parts');
  if (byOwner && reclaim === 'alloc' && (wanted === 'Box' || FAMILIES.includes(wanted))) return true;
  return wanted === reclaim;
}

function pointeeFits(wanted: string | undefined, reclaim: string | undefined): boolean {
  return !wanted || !reclaim || wanted === reclaim || /^[A-Z]$/.test(wanted) || /^[A-Z]$/.test(reclaim);
}
