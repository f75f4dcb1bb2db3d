/**
 * Which function a call names, as far as the files say: rustc resolves a name through the calling
 * module's own items, its imports and the receiver's type; the engine, without type inference,
 * follows what the code states and otherwise keeps a call as a possible call of every function of
 * that name. Used by caller lookup (`callers.ts`) and the workspace classification.
 */
import { SyntaxNode } from '../parsing/parser';
import { enclosingFunction } from './context';
import { declarationBefore } from './flow';
import { pathSegments, resolvePath } from './paths';
import { FnRef } from './site';
import { SourceFile } from './source';

/** Smart pointers a method call sees through to the value inside (`Box<Names>` → `Names`). */
const DEREF_WRAPPERS = new Set(['Box', 'Rc', 'Arc']);

/**
 * `x.name(…)` where the code states that `x` is of another type than `fn`'s: a method of that
 * type with the same name. Only a stated type counts (`self` in an `impl`, a variable declared
 * with a type or as a parameter, a struct literal, `T::new(…)` or `T::default()`, a field of a
 * struct declared in the same file); anything else may be `fn`'s type. `Self::name(…)` is of the
 * `impl` it is written in.
 */
export function receiverOfOtherType(call: SyntaxNode, fn: FnRef): boolean {
  let f = call.childForFieldName('function');
  if (f?.type === 'generic_function') f = f.childForFieldName('function');
  if (!fn.implType || !f) return false;
  // `Self::name(…)` names the type of the `impl` it is written in.
  const receiver = f.type === 'field_expression' ? f.childForFieldName('value') : null;
  const type = receiver ? receiverType(receiver) : f.type === 'scoped_identifier' && pathSegments(f)[0] === 'Self' ? enclosingImplType(f) : undefined;
  return type !== undefined && type !== fn.implType;
}

function enclosingImplType(node: SyntaxNode): string | undefined {
  for (let n = node.parent; n; n = n.parent) if (n.type === 'impl_item') return typeName(n.childForFieldName('type'), n);
  return undefined;
}

function receiverType(receiver: SyntaxNode): string | undefined {
  if (receiver.type === 'self') return enclosingImplType(receiver);
  if (receiver.type === 'call_expression') return constructedType(receiver);
  if (receiver.type === 'field_expression') return fieldType(receiver);
  if (receiver.type !== 'identifier') return undefined;
  const fn = enclosingFunction(receiver);
  const binding = fn && declarationBefore(fn, receiver.text, receiver);
  if (!binding) return undefined;
  const declared = binding.childForFieldName('type');
  if (declared) return typeName(declared, binding);
  const value = binding.childForFieldName('value');
  if (value?.type === 'struct_expression') return typeName(value.childForFieldName('name'), binding);
  return value?.type === 'call_expression' ? constructedType(value) : undefined;
}

/** `self.counter` where this file declares `struct App { counter: Counter, … }`: `Counter`. */
function fieldType(access: SyntaxNode): string | undefined {
  const owner = access.childForFieldName('value');
  const field = access.childForFieldName('field')?.text;
  const type = owner && field ? receiverType(owner) : undefined;
  if (!type) return undefined;
  let root = access;
  while (root.parent) root = root.parent;
  const struct = root.descendantsOfType('struct_item').find((s) => s.childForFieldName('name')?.text === type);
  const declaration = struct?.childForFieldName('body')?.namedChildren.find((f) => f.type === 'field_declaration' && f.childForFieldName('name')?.text === field);
  return declaration ? typeName(declaration.childForFieldName('type'), declaration) : undefined;
}

/** `T::new(…)` and `T::default()` are `T` by convention (`Self::new()`: the `impl`'s type). */
function constructedType(call: SyntaxNode): string | undefined {
  const callee = call.childForFieldName('function');
  const segs = callee?.type === 'scoped_identifier' ? pathSegments(callee) : [];
  const [type, method] = segs.slice(-2);
  if (segs.length < 2 || (method !== 'new' && method !== 'default') || !/^[A-Z]/.test(type)) return undefined;
  return type === 'Self' ? enclosingImplType(call) : type;
}

/**
 * The concrete type a type expression names, through references and smart pointers; undefined
 * for trait objects, `impl Trait`, tuples, and the type parameters of the code around `at`.
 */
function typeName(type: SyntaxNode | null, at: SyntaxNode): string | undefined {
  let t = type;
  while (t?.type === 'reference_type') t = t.childForFieldName('type');
  if (!t) return undefined;
  if (t.type === 'generic_type') {
    const inner = t.childForFieldName('type');
    const head = inner ? pathSegments(inner).pop() : undefined;
    if (head && DEREF_WRAPPERS.has(head)) return typeName(t.childForFieldName('type_arguments')?.namedChild(0) ?? null, at);
  } else if (t.type !== 'type_identifier' && t.type !== 'scoped_type_identifier') {
    return undefined;
  }
  const name = pathSegments(t).pop();
  if (!name || name === 'Self' || isTypeParameter(name, at)) return undefined;
  return name;
}

function isTypeParameter(name: string, at: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = at; n; n = n.parent) {
    const params = n.type === 'function_item' || n.type === 'impl_item' ? n.childForFieldName('type_parameters') : null;
    if (params?.namedChildren.some((p) => (p.childForFieldName('name') ?? p.namedChild(0))?.text === name)) return true;
  }
  return false;
}

/** `name(…)`, `self::name(…)`, `name::<T>(…)`, or `name (…)` among a macro's tokens: a name looked up in the calling module. */
export function isBareCall(call: SyntaxNode): boolean {
  if (call.type === 'identifier') return true;
  let f = call.childForFieldName('function');
  if (f?.type === 'generic_function') f = f.childForFieldName('function');
  if (f?.type === 'scoped_identifier') {
    const segs = pathSegments(f);
    return segs.length === 2 && segs[0] === 'self';
  }
  return f?.type === 'identifier';
}

/**
 * A bare `name(…)` (no path, not a method) resolves to the `fn name` that a block around the call,
 * or its module, defines, before any import (Rust lets no `use` bring in a second `name` there).
 * Returns that item, innermost first.
 */
export function namesakeInScope(from: SyntaxNode, name: string): SyntaxNode | undefined {
  for (let scope = from.parent; scope; scope = scope.parent) {
    // Associated functions are not in scope by their bare name; the module around the `impl` is.
    const module = scope.type === 'source_file' || (scope.type === 'declaration_list' && scope.parent?.type === 'mod_item');
    if (!module && scope.type !== 'block') continue;
    const item = scope.namedChildren.find((c) => c.type === 'function_item' && c.childForFieldName('name')?.text === name);
    if (item) return item;
    // Items of an outer module are not in scope inside an inner one.
    if (module) return undefined;
  }
  return undefined;
}


/**
 * The module segment of a free call's path, as written or as imported by `use`: `other` for
 * `other::name(…)`, `crate::other::name(…)` or a bare `name(…)` after `use crate::other::name`.
 */
export function moduleOfPath(file: SourceFile, call: SyntaxNode): string | undefined {
  let f = call.childForFieldName('function');
  if (f?.type === 'generic_function') f = f.childForFieldName('function');
  if (!f || (f.type !== 'identifier' && f.type !== 'scoped_identifier')) return undefined;
  const path = resolvePath(f, file.uses);
  return path.length >= 2 ? path[path.length - 2] : undefined;
}

/**
 * The name a file's module has in paths: its file name, the directory's for `mod.rs`, and `crate`
 * for a crate root (`lib.rs`, `main.rs`). Works on paths and URIs alike.
 */
export function moduleNameOf(file: string): string {
  const parts = file.split(/[\\/]/);
  const stem = (parts[parts.length - 1] ?? '').replace(/\.rs$/, '');
  if (stem === 'mod') return parts[parts.length - 2] ?? stem;
  return stem === 'lib' || stem === 'main' ? 'crate' : stem;
}

/** Whether `call` can be a call of `fn`: methods match `.name(`/`Type::name(`, free functions `name(`/`module::name(`. */
export function callMatches(call: SyntaxNode, fn: FnRef): boolean {
  let f = call.childForFieldName('function');
  // `name::<T>(…)`: the turbofish wraps the callee.
  if (f?.type === 'generic_function') f = f.childForFieldName('function');
  if (!f) return false;
  if (f.type === 'field_expression') return !!fn.implType && f.childForFieldName('field')?.text === fn.name;
  if (f.type !== 'identifier' && f.type !== 'scoped_identifier') return false;
  const segs = pathSegments(f);
  if (segs[segs.length - 1] !== fn.name) return false;
  const qualifier = segs[segs.length - 2];
  if (fn.implType) return qualifier === fn.implType || qualifier === 'Self';
  return qualifier === undefined || /^[a-z_]/.test(qualifier);
}

/**
 * A call written inside a macro's arguments (`println!("{}", handle(req))`): tree-sitter keeps
 * those as tokens, so the call shape is read from the token sequence — `name (…)`, `.name (…)`,
 * `Qualifier :: name (…)`. Its value is used by the macro, never discarded.
 */
function tokenCallMatches(name: SyntaxNode, fn: FnRef): boolean {
  if (name.text !== fn.name || name.parent?.type !== 'token_tree') return false;
  const args = name.nextSibling;
  if (args?.type !== 'token_tree' || !args.text.startsWith('(')) return false;
  const before = name.previousSibling;
  if (before?.type === '.') return !!fn.implType;
  if (before?.type === '::') {
    const qualifier = before.previousSibling?.text;
    return fn.implType ? qualifier === fn.implType || qualifier === 'Self' : !!qualifier && /^[a-z_]/.test(qualifier);
  }
  return !fn.implType;
}

/**
 * Calls of `fn` in document order: each place the name occurs in the text is looked up in the tree
 * (a handful of lookups instead of walking every call and identifier of the file). A call is
 * either a `call_expression` whose callee ends in the name, or the name followed by `(…)` inside
 * a macro's tokens.
 */
export function candidateCalls(file: SourceFile, fn: FnRef): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const { text, root } = file;
  for (let i = text.indexOf(fn.name); i >= 0; i = text.indexOf(fn.name, i + fn.name.length)) {
    const node = root.descendantForIndex(i, i + fn.name.length);
    if ((node.type !== 'identifier' && node.type !== 'field_identifier') || node.startIndex !== i || node.endIndex !== i + fn.name.length) continue;
    if (node.parent?.type === 'token_tree') {
      if (tokenCallMatches(node, fn)) out.push(node);
      continue;
    }
    // name → `a::name` / `x.name` → `…::<T>` → the call whose callee that is.
    let callee = node;
    while (callee.parent && (callee.parent.type === 'scoped_identifier' || callee.parent.type === 'field_expression' || callee.parent.type === 'generic_function')) {
      callee = callee.parent;
    }
    const call = callee.parent;
    if (call?.type === 'call_expression' && call.childForFieldName('function')?.id === callee.id && callMatches(call, fn) && !receiverOfOtherType(call, fn)) out.push(call);
  }
  return out;
}
