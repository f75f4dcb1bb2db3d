/**
 * One tree-sitter query finds every candidate node of every rule in a single pass over the tree;
 * the rules then look at their captures only. Capture names are `<rule-family>.<what>`.
 */
import { matchesAtAnyDepth } from '../parsing/deep-query';
import { Query, SyntaxNode, rustQuery } from '../parsing/parser';

export const SITES_QUERY = String.raw`
; Path calls: Box::leak(b), Rc::into_raw(rc), mem::forget(x), ManuallyDrop::new(x), alloc(layout)
(call_expression
  function: (scoped_identifier name: (identifier) @name)
  (#match? @name "^(leak|into_raw|into_raw_parts|into_raw_fd|into_raw_handle|into_raw_socket|forget|alloc|alloc_zeroed|realloc)$")) @call.path

(call_expression
  function: (scoped_identifier path: (_) @owner name: (identifier) @name)
  (#eq? @name "new")
  (#match? @owner "ManuallyDrop$")) @call.path

; Bare calls of imported functions: forget(x), alloc(layout)
(call_expression
  function: (identifier) @name
  (#match? @name "^(forget|alloc|alloc_zeroed|realloc)$")) @call.ident

; Method forms: v.leak(), s.into_raw(), f.into_raw_fd(), INIT.call_once(..)
(call_expression
  function: (field_expression field: (field_identifier) @name)
  (#match? @name "^(leak|into_raw|into_raw_parts|into_raw_fd|into_raw_handle|into_raw_socket|call_once|call_once_force)$")) @call.method

; A leaking function used as a value: iter.map(Box::leak)
(arguments
  (scoped_identifier name: (identifier) @name (#match? @name "^(leak|into_raw|forget)$")) @fnref)

; Calls that give memory back.
(call_expression
  function: (scoped_identifier name: (identifier) @name)
  (#match? @name "^(from_raw|from_raw_parts|from_raw_parts_in|from_raw_in|from_raw_fd|dealloc|decrement_strong_count|drop|into_inner|take)$")) @reclaim

(call_expression
  function: (identifier) @name
  (#eq? @name "dealloc")) @reclaim

(static_item) @static

; Declarations the rules resolve names against (captured here to spare another walk of the tree).
(use_declaration) @decl
(foreign_mod_item) @decl

(macro_invocation
  macro: (identifier) @name
  (#match? @name "^(lazy_static|thread_local)$")) @macro

(macro_invocation
  macro: (scoped_identifier name: (identifier) @name)
  (#match? @name "^(lazy_static|thread_local)$")) @macro

(struct_item) @struct
; The rc-cycle type graph's other declarations (its functions and Drop impls are looked up only in files that name Rc/Arc).
(enum_item) @cycle.type
(type_item) @cycle.type

; Macro code read as Rust (macros.ts): definitions. (The standard macros' arguments are looked for
; only in files that mention a reclaim, by macros.ts itself: println! is everywhere.)
(macro_definition) @macro.def

; The owner model: Copy impls (handles, not owners), and functions taking raw pointers (where those go).
(impl_item trait: (_) @name (#match? @name "Copy$")) @copy.impl

(function_item parameters: (parameters (parameter type: [
  (pointer_type)
  (generic_type type: (type_identifier) @name (#match? @name "^(NonNull|AtomicPtr)$"))]))) @fn.pointer

(type_cast_expression
  value: (type_cast_expression type: (pointer_type "const"))
  type: (pointer_type (mutable_specifier))) @cast

(function_item name: (identifier) @name
  (#match? @name "^(leak|into_raw|forget|into_raw_parts)$")) @method.def
`;

let query: Query | undefined;

export interface Capture {
  name: string;
  node: SyntaxNode;
}

/** Captures of the main node of each match (the `@call.path`, `@static`, … capture). */
export function siteCaptures(root: SyntaxNode): Capture[] {
  query ??= rustQuery(SITES_QUERY);
  const out: Capture[] = [];
  for (const match of matchesAtAnyDepth(query, root)) {
    const main = match.captures.find((c) => c.name !== 'name' && c.name !== 'owner');
    if (main) out.push({ name: main.name, node: main.node });
  }
  return out;
}
