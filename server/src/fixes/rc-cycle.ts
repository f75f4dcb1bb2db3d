/**
 * rc-cycle: make the back-edge weak. The engine names the field: a finding on a type edge says
 * "make it `Weak`" when one edge of the loop is clearly the back edge, and a cycle closed by code
 * carries a related location "the back edge `T.f`: make it `Weak`" on that field's declaration.
 * Where neither is said (a single link that loops, like `next`), no `Weak` fix is offered: making
 * the only link weak would free the structure. The field's `Rc<T>` becomes `Weak<T>` and every store into it
 * (`*a.f.borrow_mut() = Rc::clone(&b)`, `f: RefCell::new(Rc::clone(&b))`, with or without `Some`)
 * becomes `Rc::downgrade(&b)`. Reading the field needs `.upgrade()`, a decision about the `None`
 * case only the author can make, so the rewrite is offered only when the file never reads it.
 */
import { Fix, TextEdit } from '../../../shared/src/fixes';
import { SyntaxNode } from '../parsing/parser';
import { addImports, moduleOf } from './imports';
import { FixContext, ancestor, enclosing, replace } from './syntax';

export function rcCycleFixes(ctx: FixContext): Fix[] {
  const root = ctx.tree.rootNode;
  const field = targetField(ctx);
  const type = field?.childForFieldName('type');
  const name = field?.childForFieldName('name')?.text;
  if (!field || !type || !name) return [];
  const m = /\b(Rc|Arc)\s*</.exec(type.text);
  if (!m) return [];
  const owner = m[1];
  const weakPath = owner === 'Rc' ? 'std::rc::Weak' : 'std::sync::Weak';
  // The other `Weak` is imported already: spell this one out rather than import a clashing name.
  const otherWeak = new RegExp(String.raw`\buse\s+(?:std|alloc)::${owner === 'Rc' ? 'sync' : 'rc'}::(?:\{[^}]*\bWeak\b|Weak\b)`).test(ctx.text);
  const edits: TextEdit[] = [replace(type, type.text.replace(/\b(Rc|Arc)\s*</, otherWeak ? `${weakPath}<` : 'Weak<'))];

  for (const access of root.descendantsOfType(['field_expression', 'field_initializer', 'shorthand_field_initializer'])) {
    if (access.type === 'shorthand_field_initializer') {
      if (access.text === name) return [];
      continue;
    }
    const accessed = access.type === 'field_expression' ? access.childForFieldName('field') : access.childForFieldName('field');
    if (accessed?.text !== name) continue;
    const stored = storedValue(access);
    if (stored === undefined) return []; // a read: needs `.upgrade()`, the author's call
    if (stored === null) continue; // a store of something without a strong pointer (None, Weak::new())
    const clone = strongClone(stored, owner);
    if (!clone) return [];
    edits.push(replace(clone.call, `${owner}::downgrade(${clone.argument})`));
  }
  // Into the module that declares the field, which may be an inline `mod`.
  const imports = otherWeak ? undefined : addImports(moduleOf(field), ctx.text, [weakPath]);
  if (imports) edits.push(imports);
  return [{ title: `Make \`${name}\` a \`Weak\` back-reference`, isPreferred: true, edits }];
}

const MAKE_WEAK = /make it `Weak`$/;

function targetField(ctx: FixContext): SyntaxNode | undefined {
  const { finding } = ctx;
  const back = finding.related.find((r) => r.file === finding.file && MAKE_WEAK.test(r.message));
  const range = back?.range ?? (MAKE_WEAK.test(finding.message) ? finding.range : undefined);
  if (!range) return undefined;
  return enclosing({ ...ctx, finding: { ...finding, range } }, ['field_declaration']);
}

/**
 * What a use of the field stores into it: the expression for a store, `null` for a store that holds
 * no strong pointer, `undefined` when the use is a read.
 */
function storedValue(access: SyntaxNode): SyntaxNode | null | undefined {
  let value: SyntaxNode | null | undefined;
  if (access.type === 'field_initializer') {
    value = access.childForFieldName('value');
  } else {
    // `*x.f.borrow_mut() = v` / `x.f.replace(v)` / `x.f = v`
    const assign = ancestor(access, ['assignment_expression'], ['block', 'let_declaration']);
    const left = assign?.childForFieldName('left');
    if (assign && left && left.startIndex <= access.startIndex && access.endIndex <= left.endIndex) value = assign.childForFieldName('right');
    else return undefined;
  }
  if (!value) return undefined;
  // Unwrap `RefCell::new(…)`, `Cell::new(…)`, `Some(…)`.
  for (;;) {
    const f = value.type === 'call_expression' ? value.childForFieldName('function')?.text.replace(/\s+/g, '') : undefined;
    if (f && /^(RefCell::new|Cell::new|Mutex::new|RwLock::new|Some)$/.test(f)) {
      value = value.childForFieldName('arguments')!.namedChildren[0];
      if (!value) return null;
      continue;
    }
    break;
  }
  if (/^(None|Weak::new\(\))$/.test(value.text.replace(/\s+/g, ''))) return null;
  return value;
}

/** `Rc::clone(&b)`, `Arc::clone(self)` or `b.clone()`, with the argument `Rc::downgrade` takes for it. */
function strongClone(value: SyntaxNode, owner: string): { call: SyntaxNode; argument: string } | undefined {
  if (value.type !== 'call_expression') return undefined;
  const f = value.childForFieldName('function');
  const args = value.childForFieldName('arguments')?.namedChildren ?? [];
  if (f?.text.replace(/\s+/g, '') === `${owner}::clone` && args.length === 1 && (args[0].type === 'reference_expression' || args[0].type === 'self' || args[0].type === 'identifier')) {
    return { call: value, argument: args[0].text };
  }
  if (f?.type === 'field_expression' && f.childForFieldName('field')?.text === 'clone' && args.length === 0) {
    return { call: value, argument: `&${f.childForFieldName('value')!.text}` };
  }
  return undefined;
}
