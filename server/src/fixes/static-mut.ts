/**
 * static-mut: replace a `static mut` with a safe global and rewrite its uses in the file.
 *
 * - an integer or `bool` static becomes the matching atomic: reads `.load`, `=` `.store`,
 *   `+=`/`-=`/`&=`/`|=`/`^=` the `fetch_*` method;
 * - anything else becomes a `Mutex<T>` (its initialiser is a constant, and `Mutex::new` is `const`,
 *   so no `LazyLock` is needed): uses go through `.lock().unwrap()`.
 *
 * A rewrite is only offered when every use in the file is one of the forms above; a borrow of the
 * static (`&X`, `addr_of!(X)`), a shadowing binding or an inline format argument (`"{X}"`) would
 * turn the result into code that does not compile, so such files get only the allow fix.
 */
import { Fix, TextEdit } from '../../../shared/src/fixes';
import { SyntaxNode } from '../parsing/parser';
import { LAZY_TYPE } from '../analysis/rules/lazy-global';
import { isMutableStatic } from '../analysis/statics';
import { ImportPlan, importsIn, moduleOf } from './imports';
import {
  FixContext, enclosing, isReceiver, isShadowed, macroMethodCall, rangeOf, replace, requires, memoPerTree, staticScopesOf, useExpression, usesOfStatic,
} from './syntax';

const ATOMICS: Record<string, string> = {
  bool: 'AtomicBool',
  i8: 'AtomicI8', i16: 'AtomicI16', i32: 'AtomicI32', i64: 'AtomicI64', isize: 'AtomicIsize',
  u8: 'AtomicU8', u16: 'AtomicU16', u32: 'AtomicU32', u64: 'AtomicU64', usize: 'AtomicUsize',
};
const FETCH_OPS: Record<string, string> = { '+=': 'fetch_add', '-=': 'fetch_sub', '&=': 'fetch_and', '|=': 'fetch_or', '^=': 'fetch_xor' };
const BOOL_OPS = new Set(['&=', '|=', '^=']);
/**
 * Types a `Mutex` cannot make `Sync` (raw pointers, `Rc`, cells, trait objects not declared
 * `Send`/`Sync`): a `static` of them would not compile.
 */
export const NOT_SEND = /\*\s*(const|mut)\b|\bRc\s*<|\bCell\s*<|\bRefCell\s*<|\bUnsafeCell\s*<|\bdyn\b(?![^;]*\b(Send|Sync)\b)/;

export interface StaticMut {
  item: SyntaxNode;
  name: SyntaxNode;
  type: SyntaxNode;
  value: SyntaxNode;
  mutable: SyntaxNode;
}

/** The `static mut` a finding is about: its declaration, or the static a reference to it names. */
export function findStaticMut(ctx: FixContext): StaticMut | undefined {
  const item = enclosing(ctx, ['static_item']);
  if (item) return asStaticMut(item);
  // A reference finding covers `&X`, `X.m()` or a macro's `X` token: the static is what the first
  // identifier in that range that names a `static mut` resolves to.
  const { start, end } = ctx.finding.range;
  const covering = ctx.tree.rootNode.descendantForPosition({ row: start.line, column: start.character }, { row: end.line, column: end.character });
  const scopes = staticScopesOf(ctx.tree);
  const candidates = covering.type === 'identifier' ? [covering] : covering.descendantsOfType('identifier');
  for (const id of candidates) {
    const resolved = scopes.resolve(id);
    if (resolved && isMutableStatic(resolved)) return asStaticMut(resolved);
  }
  return undefined;
}

export function asStaticMut(item: SyntaxNode): StaticMut | undefined {
  const name = item.childForFieldName('name');
  const type = item.childForFieldName('type');
  const value = item.childForFieldName('value');
  const mutable = item.children.find((c) => c.type === 'mutable_specifier');
  if (!name || !type || !value || !mutable) return undefined;
  return { item, name, type, value, mutable };
}

export function staticMutFixes(ctx: FixContext): Fix[] {
  const target = findStaticMut(ctx);
  if (!target) return [];
  // Every finding of one static gets the same rewrites: worked out once per tree.
  return memoPerTree(ctx.tree, `static-mut:${target.item.id}`, () => rewrites(ctx, target)).map((fix) => ({ ...fix }));
}

function rewrites(ctx: FixContext, target: StaticMut): Fix[] {
  const root = ctx.tree.rootNode;
  const name = target.name.text;
  if (isShadowed(root, name) || usedInFormatString(root, name)) return [];
  const uses = usesOfStatic(ctx.tree, target.item);
  const type = target.type.text.trim();
  if (LAZY_TYPE.test(type)) return optional(dropMutFix(ctx, target, uses));
  const fixes: Fix[] = [];
  const atomic = ATOMICS[type];
  if (atomic) {
    const plan = new ImportPlan(moduleOf(target.item), ctx.text, [`std::sync::atomic::${atomic}`, 'std::sync::atomic::Ordering']);
    const edits = atomicUseEdits(uses, type === 'bool', plan);
    if (edits) {
      const atomicName = plan.name(`std::sync::atomic::${atomic}`, target.item);
      fixes.push({
        title: `Replace \`static mut ${name}\` with an \`${atomic}\``,
        isPreferred: true,
        edits: [...declarationEdits(target, atomicName, `${atomicName}::new(${target.value.text})`), ...edits, ...plan.edits()],
      });
    }
  }
  // `Mutex::new` is `const` (what a `static` initialiser needs) since Rust 1.63.
  const mutex = requires(ctx, '1.63', '`const Mutex::new`');
  if (mutex.offered && !NOT_SEND.test(target.type.text)) {
    const plan = new ImportPlan(moduleOf(target.item), ctx.text, ['std::sync::Mutex']);
    const edits = mutexUseEdits(uses);
    if (edits) {
      const mutexName = plan.name('std::sync::Mutex', target.item);
      fixes.push({
        title: `Replace \`static mut ${name}\` with a \`Mutex<${target.type.text}>\`${mutex.note}`,
        isPreferred: fixes.length === 0,
        edits: [...declarationEdits(target, `${mutexName}<${target.type.text}>`, `${mutexName}::new(${target.value.text})`), ...edits, ...plan.edits()],
      });
    }
  }
  return fixes;
}

/** Methods of the lazy cells (and of what they usually hold) that take `&self`: a `static` serves them. */
const SHARED_METHODS = new Set([
  'get', 'set', 'get_or_init', 'force', 'wait', 'lock', 'try_lock', 'read', 'write', 'try_read', 'try_write', 'load', 'store',
  'fetch_add', 'fetch_sub', 'fetch_or', 'fetch_and', 'fetch_xor', 'swap', 'compare_exchange', 'len', 'is_empty', 'iter', 'contains',
  'contains_key', 'clone', 'to_string', 'to_owned', 'as_str', 'as_slice', 'as_bytes', 'starts_with', 'ends_with', 'first', 'last',
  'keys', 'values', 'is_some', 'is_none', 'map_or', 'unwrap',
]);

/**
 * A lazy cell is `Sync` and initialises itself through `&self`: a `static mut` of one needs no
 * `mut` when nothing writes it or borrows it mutably. Offered only when every use is a read the
 * code shows to need only `&self`.
 */
function dropMutFix(ctx: FixContext, target: StaticMut, uses: SyntaxNode[]): Fix | undefined {
  const type = target.type.text;
  if (NOT_SEND.test(type) || /\b(unsync|LazyCell)\b/.test(type) || !isSyncCell(target.item, type)) return undefined;
  for (const id of uses) if (!isSharedUse(useExpression(id))) return undefined;
  const mutEnd = target.mutable.nextSibling ?? target.mutable;
  return {
    title: `Remove \`mut\` from \`static mut ${target.name.text}\`: a \`${type.replace(/<[\s\S]*$/, '')}\` initialises itself through \`&self\``,
    isPreferred: true,
    edits: [{ range: { start: rangeOf(target.mutable).start, end: rangeOf(mutEnd).start }, newText: '' }],
  };
}

/** `LazyLock`/`OnceLock`, or `Lazy`/`OnceCell` written or imported from `once_cell::sync` (the `Sync` ones). */
function isSyncCell(item: SyntaxNode, type: string): boolean {
  const m = LAZY_TYPE.exec(type.trim());
  if (!m) return false;
  if (m[1] === 'LazyLock' || m[1] === 'OnceLock') return true;
  if (/once_cell\s*::\s*sync\s*::/.test(type)) return true;
  return importsIn(moduleOf(item)).some(({ imported }) => !imported.glob && imported.alias === m[1] && imported.path.join('::') === `once_cell::sync::${m[1]}`);
}

function isSharedUse(expr: SyntaxNode): boolean {
  const parent = expr.parent;
  if (!parent) return false;
  if (parent.type === 'token_tree') {
    const prev = expr.previousSibling;
    if (prev?.type === 'mutable_specifier' || prev?.text === 'mut') return false;
    const call = macroMethodCall(expr);
    return call ? SHARED_METHODS.has(call.method) : expr.nextSibling?.type !== '=';
  }
  if (parent.type === 'field_expression' && parent.childForFieldName('value')?.id === expr.id) {
    const method = parent.childForFieldName('field')?.text ?? '';
    return parent.parent?.type === 'call_expression' && SHARED_METHODS.has(method);
  }
  if (parent.type === 'reference_expression') return !parent.children.some((c) => c.type === 'mutable_specifier');
  if (parent.type === 'unary_expression' && parent.text.startsWith('*')) {
    const outer = parent.parent;
    const written = (outer?.type === 'assignment_expression' || outer?.type === 'compound_assignment_expr') && outer.childForFieldName('left')?.id === parent.id;
    return !written && outer?.type !== 'field_expression';
  }
  return false;
}

export function declarationEdits(target: StaticMut, type: string, value: string): TextEdit[] {
  // Drop `mut` together with the space after it.
  const mutEnd = target.mutable.nextSibling ?? target.mutable;
  return [
    {
      range: {
        start: { line: target.mutable.startPosition.row, character: target.mutable.startPosition.column },
        end: { line: mutEnd.startPosition.row, character: mutEnd.startPosition.column },
      },
      newText: '',
    },
    replace(target.type, type),
    replace(target.value, value),
  ];
}

function atomicUseEdits(uses: SyntaxNode[], isBool: boolean, plan: ImportPlan): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const id of uses) {
    const expr = useExpression(id);
    if (insideMacro(expr, ['addr_of', 'addr_of_mut'])) return undefined;
    const parent = expr.parent;
    if (!parent) return undefined;
    const isLeft = parent.childForFieldName('left')?.startIndex === expr.startIndex;
    if (parent.type === 'assignment_expression' && isLeft) {
      const right = parent.childForFieldName('right')!;
      edits.push(replace(parent, asStatement(parent, `${expr.text}.store(${right.text}, ${relaxed(plan, expr)})`)));
    } else if (parent.type === 'compound_assignment_expr' && isLeft) {
      const op = parent.childForFieldName('operator')?.text ?? '';
      const method = FETCH_OPS[op];
      if (!method || (isBool && !BOOL_OPS.has(op))) return undefined;
      const right = parent.childForFieldName('right')!;
      edits.push(replace(parent, asStatement(parent, `${expr.text}.${method}(${right.text}, ${relaxed(plan, expr)})`)));
    } else if (parent.type === 'reference_expression' || parent.type === 'raw_pointer_expression') {
      return undefined;
    } else {
      edits.push(replace(expr, `${expr.text}.load(${relaxed(plan, expr)})`));
    }
  }
  return edits;
}

function relaxed(plan: ImportPlan, at: SyntaxNode): string {
  return `${plan.name('std::sync::atomic::Ordering', at)}::Relaxed`;
}

function mutexUseEdits(uses: SyntaxNode[]): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const id of uses) {
    const expr = useExpression(id);
    if (insideMacro(expr, ['addr_of', 'addr_of_mut'])) return undefined;
    const parent = expr.parent;
    if (!parent) return undefined;
    if (parent.type === 'reference_expression' || parent.type === 'raw_pointer_expression') return undefined;
    if (borrowOutlivesStatement(expr)) return undefined;
    // A method call or field access auto-derefs the guard; everything else needs the explicit `*`.
    edits.push(replace(expr, isReceiver(expr) ? `${expr.text}.lock().unwrap()` : `*${expr.text}.lock().unwrap()`));
  }
  return edits;
}

/** Expressions whose value is that of the expression inside them. */
const VALUE_CARRIERS = new Set(['unsafe_block', 'if_expression', 'else_clause', 'match_arm', 'match_block', 'match_expression']);
/** Methods whose result owns its data: nothing borrowed from the lock guard survives them. */
const OWNED_RESULTS = new Set(['clone', 'cloned', 'copied', 'to_string', 'to_owned', 'to_vec', 'len', 'is_empty', 'is_some', 'is_none', 'contains', 'contains_key', 'count']);

/**
 * The lock guard a rewritten use takes lives until the end of its statement. A method chain on the
 * static whose result may borrow from it (`X.as_ref().unwrap()`) must not outlive that statement:
 * bound by `let`, returned, or the value of the function (`E0515`, `E0716`).
 */
function borrowOutlivesStatement(expr: SyntaxNode): boolean {
  let top = expr;
  let owned = false;
  for (;;) {
    const parent = top.parent;
    if (parent?.type === 'field_expression' && parent.childForFieldName('value')?.id === top.id) {
      const call = parent.parent;
      if (call?.type === 'call_expression' && call.childForFieldName('function')?.id === parent.id) {
        owned = OWNED_RESULTS.has(parent.childForFieldName('field')?.text ?? '');
        top = call;
      } else {
        owned = false;
        top = parent;
      }
      continue;
    }
    if (parent?.type === 'try_expression' || parent?.type === 'index_expression') {
      top = parent;
      continue;
    }
    break;
  }
  if (owned || top.id === expr.id) return false;
  for (let node = top, parent = top.parent; parent; node = parent, parent = parent.parent) {
    if (parent.type === 'let_declaration' || parent.type === 'return_expression') return true;
    if (parent.type === 'function_item' || parent.type === 'closure_expression') return true;
    const isTail = parent.type === 'block' && parent.lastNamedChild?.id === node.id && !node.text.trimEnd().endsWith(';');
    const valueFlows = isTail || VALUE_CARRIERS.has(parent.type) || (parent.type === 'expression_statement' && !parent.text.trimEnd().endsWith(';'));
    if (!valueFlows) return false;
  }
  return false;
}

/**
 * `X += 1` is `()`, `X.fetch_add(1, …)` is the old value: where the assignment was a block's tail or
 * a closure body, its value becomes the block's, so keep it a statement.
 */
function asStatement(assignment: SyntaxNode, call: string): string {
  const parent = assignment.parent;
  if (parent?.type === 'expression_statement') return call;
  if (parent?.type === 'block') return `${call};`;
  if (parent?.type === 'closure_expression') return `{ ${call}; }`;
  return call;
}

function insideMacro(node: SyntaxNode, names: string[]): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'macro_invocation') {
      const macro = n.childForFieldName('macro')?.text ?? '';
      if (names.some((m) => macro === m || macro.endsWith(`::${m}`))) return true;
    }
  }
  return false;
}

/** `println!("{X}")` captures the static by name; a rewrite cannot reach inside the string. */
function usedInFormatString(root: SyntaxNode, name: string): boolean {
  const pattern = new RegExp(`\\{${name}\\b`);
  return root.descendantsOfType('string_literal').some((s) => pattern.test(s.text));
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}
