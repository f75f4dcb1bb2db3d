/**
 * Where a value goes after the expression that produced it: stored into a static, returned,
 * handed to a call, kept in a local, or thrown away. Intra-procedural and syntactic: variables are
 * followed by name through the rest of their function, a few hops deep.
 */
import { SyntaxNode } from '../parsing/parser';
import { calleeLabel, calleeName, enclosingFunction, functionInfo } from './context';
import { syntheticNode } from './macros';
import { pathSegments } from './paths';
import { SourceFile, lastCodeChild } from './source';
import { matchOffsets } from './text';

export type Destination =
  | { type: 'discarded'; node: SyntaxNode }
  | { type: 'static'; name: string; via: string; node: SyntaxNode }
  | { type: 'returned'; node: SyntaxNode }
  /** Value of a closure body: where it goes is decided by the closure's caller. */
  | { type: 'closure-value'; node: SyntaxNode }
  | { type: 'passed'; callee: string; name: string; path: string[]; node: SyntaxNode; argIndex: number }
  /**
   * Stored into a field: `place` is the field expression assigned to (`self.ptr = …`), or the
   * receiver of a storing method (`self.ptr.store(…)`); a struct literal (`Node { ptr: … }`) names
   * the struct and field instead, and `instance` is the literal, whose own destination says how
   * long the value lives.
   */
  | { type: 'field'; target: string; node: SyntaxNode; place?: SyntaxNode; struct?: string; field?: string; instance?: SyntaxNode }
  /** `method`: used as a method receiver, which may hand it on in ways not followed here. */
  | { type: 'local'; use: string; node: SyntaxNode; method?: boolean }
  | { type: 'unused'; variable: string; node: SyntaxNode };

/** Expressions a value passes through unchanged for our purposes. */
const TRANSPARENT = new Set([
  'parenthesized_expression', 'reference_expression', 'unary_expression', 'type_cast_expression',
  'try_expression', 'await_expression', 'tuple_expression', 'array_expression', 'else_clause',
  'if_expression', 'match_arm', 'match_block', 'match_expression',
]);

/** Methods whose result still is (a view of) the receiver. */
const VIEW_METHODS = new Set([
  'unwrap', 'expect', 'as_str', 'as_ref', 'as_mut', 'as_ptr', 'as_mut_ptr', 'cast', 'cast_mut', 'cast_const',
  'as_slice', 'as_mut_slice', 'as_bytes', 'borrow', 'borrow_mut', 'into', 'unwrap_unchecked',
]);

/** Methods on a global that keep what they are given. */
const STORING_METHODS = new Set([
  'set', 'get_or_init', 'store', 'swap', 'compare_exchange', 'compare_exchange_weak', 'push', 'push_back',
  'push_front', 'insert', 'replace', 'write', 'extend', 'send', 'get_or_insert', 'get_or_insert_with',
  'entry', 'or_insert', 'append', 'with',
]);

/** Methods of a cell, atomic or option in a field that put their argument into it. */
const FIELD_STORING_METHODS = new Set(['store', 'swap', 'set', 'replace', 'compare_exchange', 'compare_exchange_weak', 'insert', 'get_or_insert', 'push', 'push_back', 'push_front']);

const MAX_HOPS = 6;

/** The struct a literal or pattern names: `Node` for `Node::<T> { … }`, `Self` kept as written. */
export function structNameOf(name: SyntaxNode): string | undefined {
  const segs = pathSegments(name);
  return segs[segs.length - 1] || undefined;
}

export function destinations(file: SourceFile, expr: SyntaxNode, hops = 0): Destination[] {
  let cur = expr;
  for (;;) {
    const p = cur.parent;
    if (!p) return [{ type: 'local', use: 'the enclosing item', node: cur }];
    if (TRANSPARENT.has(p.type)) {
      // The condition of an `if`/scrutinee of a `match` only reads the value.
      if ((p.type === 'if_expression' && p.childForFieldName('condition')?.id === cur.id) ||
          (p.type === 'match_expression' && p.childForFieldName('value')?.id === cur.id)) {
        return [{ type: 'local', use: 'a condition', node: p }];
      }
      cur = p;
      continue;
    }
    switch (p.type) {
      case 'field_initializer':
      case 'shorthand_field_initializer': {
        if (p.type === 'field_initializer' && p.childForFieldName('value')?.id !== cur.id) return [{ type: 'local', use: 'a field name', node: p }];
        const literal = p.parent?.parent;
        const field = p.type === 'field_initializer' ? p.childForFieldName('field')?.text : cur.text;
        if (literal?.type !== 'struct_expression' || !field) return [{ type: 'local', use: 'a struct literal', node: p }];
        const name = literal.childForFieldName('name');
        const struct = name ? structNameOf(name) : undefined;
        return [{ type: 'field', target: `${struct ?? '?'}.${field}`, node: literal, struct, field, instance: literal }];
      }
      case 'base_field_initializer':
        return [{ type: 'local', use: 'a struct update base', node: p }];
      case 'field_expression': {
        // `value.method::<T>()` wraps the field expression in a `generic_function`.
        const callee = p.parent?.type === 'generic_function' ? p.parent : p;
        const call = callee.parent;
        if (p.childForFieldName('value')?.id !== cur.id) return [{ type: 'local', use: 'a field access', node: p }];
        if (call?.type === 'call_expression' && call.childForFieldName('function')?.id === callee.id) {
          const method = p.childForFieldName('field')?.text ?? '';
          if (VIEW_METHODS.has(method)) {
            cur = call;
            continue;
          }
          return [{ type: 'local', use: `the method call \`.${method}()\``, node: call, method: true }];
        }
        cur = p;
        continue;
      }
      case 'arguments': {
        const call = p.parent;
        if (!call) return [{ type: 'local', use: 'an argument', node: p }];
        if (call.type !== 'call_expression') return [{ type: 'local', use: 'an argument', node: call }];
        const tuple = tupleStructOf(file, call);
        if (tuple) {
          const index = p.namedChildren.filter((c) => c.type !== 'line_comment' && c.type !== 'block_comment').findIndex((c) => c.id === cur.id);
          return [{ type: 'field', target: `${tuple}.${index}`, node: call, struct: tuple, field: String(index), instance: call }];
        }
        if (isWrapper(call)) {
          cur = call;
          continue;
        }
        return [argumentDestination(file, call, cur)];
      }
      case 'let_declaration': {
        if (p.childForFieldName('value')?.id !== cur.id) return [{ type: 'local', use: 'a `let` type', node: p }];
        return bindingDestinations(file, p, hops);
      }
      case 'assignment_expression': {
        if (p.childForFieldName('right')?.id !== cur.id) return [{ type: 'local', use: 'an assignment target', node: p }];
        return assignmentDestinations(file, p, hops);
      }
      case 'compound_assignment_expr':
        return [{ type: 'local', use: 'a compound assignment', node: p }];
      case 'return_expression':
        return [returnOf(p)];
      case 'expression_statement':
        // Block-like expressions (`unsafe {}`, `if`, `match`) are wrapped in a statement node even
        // as a block's trailing value; only one that ends the block without `;` yields a value.
        if (p.lastChild?.type !== ';' && p.parent?.type === 'block' && lastCodeChild(p.parent)?.id === p.id) {
          cur = p;
          continue;
        }
        return [{ type: 'discarded', node: p }];
      case 'block': {
        // Statements are wrapped in `expression_statement`; a bare child is the block's value.
        const owner = p.parent;
        if (owner?.type === 'function_item') return [{ type: 'returned', node: cur }];
        if (owner?.type === 'closure_expression') return [{ type: 'closure-value', node: owner }];
        cur = p;
        continue;
      }
      case 'unsafe_block':
      case 'async_block':
        cur = p;
        continue;
      case 'closure_expression':
        return [{ type: 'closure-value', node: p }];
      case 'static_item':
      case 'const_item':
        return [{ type: 'static', name: p.childForFieldName('name')?.text ?? '?', via: 'its initialiser', node: p }];
      case 'macro_invocation':
      case 'token_tree': {
        // Inside a macro's tokens: go on in the macro code read as Rust, where it was.
        const view = file.macros;
        const synthetic = view && syntheticNode(view, cur);
        if (view && synthetic && hops < MAX_HOPS) return destinations(view.file, synthetic, hops + 1);
        return [{ type: 'local', use: `the macro \`${macroName(p)}!\``, node: p }];
      }
      default:
        return [{ type: 'local', use: `an expression (${p.type.replace(/_/g, ' ')})`, node: p }];
    }
  }
}

/** `Handle(p)` / `Self(p)` building a tuple struct this file declares: the value is its field. */
function tupleStructOf(file: SourceFile, call: SyntaxNode): string | undefined {
  const f = call.childForFieldName('function');
  if (f?.type !== 'identifier' && f?.type !== 'self') return undefined;
  const fn = f.text === 'Self' ? enclosingFunction(call) : undefined;
  const name = f.text === 'Self' ? fn && functionInfo(fn).implType : f.text;
  return name && file.tupleStructs.has(name) ? (f.text === 'Self' ? 'Self' : name) : undefined;
}

/** `Some(v)`, `Ok(v)`, `Wrapper(v)`, `Box::new(v)`, `Cell::new(v)`: the value lives on inside the result. */
function isWrapper(call: SyntaxNode): boolean {
  const f = call.childForFieldName('function');
  if (!f || (f.type !== 'identifier' && f.type !== 'scoped_identifier')) return false;
  const segs = pathSegments(f);
  const last = segs[segs.length - 1];
  if (/^[A-Z]/.test(last)) return true;
  const owner = segs[segs.length - 2];
  return last === 'new' && !!owner && /^[A-Z]/.test(owner) && owner !== 'NonNull';
}

function macroName(n: SyntaxNode): string {
  for (let m: SyntaxNode | null = n; m; m = m.parent) {
    if (m.type === 'macro_invocation') return m.childForFieldName('macro')?.text ?? 'macro';
  }
  return 'macro';
}

function returnOf(ret: SyntaxNode): Destination {
  for (let n = ret.parent; n; n = n.parent) {
    if (n.type === 'closure_expression') return { type: 'closure-value', node: n };
    if (n.type === 'function_item') return { type: 'returned', node: ret };
  }
  return { type: 'returned', node: ret };
}

/** Methods that return a copy: what is stored into the copy does not reach the original. */
const COPYING_METHODS = /^(clone|cloned|copied|to_owned|to_vec|to_string|collect|take|unwrap_or_default)$/;

/**
 * The static a receiver is a view of: directly (`CACHE.lock().unwrap()`), or through the `let`s
 * that bound it (`let mut guard = CACHE.lock().unwrap(); let map = guard.get_or_insert_with(…);`),
 * as long as no method on the way returns a copy instead.
 */
function staticBehind(file: SourceFile, receiver: SyntaxNode, hops = 0): string | undefined {
  for (let n = receiver; n.type === 'call_expression' || n.type === 'field_expression'; ) {
    const f = n.type === 'call_expression' ? n.childForFieldName('function') : n;
    if (!f) break;
    if (f.type === 'field_expression' && n.type === 'call_expression' && COPYING_METHODS.test(f.childForFieldName('field')?.text ?? '')) return undefined;
    const next = f.type === 'field_expression' ? f.childForFieldName('value') : null;
    if (!next) break;
    n = next;
  }
  const root = rootIdentifier(receiver);
  if (!root || root.type !== 'identifier') return undefined;
  if (file.isStaticName(root.text)) return root.text;
  const fn = hops < MAX_HOPS ? enclosingFunction(root) : undefined;
  const binding = fn && declarationBefore(fn, root.text, root);
  const value = binding?.childForFieldName('value');
  return value ? staticBehind(file, value, hops + 1) : undefined;
}

/** The `let` or parameter in `fn` that binds `name` last before `use`. */
export function declarationBefore(fn: SyntaxNode, name: string, use: SyntaxNode): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  for (const decl of fn.descendantsOfType(['let_declaration', 'parameter'])) {
    if (decl.startIndex > use.startIndex) break;
    // `let node = Box::from_raw(node.as_ptr());`: a `let` does not bind its own initialiser's names.
    if (decl.endIndex >= use.endIndex) continue;
    const pattern = decl.childForFieldName('pattern');
    // `let (tx, rx) = channel();` binds each name of the tuple.
    if (pattern && (bindingName(pattern) === name || (pattern.type === 'tuple_pattern' && pattern.namedChildren.some((c) => bindingName(c) === name)))) found = decl;
  }
  return found;
}

/** The root variable of a place expression: `REGISTRY` for `REGISTRY.lock().unwrap()`. */
export function rootIdentifier(node: SyntaxNode): SyntaxNode | undefined {
  let n: SyntaxNode | null = node;
  while (n) {
    switch (n.type) {
      case 'identifier':
      case 'self':
        return n;
      case 'scoped_identifier':
        return n.childForFieldName('name') ?? undefined;
      case 'field_expression':
        n = n.childForFieldName('value');
        break;
      case 'call_expression':
        n = n.childForFieldName('function');
        break;
      case 'index_expression':
      case 'parenthesized_expression':
      case 'unary_expression':
      case 'reference_expression':
      case 'try_expression':
        n = n.namedChild(0);
        break;
      default:
        return undefined;
    }
  }
  return undefined;
}

function argumentDestination(file: SourceFile, call: SyntaxNode, arg: SyntaxNode): Destination {
  const f = call.childForFieldName('function')!;
  const name = calleeName(call) ?? '';
  const args = call.childForFieldName('arguments');
  const argIndex = args ? args.namedChildren.findIndex((c) => c.id === arg.id) : 0;
  const label = calleeLabel(call);
  if (f.type === 'field_expression') {
    const receiver = f.childForFieldName('value');
    const global = receiver && STORING_METHODS.has(name) ? staticBehind(file, receiver) : undefined;
    if (global) return { type: 'static', name: global, via: `\`${label}\` at line ${call.startPosition.row + 1}`, node: call };
    // `self.head.store(p, …)`, `self.slot.set(p)`: the field keeps what it is given.
    if (receiver?.type === 'field_expression' && FIELD_STORING_METHODS.has(name) && argIndex === 0) {
      return { type: 'field', target: receiver.text, node: call, place: receiver };
    }
    return { type: 'passed', callee: label, name, path: [name], node: call, argIndex };
  }
  const path = f.type === 'identifier' || f.type === 'scoped_identifier' ? pathSegments(f) : [name];
  return { type: 'passed', callee: label, name, path, node: call, argIndex };
}

function assignmentDestinations(file: SourceFile, assign: SyntaxNode, hops: number): Destination[] {
  const left = assign.childForFieldName('left')!;
  const root = rootIdentifier(left);
  const line = assign.startPosition.row + 1;
  if (root?.type === 'identifier' && file.isStaticName(root.text)) {
    return [{ type: 'static', name: root.text, via: `assignment at line ${line}`, node: assign }];
  }
  if (left.type === 'field_expression' || left.type === 'index_expression' || left.type === 'unary_expression') {
    return [{ type: 'field', target: left.text, node: assign, place: left }];
  }
  // `ptr = Box::into_raw(b);` into a variable declared earlier: follow it like a `let`.
  const body = left.type === 'identifier' ? enclosingBody(assign) : undefined;
  if (!body || hops >= MAX_HOPS) return [{ type: 'local', use: `the variable \`${left.text}\``, node: assign, method: true }];
  const uses = [
    ...body
      .descendantsOfType('identifier', assign.endPosition, body.endPosition)
      .filter((id) => id.text === left.text && id.startIndex >= assign.endIndex && id.parent?.type !== 'scoped_identifier'),
    ...formatCaptures(body, assign, left.text),
  ];
  if (uses.length === 0) return [{ type: 'unused', variable: left.text, node: assign }];
  return uses.flatMap((u) => destinations(file, u, hops + 1));
}

function enclosingBody(node: SyntaxNode): SyntaxNode | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_item' || n.type === 'closure_expression') return n.childForFieldName('body') ?? undefined;
  }
  return undefined;
}

/** Follows `let x = VALUE;` through the uses of `x` in the rest of the enclosing block. */
function bindingDestinations(file: SourceFile, letDecl: SyntaxNode, hops: number): Destination[] {
  const pattern = letDecl.childForFieldName('pattern');
  if (!pattern) return [{ type: 'local', use: 'a pattern', node: letDecl }];
  if (pattern.text === '_') return [{ type: 'discarded', node: letDecl }];
  // `let (ptr, len, cap) = …` binds several names; the value may live on in any of them.
  const names = bindingName(pattern) ? [bindingName(pattern)!] : pattern.descendantsOfType('identifier').map((n) => n.text);
  const label = names.join('`, `');
  if (names.length === 0) return [{ type: 'local', use: `the pattern \`${pattern.text}\``, node: letDecl }];
  const uses = names.flatMap((n) => usesAfter(letDecl, n));
  if (uses.length === 0) return [{ type: 'unused', variable: label, node: letDecl }];
  if (hops >= MAX_HOPS) return [{ type: 'local', use: `the variable \`${label}\``, node: letDecl, method: true }];
  return uses.flatMap((u) => destinations(file, u, hops + 1));
}

export function bindingName(pattern: SyntaxNode): string | undefined {
  if (pattern.type === 'identifier') return pattern.text;
  if (pattern.type === 'mut_pattern' || pattern.type === 'ref_pattern') {
    const inner = pattern.namedChildren.find((c) => c.type === 'identifier');
    return inner?.text;
  }
  return undefined;
}

/**
 * Where `name` is used after `decl` within its enclosing block (macro bodies included): identifier
 * nodes, and the format strings that capture it.
 */
export function usesAfter(decl: SyntaxNode, name: string): SyntaxNode[] {
  const scope = decl.parent;
  // A binding tree-sitter had to invent (`let = …;`) has no name, and nothing can use it.
  if (!scope || name === '') return [];
  const out: SyntaxNode[] = [];
  // From the places the name is written, not from every identifier of the block.
  for (const at of occurrences(scope, decl.endIndex, new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(name)}(?![\\p{L}\\p{N}_])`, 'gu'))) {
    const id = scope.descendantForIndex(at, at + name.length);
    if (id.type !== 'identifier' || id.startIndex !== at || id.endIndex !== at + name.length) continue;
    const parent = id.parent;
    // `x.name` fields and `name: value` initialisers mention the word without using the variable.
    if (parent?.type === 'field_initializer' && parent.childForFieldName('field')?.id === id.id) continue;
    if (parent?.type === 'scoped_identifier') continue;
    out.push(id);
  }
  out.push(...formatCaptures(scope, decl, name));
  return out;
}

/** Offsets in the tree's text, from `from` to the end of `scope`, where `re` (global) matches. */
function occurrences(scope: SyntaxNode, from: number, re: RegExp): number[] {
  return matchOffsets(scope.text, re, Math.max(0, from - scope.startIndex)).map((at) => scope.startIndex + at);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * String literals among a macro's tokens that capture `name` as an inline format argument
 * (`println!("{name}")`, `format!("{name:>8}")`, since Rust 2021): a use of the variable that no
 * identifier node shows. Any macro's strings count, so a use is never missed for want of knowing
 * which macros format.
 */
function formatCaptures(scope: SyntaxNode, after: SyntaxNode, name: string): SyntaxNode[] {
  const capture = new RegExp(`\\{${escapeRegExp(name)}(?:[:}])`);
  const strings: SyntaxNode[] = [];
  for (const at of occurrences(scope, after.endIndex, new RegExp(`\\{${escapeRegExp(name)}[:}]`, 'g'))) {
    // The brace is in the literal's `string_content`, one level down.
    let s: SyntaxNode | null = scope.descendantForIndex(at, at + 1);
    for (let up = 0; s && up < 2 && s.type !== 'string_literal' && s.type !== 'raw_string_literal'; up++) s = s.parent;
    if (!s || (s.type !== 'string_literal' && s.type !== 'raw_string_literal')) continue;
    if (strings.some((t) => t.startIndex === s!.startIndex)) continue;
    strings.push(s);
  }
  return strings.filter((s) => s.startIndex >= after.endIndex && s.parent?.type === 'token_tree' && capture.test(s.text.replace(/\{\{|\}\}/g, '')));
}
