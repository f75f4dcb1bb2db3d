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
import { addImports } from './imports';
import { FixContext, enclosing, isReceiver, isShadowed, replace, useExpression, usesOf } from './syntax';

const ATOMICS: Record<string, string> = {
  bool: 'AtomicBool',
  i8: 'AtomicI8', i16: 'AtomicI16', i32: 'AtomicI32', i64: 'AtomicI64', isize: 'AtomicIsize',
  u8: 'AtomicU8', u16: 'AtomicU16', u32: 'AtomicU32', u64: 'AtomicU64', usize: 'AtomicUsize',
};
const FETCH_OPS: Record<string, string> = { '+=': 'fetch_add', '-=': 'fetch_sub', '&=': 'fetch_and', '|=': 'fetch_or', '^=': 'fetch_xor' };
const BOOL_OPS = new Set(['&=', '|=', '^=']);
/** Types a `Mutex` cannot make `Sync` (raw pointers, `Rc`, cells): a `static` of them would not compile. */
const NOT_SEND = /\*\s*(const|mut)\b|\bRc\s*<|\bCell\s*<|\bRefCell\s*<|\bUnsafeCell\s*</;

export interface StaticMut {
  item: SyntaxNode;
  name: SyntaxNode;
  type: SyntaxNode;
  value: SyntaxNode;
  mutable: SyntaxNode;
}

/** The `static mut` a finding is about: its declaration, or a use of it. */
export function findStaticMut(ctx: FixContext): StaticMut | undefined {
  const item = enclosing(ctx, ['static_item']);
  if (item) return asStaticMut(item);
  const node = enclosing(ctx, ['identifier']);
  const name = node?.text;
  if (!name) return undefined;
  for (const candidate of ctx.tree.rootNode.descendantsOfType('static_item')) {
    if (candidate.childForFieldName('name')?.text === name) return asStaticMut(candidate);
  }
  return undefined;
}

function asStaticMut(item: SyntaxNode): StaticMut | undefined {
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
  const root = ctx.tree.rootNode;
  const name = target.name.text;
  if (isShadowed(root, name) || usedInFormatString(root, name)) return [];
  const uses = usesOf(root, name, target.name);
  const fixes: Fix[] = [];
  const atomic = ATOMICS[target.type.text.trim()];
  if (atomic) {
    const edits = atomicUseEdits(uses, target.type.text.trim() === 'bool');
    if (edits) {
      fixes.push({
        title: `Replace \`static mut ${name}\` with an \`${atomic}\``,
        isPreferred: true,
        edits: [
          ...declarationEdits(target, atomic, `${atomic}::new(${target.value.text})`),
          ...edits,
          ...optional(addImports(root, ctx.text, [`std::sync::atomic::${atomic}`, 'std::sync::atomic::Ordering'])),
        ],
      });
    }
  }
  if (!NOT_SEND.test(target.type.text)) {
    const edits = mutexUseEdits(uses);
    if (edits) {
      fixes.push({
        title: `Replace \`static mut ${name}\` with a \`Mutex<${target.type.text}>\``,
        isPreferred: fixes.length === 0,
        edits: [
          ...declarationEdits(target, `Mutex<${target.type.text}>`, `Mutex::new(${target.value.text})`),
          ...edits,
          ...optional(addImports(root, ctx.text, ['std::sync::Mutex'])),
        ],
      });
    }
  }
  return fixes;
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

function atomicUseEdits(uses: SyntaxNode[], isBool: boolean): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const id of uses) {
    const expr = useExpression(id);
    if (insideMacro(expr, ['addr_of', 'addr_of_mut'])) return undefined;
    const parent = expr.parent;
    if (!parent) return undefined;
    const isLeft = parent.childForFieldName('left')?.startIndex === expr.startIndex;
    if (parent.type === 'assignment_expression' && isLeft) {
      const right = parent.childForFieldName('right')!;
      edits.push(replace(parent, asStatement(parent, `${expr.text}.store(${right.text}, Ordering::Relaxed)`)));
    } else if (parent.type === 'compound_assignment_expr' && isLeft) {
      const op = parent.childForFieldName('operator')?.text ?? '';
      const method = FETCH_OPS[op];
      if (!method || (isBool && !BOOL_OPS.has(op))) return undefined;
      const right = parent.childForFieldName('right')!;
      edits.push(replace(parent, asStatement(parent, `${expr.text}.${method}(${right.text}, Ordering::Relaxed)`)));
    } else if (parent.type === 'reference_expression' || parent.type === 'raw_pointer_expression') {
      return undefined;
    } else {
      edits.push(replace(expr, `${expr.text}.load(Ordering::Relaxed)`));
    }
  }
  return edits;
}

function mutexUseEdits(uses: SyntaxNode[]): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  for (const id of uses) {
    const expr = useExpression(id);
    if (insideMacro(expr, ['addr_of', 'addr_of_mut'])) return undefined;
    const parent = expr.parent;
    if (!parent) return undefined;
    if (parent.type === 'reference_expression' || parent.type === 'raw_pointer_expression') return undefined;
    // A method call or field access auto-derefs the guard; everything else needs the explicit `*`.
    edits.push(replace(expr, isReceiver(expr) ? `${expr.text}.lock().unwrap()` : `*${expr.text}.lock().unwrap()`));
  }
  return edits;
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
