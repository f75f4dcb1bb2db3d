/**
 * box-leak: stop leaking instead of leaking less. Either keep the value owned for as long as the
 * reference is used (semantics unchanged except that it is freed at the end of the scope), or, in a
 * loop, hoist the leak out so it happens once. Never `Box::from_raw` on the leaked reference: others
 * may still hold it, and "unleaking" it is undefined behaviour.
 */
import { Fix } from '../../../shared/src/fixes';
import { SyntaxNode } from '../parsing/parser';
import { FixContext, deleteStatement, enclosing, eol, indentationOf, insertAt, isReceiver, replace } from './syntax';

const LOOPS = ['for_expression', 'while_expression', 'loop_expression'];
const FUNCTION_BOUNDARIES = ['function_item', 'closure_expression'];

export function boxLeakFixes(ctx: FixContext): Fix[] {
  const call = enclosing(ctx, ['call_expression']);
  if (!call) return [];
  const leaked = leakedValue(call);
  if (!leaked) return [];
  const statement = call.parent;
  if (statement?.type !== 'let_declaration' || statement.childForFieldName('value')?.startIndex !== call.startIndex) return [];
  const pattern = statement.childForFieldName('pattern');
  if (pattern?.type !== 'identifier') return [];
  const block = statement.parent;
  if (block?.type !== 'block') return [];

  const fixes: Fix[] = [];
  const indent = indentationOf(ctx.text, statement.startPosition.row);
  const type = statement.childForFieldName('type');
  const owner = `${pattern.text}_owned`;
  // A `&'static T` binding only reads: borrow shared. Otherwise keep what `leak` gave, `&mut`.
  const shared = !!type && !/^&\s*('static\s+)?mut\b/.test(type.text);
  const uses = usesAfter(block, statement, pattern.text);
  if (uses.every((use) => staysInScope(use, block))) {
    const borrowedType = type ? `: ${type.text.replace(/'static\s*/, '')}` : '';
    const binding = shared ? `let ${owner} = ${leaked.text};` : `let mut ${owner} = ${leaked.text};`;
    const borrow = shared ? `&${owner}` : `&mut *${owner}`;
    fixes.push({
      title: 'Keep the value owned instead of leaking it (freed at the end of the scope)',
      isPreferred: true,
      edits: [replace(statement, `${binding}${eol(ctx.text)}${indent}let ${pattern.text}${borrowedType} = ${borrow};`)],
    });
  }

  const loop = innermostLoop(statement);
  // A `&'static mut` is moved, not copied, by anything but a method call or a field access: the
  // second iteration would use a moved reference.
  const reusable = shared || uses.every((use) => isReceiver(use) || use.parent?.type === 'unary_expression' || inFormatMacro(use));
  if (loop && reusable && !dependsOnLoop(statement, loop)) {
    const anchor = loop.parent?.type === 'expression_statement' ? loop.parent : loop;
    const loopIndent = indentationOf(ctx.text, anchor.startPosition.row);
    const moved = statement.text
      .split(/\r?\n/)
      .map((line, i) => (i === 0 ? line : line.startsWith(indent) ? loopIndent + line.slice(indent.length) : line))
      .join(eol(ctx.text));
    fixes.push({
      title: `Hoist the leak out of the \`${loop.type.replace('_expression', '')}\` loop so it happens once`,
      isPreferred: fixes.length === 0,
      edits: [
        deleteStatement(ctx.text, statement),
        insertAt({ line: anchor.startPosition.row, character: 0 }, `${loopIndent}${moved}${eol(ctx.text)}`),
      ],
    });
  }
  return fixes;
}

/** Mentions of `name` after `statement` in its block, in code and in macro arguments. */
function usesAfter(block: SyntaxNode, statement: SyntaxNode, name: string): SyntaxNode[] {
  return block.descendantsOfType('identifier').filter((id) => id.text === name && id.startIndex >= statement.endIndex && !isFieldName(id));
}

function isFieldName(id: SyntaxNode): boolean {
  const parent = id.parent;
  return parent?.type === 'field_expression' && parent.childForFieldName('field')?.id === id.id;
}

/** Macros whose arguments are only formatted or compared: a reference given to them is borrowed for the call. */
const FORMAT_MACROS = new Set([
  'println', 'print', 'eprintln', 'eprint', 'format', 'write', 'writeln', 'panic', 'assert', 'assert_eq', 'assert_ne',
  'debug_assert', 'debug_assert_eq', 'debug_assert_ne', 'format_args', 'log', 'trace', 'debug', 'info', 'warn', 'error',
]);
/** Methods whose result owns its data or is a plain value: nothing of the reference flows on. */
const DETACHING_METHODS = new Set([
  'clone', 'to_string', 'to_owned', 'to_vec', 'len', 'is_empty', 'contains', 'starts_with', 'ends_with', 'push', 'push_str',
  'insert', 'extend', 'clear', 'sort', 'truncate', 'count', 'eq', 'ne', 'cmp',
]);
const CONTAINERS = ['tuple_expression', 'array_expression', 'field_initializer', 'shorthand_field_initializer', 'struct_expression', 'closure_expression'];

/**
 * Whether the value of this use of the leaked reference provably stays within `block`, the owner's
 * scope: it is formatted, compared, read through a method whose result owns its data, or used in
 * a statement whose value is dropped. Returned (explicitly or as the function's value), assigned
 * somewhere, handed to a function (which may need `'static`), put in a struct, tuple, array or
 * closure, or bound to another name: it may outlive the owner, and keeping it owned would not
 * compile (`E0515`, `E0597`).
 */
function staysInScope(use: SyntaxNode, block: SyntaxNode): boolean {
  // Captured by a closure or an async block, it lives as long as they do (`thread::spawn(move || …)`).
  for (let n = use.parent; n && n.id !== block.id; n = n.parent) if (n.type === 'closure_expression' || n.type === 'async_block') return false;
  let node = use;
  for (let parent = node.parent; parent; node = parent, parent = parent.parent) {
    switch (parent.type) {
      case 'token_tree':
        return inFormatMacro(node);
      case 'field_expression': {
        const call = parent.parent;
        const method = parent.childForFieldName('field')?.text ?? '';
        if (call?.type === 'call_expression' && call.childForFieldName('function')?.id === parent.id && DETACHING_METHODS.has(method)) return true;
        continue;
      }
      case 'binary_expression':
        if (/^(==|!=|<|>|<=|>=|&&|\|\|)$/.test(parent.childForFieldName('operator')?.text ?? '')) return true;
        continue;
      case 'expression_statement':
        return true;
      case 'let_declaration':
      case 'return_expression':
      case 'arguments':
      case 'assignment_expression':
      case 'compound_assignment_expr':
        // The left side of an assignment is written through, not stored.
        return (parent.type === 'assignment_expression' || parent.type === 'compound_assignment_expr') && parent.childForFieldName('left')?.id === node.id;
      case 'block':
        // A block's value is its tail expression: the owner's own block hands it out of the scope.
        if (parent.id === block.id) return false;
        if (parent.lastNamedChild?.id !== node.id) return true;
        continue;
      default:
        if (CONTAINERS.includes(parent.type)) return false;
        if (parent.type === 'function_item' || parent.type === 'closure_expression') return false;
    }
  }
  return false;
}

function inFormatMacro(use: SyntaxNode): boolean {
  let macro: SyntaxNode | null = use.parent;
  while (macro && macro.type === 'token_tree') macro = macro.parent;
  const name = macro?.childForFieldName('macro')?.text.replace(/^.*::/, '') ?? '';
  return macro?.type === 'macro_invocation' && FORMAT_MACROS.has(name);
}

function innermostLoop(node: SyntaxNode): SyntaxNode | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (LOOPS.includes(n.type)) return n;
    if (FUNCTION_BOUNDARIES.includes(n.type)) return undefined;
  }
  return undefined;
}

/** Nodes whose `pattern` (or whole self) binds names: `let`, `for`, `while let`/`if let`, `match` arms, closure parameters. */
const BINDERS = ['let_declaration', 'let_condition', 'for_expression', 'match_pattern', 'closure_parameters', 'parameter'];

/**
 * True when the statement reads a binding introduced inside the loop — the `for` pattern, a
 * `while let`, or a `let`, `if let`, `match` arm or closure parameter around it or before it in the
 * body — so it cannot move before the loop (the name would mean something else there, or nothing).
 */
function dependsOnLoop(statement: SyntaxNode, loop: SyntaxNode): boolean {
  const local = new Set<string>();
  for (const binder of [loop, ...loop.descendantsOfType(BINDERS)]) {
    if (!BINDERS.includes(binder.type) && binder.type !== 'for_expression') continue;
    if (binder.startIndex >= statement.startIndex && binder.id !== loop.id) continue;
    const pattern = binder.type === 'match_pattern' || binder.type === 'closure_parameters' ? binder : binder.childForFieldName('pattern');
    if (!pattern) continue;
    if (pattern.type === 'identifier') local.add(pattern.text);
    for (const id of pattern.descendantsOfType('identifier')) local.add(id.text);
  }
  const value = statement.childForFieldName('value');
  return (value?.descendantsOfType('identifier') ?? []).some((id) => local.has(id.text));
}

/** The owned value a leak call consumes: `Box::leak(v)` → `v`, `v.leak()` → `v`. */
function leakedValue(call: SyntaxNode): SyntaxNode | undefined {
  const f = call.childForFieldName('function');
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  if (f?.type === 'scoped_identifier' && f.childForFieldName('name')?.text === 'leak' && args.length === 1) return args[0];
  if (f?.type === 'field_expression' && f.childForFieldName('field')?.text === 'leak' && args.length === 0) {
    return f.childForFieldName('value') ?? undefined;
  }
  return undefined;
}
