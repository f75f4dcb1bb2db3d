/**
 * Cycles a function closes, found by following its `Rc`/`Arc` values in source order: which
 * allocation each variable is (through `let`s, `clone()`/`Rc::clone`, `borrow_mut()`/`lock()`
 * guards, field paths, loop elements), and what each store puts inside which allocation. A store
 * into `a` of a value that already reaches `a` closes a cycle: the finding goes on that store.
 *
 * Writing into a shared allocation needs a cell (`RefCell`, `Mutex`, …), so only stores through
 * one (or through a guard taken from one) count: a plain `x.f = v` writes a local value.
 */
import { Range, RelatedLocation } from '../../../../shared/src/findings';
import { SyntaxNode } from '../../parsing/parser';
import { rangeOf } from '../source';
import { TypeDecl } from './model';
import { BACK_EDGE, Work } from './types';

/** A cycle a function closes: the store that completes it. */
export interface Closing {
  range: Range;
  message: string;
  reasons: string[];
  related: RelatedLocation[];
  /** Fields of the cycle's edges, for `Drop` impls elsewhere that clear them. */
  fields: string[];
  /** Declared types of the values on the cycle, where the code names them. */
  types: string[];
}

interface Obj {
  key: string;
  /** How the code names it: `parent`, `self.children[…]`. */
  label: string;
  type?: string;
  /** The allocation this one is found inside (a field or element of it holds it strongly). */
  inside?: Obj;
  /** The allocations found inside this one. */
  contents: Obj[];
  /** The field of a value that holds it (`0` of `Dummy(rc)`), when the code builds one. */
  heldAs?: string;
  edges: Edge[];
}

interface Edge {
  from: Obj;
  to: Obj;
  node: SyntaxNode;
  field?: string;
  /** A closure that captured `to`. */
  closure?: boolean;
}

type Binding =
  | { kind: 'rc'; obj: Obj }
  /** A guard or reference into `obj`'s contents: `a.borrow_mut()`, `self.inner.lock().unwrap()`, `a.tail()`. */
  | { kind: 'place'; obj: Obj }
  /** A plain value (a struct, an `Option`, a closure) holding these allocations. */
  | { kind: 'value'; holds: Held[]; fields: Map<string, Obj>; closure?: boolean };

interface Held {
  obj: Obj;
  closure?: boolean;
}

/** Methods that reach into a value without leaving it: the place stays inside the same allocation. */
const INTERIOR = new Set(['borrow_mut', 'borrow', 'lock', 'write', 'read', 'try_borrow_mut', 'try_lock', 'try_write', 'get_mut', 'as_ptr']);
const PASS = new Set(['unwrap', 'expect', 'as_ref', 'as_mut', 'as_deref', 'as_deref_mut', 'deref', 'deref_mut', 'unwrap_or_else', 'into_inner', 'cloned']);
const ELEMENTS = new Set(['iter', 'iter_mut', 'into_iter', 'values', 'values_mut', 'first', 'last', 'get', 'front', 'back', 'peek']);
/** Store their arguments inside the receiver. Cell methods (`set`, `replace`, …) need no guard. */
const CELL_STORES = new Set(['set', 'replace', 'get_or_init', 'get_or_insert', 'get_or_insert_with', 'swap']);
const STORES = new Set(['push', 'push_back', 'push_front', 'insert', 'extend', 'append', 'or_insert', 'or_insert_with', 'entry', ...CELL_STORES]);
/** Empty a slot: the code breaks the link by hand. */
const CLEARS = new Set(['take', 'clear', 'drain', 'truncate', 'pop', 'pop_back', 'pop_front', 'remove', 'retain', 'split_off']);
/** Return a value that is not found inside the receiver (a new one, or one only weakly linked). */
const NOT_INSIDE = /^(upgrade|new\w*|create\w*|make\w*|build\w*|spawn\w*|default|downgrade|take|replace|pop\w*|remove|len|is_\w+|to_string|to_owned)$/;
const EMPTY_VALUES = /^(None|Vec::new\(\)|vec!\[\]|Default::default\(\)|Weak::new\(\)|\w+::default\(\)|VecDeque::new\(\)|HashMap::new\(\))$/;
const MAX_DEPTH = 32;
const VISITED = new Set(['let_declaration', 'let_condition', 'for_expression', 'assignment_expression', 'call_expression']);
const NESTED_ITEMS = new Set(['function_item', 'impl_item', 'mod_item', 'trait_item']);
/** Allocations one reachability question may visit: a longer cycle in one function is not written by hand, and the cap keeps a function's work linear. */
const MAX_VISITS = 256;

export interface FnContext {
  /** The `impl` type of a method: what `self` and `Self` are. */
  implType?: string;
  /** The file's type declarations by name, for the back-edge field a fix would make `Weak`. */
  types: Map<string, TypeDecl>;
  path: string;
  /** The file's functions that return a new `Rc`/`Arc` (`Node::new`, `make_node`), with its pointee. */
  constructors?: Map<string, string>;
  /** The file's methods that store an argument inside `self` (`fn set_next(&self, n: Rc<Node>)`), by name. */
  setters?: Map<string, Setter[]>;
}

/** A method stores its `index`-th argument inside `self`, in `field`. */
export interface Setter {
  index: number;
  field?: string;
}

/**
 * What a method stores inside `self` from its `Rc` parameters, read by walking it with `self` and
 * those parameters as allocations of their own. Calls of it elsewhere in the file are then stores.
 */
export function settersOf(fn: SyntaxNode, ctx: FnContext, work: Work): Setter[] {
  const body = fn.childForFieldName('body');
  const params = fn.childForFieldName('parameters')?.namedChildren ?? [];
  if (!body || !params.some((p) => p.type === 'self_parameter' || p.childForFieldName('pattern')?.type === 'self')) return [];
  const walk = new FunctionWalk(ctx, [], work);
  walk.summarising = true;
  walk.run(fn, body);
  const self = walk.bound('self');
  if (!self) return [];
  const out: Setter[] = [];
  let index = 0;
  for (const p of params) {
    if (p.type !== 'parameter') continue;
    const name = identName(p.childForFieldName('pattern') ?? p);
    const arg = name ? walk.bound(name) : undefined;
    const edge = arg && [self, ...self.contents].flatMap((o) => o.edges).find((e) => e.to === arg);
    if (edge) out.push({ index, field: edge.field });
    index++;
  }
  return out;
}

export function closingsIn(fn: SyntaxNode, ctx: FnContext, closings: Closing[], work: Work): void {
  const body = fn.childForFieldName('body');
  if (!body) return;
  new FunctionWalk(ctx, closings, work).run(fn, body);
}

interface Found {
  node: SyntaxNode;
  holder: Obj;
  cycle: Edge[];
}

class FunctionWalk {
  private readonly env = new Map<string, Binding>();
  private readonly objects = new Map<string, Obj>();
  private readonly found: Found[] = [];
  /** Allocations whose links the code clears after they were made, by position. */
  private readonly cleared: { obj: Obj; at: number }[] = [];
  private fresh = 0;
  /** Reading a method's stores for `settersOf`: `self` is an allocation, and nothing is reported. */
  summarising = false;
  /** What closure bodies may still cost to scan for captures: a multiple of the function's size, so nested stored closures stay linear. */
  private captureBudget = 0;

  constructor(
    private readonly ctx: FnContext,
    private readonly closings: Closing[],
    private readonly work: Work,
  ) {}

  run(fn: SyntaxNode, body: SyntaxNode): void {
    for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) this.parameter(p);
    this.captureBudget = 8 * (fn.endIndex - fn.startIndex) + 1024;
    const cursor = body.walk();
    // Pre-order over the body with a cursor: no recursion, no parent walks, and a node object only
    // for the statements that matter (making one per node is what costs). Nested items are their own functions.
    for (;;) {
      this.work.nodes++;
      const type = cursor.nodeType;
      const nested = NESTED_ITEMS.has(type) && cursor.startIndex !== body.startIndex;
      if (VISITED.has(type)) this.visit(cursor.currentNode);
      if (!nested && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return this.finish();
      }
    }
  }

  /** The allocation a name is bound to at the end of the walk. */
  bound(name: string): Obj | undefined {
    const b = this.env.get(name);
    return b?.kind === 'rc' ? b.obj : undefined;
  }

  private parameter(p: SyntaxNode): void {
    if (p.type === 'self_parameter' && this.summarising) this.env.set('self', { kind: 'rc', obj: this.object('self', 'self', this.ctx.implType) });
    if (p.type !== 'parameter') return;
    const pattern = p.childForFieldName('pattern');
    const type = p.childForFieldName('type');
    const name = pattern?.type === 'self' ? 'self' : pattern ? identName(pattern) : undefined;
    if (!name || !type) return;
    const pointee = this.rcPointee(type);
    if (pointee !== undefined) this.env.set(name, { kind: 'rc', obj: this.object(name, name, pointee === 'Self' ? this.ctx.implType : pointee || undefined) });
  }

  private rcPointee(type: SyntaxNode): string | undefined {
    return rcPointee(type, this.ctx.types);
  }

  private object(key: string, label: string, type?: string, inside?: Obj): Obj {
    let o = this.objects.get(key);
    if (!o) {
      o = { key, label, type, inside, contents: [], edges: [] };
      this.objects.set(key, o);
      inside?.contents.push(o);
    }
    return o;
  }

  private newObject(label: string, type?: string): Obj {
    return this.object(`#${this.fresh++}`, label, type);
  }

  /** What is found inside `o` under `step` (a field, an element): held by `o`. */
  private inside(o: Obj, step: string, label: string): Obj {
    return this.object(`${o.key}.${step}`, label, undefined, o);
  }

  // --- statements -------------------------------------------------------------------------

  private visit(node: SyntaxNode): void {
    switch (node.type) {
      case 'let_declaration': {
        const pattern = node.childForFieldName('pattern');
        const value = node.childForFieldName('value');
        const name = pattern && identName(pattern);
        if (!name) return;
        const type = node.childForFieldName('type');
        let b = value ? this.bindingOf(value) : undefined;
        if (type && (!b || b.kind === 'value')) {
          const pointee = this.rcPointee(type);
          if (pointee !== undefined && (!b || (b.kind === 'value' && b.holds.length === 0))) b = { kind: 'rc', obj: this.newObject(name, pointee || undefined) };
        }
        this.bind(name, b);
        return;
      }
      case 'let_condition': {
        // `if let Some(x) = e` / `while let Some(x) = e`: `x` is what `e` holds.
        const pattern = node.childForFieldName('pattern');
        const value = node.childForFieldName('value');
        const name = pattern && identName(pattern.type === 'tuple_struct_pattern' ? pattern.namedChildren[pattern.namedChildren.length - 1] ?? pattern : pattern);
        if (name && value) this.bind(name, this.bindingOf(value));
        return;
      }
      case 'for_expression': {
        const pattern = node.childForFieldName('pattern');
        const value = node.childForFieldName('value');
        const name = pattern && identName(pattern);
        if (!name || !value) return;
        const holder = this.holderOf(value);
        this.bind(name, holder ? { kind: 'rc', obj: this.inside(holder.obj, `${holder.field ?? ''}[]`, `an element of \`${stripped(value)}\``) } : undefined);
        return;
      }
      case 'assignment_expression':
        return this.assignment(node);
      case 'call_expression':
        return this.call(node);
    }
  }

  private bind(name: string, b: Binding | undefined): void {
    // An allocation made for this binding is called by its name from now on.
    if (b?.kind === 'rc' && b.obj.key.startsWith('#') && b.obj.label.startsWith('the `')) b.obj.label = name;
    if (b?.kind === 'value') for (const [field, o] of b.fields) if (o.key.startsWith('#') && o.label.startsWith('the `')) o.label = `${name}.${field}`;
    if (b) this.env.set(name, b);
    else this.env.delete(name);
  }

  private assignment(node: SyntaxNode): void {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!left || !right) return;
    if (left.type === 'identifier') return this.bind(left.text, this.bindingOf(right));
    const target = this.holderOf(left);
    if (EMPTY_VALUES.test(right.text.replace(/\s+/g, ''))) return this.clear(target, node);
    if (target?.shared) return this.store(target.obj, this.holds(right, 0), node, target.field);
    // A field of a local value: `n.next = Some(a.clone())` before `Rc::new(n)`.
    const root = rootName(left);
    const b = root ? this.env.get(root) : undefined;
    if (b?.kind === 'value') b.holds.push(...this.holds(right, 0));
  }

  private call(node: SyntaxNode): void {
    const f = node.childForFieldName('function');
    if (f?.type === 'scoped_identifier' || f?.type === 'identifier') {
      // `mem::take(&mut a.borrow_mut().next)`, `mem::replace(…, None)`, `mem::swap`
      const name = f.type === 'identifier' ? f.text : f.childForFieldName('name')?.text;
      if (name !== 'take' && name !== 'replace' && name !== 'swap') return;
      const first = firstArg(node);
      if (/\bmem::/.test(f.text + ' ') && first?.type === 'reference_expression') {
        const place = first.childForFieldName('value');
        if (place) this.clear(this.holderOf(place), node);
      }
      return;
    }
    if (f?.type !== 'field_expression') return;
    const method = f.childForFieldName('field')?.text ?? '';
    const setter = this.ctx.setters?.get(method);
    if (!CLEARS.has(method) && !STORES.has(method) && !setter) return;
    const receiver = f.childForFieldName('value');
    if (!receiver) return;
    if (setter) {
      // `a.set_next(b.clone())`: the method stores `b` inside `a`.
      const holder = this.rc(receiver);
      const args = node.childForFieldName('arguments')?.namedChildren ?? [];
      if (holder) for (const s of setter) if (args[s.index]) this.store(holder, this.holds(args[s.index], 0), node, s.field);
      return;
    }
    const args = node.childForFieldName('arguments')?.namedChildren ?? [];
    if (CLEARS.has(method) || ((method === 'set' || method === 'replace') && args[0] && EMPTY_VALUES.test(args[0].text.replace(/\s+/g, '')))) {
      return this.clear(this.holderOf(receiver, CELL_STORES.has(method) || method === 'take'), node);
    }
    if (!STORES.has(method)) return;
    const target = this.holderOf(receiver, CELL_STORES.has(method));
    if (!target?.shared) return;
    const values = args.flatMap((a) => this.holds(a, 0));
    this.store(target.obj, values, node, target.field);
  }

  private clear(target: { obj: Obj } | undefined, node: SyntaxNode): void {
    if (target) this.cleared.push({ obj: target.obj, at: node.startIndex });
  }

  /** `values` are stored inside `holder` at `node`: a value that already reaches `holder` closes a cycle. */
  private store(holder: Obj, values: Held[], node: SyntaxNode, field?: string): void {
    for (const v of values) {
      const path = this.pathBetween(v.obj, holder);
      const edge: Edge = { from: holder, to: v.obj, node, field, closure: v.closure };
      if (path && !this.found.some((f) => f.node.id === node.id)) this.found.push({ node, holder, cycle: [edge, ...path] });
      // One edge per pair is enough to answer reachability; repeated stores add none.
      if (!holder.edges.some((e) => e.to === v.obj)) holder.edges.push(edge);
    }
  }

  /** The edges from `from` to `to` (through what each allocation holds, and what is found inside it), or undefined. */
  private pathBetween(from: Obj, to: Obj): Edge[] | undefined {
    if (from === to || isInside(to, from)) return [];
    const back = new Map<Obj, { edge: Edge; from: Obj } | null>([[from, null]]);
    const queue: Obj[] = [from];
    for (let i = 0; i < queue.length && i < MAX_VISITS; i++) {
      const o = queue[i];
      this.work.nodes++;
      const steps: { to: Obj; edge?: Edge }[] = [...o.edges.map((e) => ({ to: e.to, edge: e })), ...o.contents.map((c) => ({ to: c }))];
      for (const step of steps) {
        if (back.has(step.to)) continue;
        back.set(step.to, step.edge ? { edge: step.edge, from: o } : { edge: undefined as never, from: o });
        if (step.to === to || isInside(to, step.to)) {
          const path: Edge[] = [];
          for (let cur = step.to; ; ) {
            const b = back.get(cur);
            if (!b) break;
            if (b.edge) path.unshift(b.edge);
            cur = b.from;
          }
          return path;
        }
        queue.push(step.to);
      }
    }
    return undefined;
  }

  // --- values -------------------------------------------------------------------------------

  /** The allocation `expr` is (a clone of), when the code says it is an `Rc`/`Arc`. */
  private rc(expr: SyntaxNode, depth = 0): Obj | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (expr.type) {
      case 'parenthesized_expression':
        return expr.namedChild(0) ? this.rc(expr.namedChild(0)!, depth + 1) : undefined;
      case 'identifier':
      case 'self': {
        const b = this.env.get(expr.text);
        return b?.kind === 'rc' ? b.obj : undefined;
      }
      case 'field_expression': {
        // `x.0` of a value built as `Dummy(Rc::new(…))`
        const value = expr.childForFieldName('value');
        const field = expr.childForFieldName('field')?.text;
        const b = value?.type === 'identifier' || value?.type === 'self' ? this.env.get(value.text) : undefined;
        return b?.kind === 'value' && field ? b.fields.get(field) : undefined;
      }
      case 'call_expression': {
        const f = expr.childForFieldName('function');
        if (!f) return undefined;
        if (f.type === 'scoped_identifier') {
          const name = f.childForFieldName('name')?.text;
          const m = name === 'new' || name === 'pin' || name === 'clone' ? /(?:^|::)(Rc|Arc)::(new|pin|clone)$/.exec(f.text.replace(/\s+/g, '')) : null;
          const first = m ? firstArg(expr) : undefined;
          if (!m) {
            // `Node::new(…)` declared in this file to return an `Rc<Node>`.
            const owner = f.childForFieldName('path')?.text.split('::').pop();
            const made = this.ctx.constructors?.get(`${owner === 'Self' ? this.ctx.implType : owner}::${name}`);
            if (made !== undefined) return this.newObject(`the \`${owner}::${name}\` at line ${expr.startPosition.row + 1}`, made || undefined);
          }
          if (m && first) {
            if (m[2] === 'clone') {
              const arg = first.type === 'reference_expression' ? first.childForFieldName('value') ?? first : first;
              return this.rc(arg, depth + 1) ?? this.pathObject(arg);
            }
            const o = this.newObject(`the \`${m[1]}::new\` at line ${expr.startPosition.row + 1}`, constructedType(first));
            for (const h of this.holds(first, depth + 1)) o.edges.push({ from: o, to: h.obj, node: first, field: this.fieldOf(h.obj, first), closure: h.closure });
            return o;
          }
          return undefined;
        }
        if (f.type === 'identifier') {
          const made = this.ctx.constructors?.get(f.text);
          return made !== undefined ? this.newObject(`the \`${f.text}\` at line ${expr.startPosition.row + 1}`, made || undefined) : undefined;
        }
        if (f.type !== 'field_expression') return undefined;
        const method = f.childForFieldName('field')?.text ?? '';
        const receiver = f.childForFieldName('value');
        if (!receiver) return undefined;
        if (method === 'clone') return this.rc(receiver, depth + 1) ?? this.pathObject(receiver);
        if (PASS.has(method)) return this.rc(receiver, depth + 1);
        if (method === 'upgrade') return this.newObject(`\`${stripped(expr)}\``);
        return undefined;
      }
    }
    return undefined;
  }

  /** An allocation found inside another by a path (`a.borrow().next`, `self.children[…]`). */
  private pathObject(expr: SyntaxNode): Obj | undefined {
    const target = this.holderOf(expr);
    if (!target) {
      const name = rootName(expr);
      if (name && (expr.type === 'identifier' || expr.type === 'self')) {
        // `Rc::clone(&x)` says `x` is an `Rc` even where its declaration does not.
        const o = this.object(name, name, name === 'self' ? this.ctx.implType : undefined);
        if (!this.env.has(name)) this.env.set(name, { kind: 'rc', obj: o });
        return this.env.get(name)?.kind === 'rc' ? o : undefined;
      }
      return undefined;
    }
    if (!target.field && !target.elements) return target.obj;
    return this.inside(target.obj, `${target.field ?? ''}${target.elements ? '[]' : ''}`, `\`${stripped(expr)}\``);
  }

  /**
   * The allocation an expression used as a place writes into: strips fields, elements, guards and
   * `unwrap`s down to a known `Rc` or a guard variable. `shared` says a cell was on the way (or
   * the root is a guard), without which nothing inside an `Rc` can be written.
   */
  private holderOf(expr: SyntaxNode, cell = false): { obj: Obj; shared: boolean; field?: string; elements?: boolean } | undefined {
    let field: string | undefined;
    let elements = false;
    let shared = cell;
    let e: SyntaxNode | null = expr;
    for (let depth = 0; e && depth < MAX_DEPTH; depth++) {
      const known = this.rc(e);
      if (known && (e !== expr || field !== undefined || shared)) return { obj: known, shared, field, elements };
      if (e.type === 'identifier' || e.type === 'self') {
        const b = this.env.get(e.text);
        if (b?.kind === 'place') return { obj: b.obj, shared: true, field, elements };
        if (b?.kind === 'rc') return { obj: b.obj, shared, field, elements };
        return undefined;
      }
      switch (e.type) {
        case 'field_expression':
          field ??= e.childForFieldName('field')?.text;
          e = e.childForFieldName('value');
          break;
        case 'index_expression':
          elements = true;
          e = e.namedChild(0);
          break;
        case 'unary_expression':
        case 'parenthesized_expression':
        case 'reference_expression':
        case 'try_expression':
          e = e.namedChildren[e.namedChildren.length - 1] ?? null;
          break;
        case 'call_expression': {
          const f = e.childForFieldName('function');
          if (f?.type !== 'field_expression') return undefined;
          const method = f.childForFieldName('field')?.text ?? '';
          if (INTERIOR.has(method)) shared = true;
          else if (ELEMENTS.has(method)) elements = true;
          else if (!PASS.has(method)) return undefined;
          e = f.childForFieldName('value');
          break;
        }
        default:
          return undefined;
      }
    }
    return undefined;
  }

  private bindingOf(value: SyntaxNode): Binding | undefined {
    const r = this.rc(value);
    if (r) return { kind: 'rc', obj: r };
    const place = this.holderOf(value);
    if (place?.shared && !place.elements) return { kind: 'place', obj: place.obj };
    if (place?.elements) return { kind: 'rc', obj: this.inside(place.obj, `${place.field ?? ''}[]`, `an element of \`${stripped(value)}\``) };
    // `a.tail()`: a method of a known allocation returns a place inside it.
    if (value.type === 'call_expression' && value.childForFieldName('function')?.type === 'field_expression') {
      const f = value.childForFieldName('function')!;
      const method = f.childForFieldName('field')?.text ?? '';
      const recv = f.childForFieldName('value');
      const owner = recv && !NOT_INSIDE.test(method) && !STORES.has(method) && !CLEARS.has(method) ? this.holderOf(recv, true) ?? (this.rc(recv) ? { obj: this.rc(recv)! } : undefined) : undefined;
      if (owner) return { kind: 'place', obj: owner.obj };
    }
    const holds = this.holds(value, 0);
    const fields = new Map<string, Obj>();
    collectFields(value, (name, v) => {
      const o = this.rc(v);
      if (!o) return;
      fields.set(name, o);
      o.heldAs ??= name;
    });
    if (holds.length === 0 && fields.size === 0) return undefined;
    return { kind: 'value', holds, fields, closure: value.type === 'closure_expression' };
  }

  /** The allocations a value holds strongly: moved or cloned `Rc`s, inside `Some`, constructors, literals, closures. */
  private holds(expr: SyntaxNode, depth: number): Held[] {
    if (depth > MAX_DEPTH) return [];
    this.work.nodes++;
    const r = this.rc(expr, depth);
    if (r) return [{ obj: r }];
    switch (expr.type) {
      case 'identifier': {
        const b = this.env.get(expr.text);
        return b?.kind === 'value' ? b.holds.map((h) => ({ obj: h.obj, closure: h.closure || b.closure })) : [];
      }
      case 'parenthesized_expression':
      case 'type_cast_expression':
        return expr.namedChild(0) ? this.holds(expr.namedChild(0)!, depth + 1) : [];
      case 'tuple_expression':
      case 'array_expression':
        return expr.namedChildren.flatMap((c) => this.holds(c, depth + 1));
      case 'struct_expression':
        return (expr.childForFieldName('body')?.namedChildren ?? []).flatMap((init) => {
          if (init.type === 'shorthand_field_initializer') return this.holds(init.namedChild(0) ?? init, depth + 1);
          const v = init.childForFieldName('value');
          return v ? this.holds(v, depth + 1) : [];
        });
      case 'closure_expression':
        return this.captures(expr);
      case 'block': {
        const last = expr.namedChildren[expr.namedChildren.length - 1];
        return last && last.type !== 'expression_statement' && last.type !== 'let_declaration' ? this.holds(last, depth + 1) : [];
      }
      case 'macro_invocation': {
        // `vec![a.clone(), Rc::clone(&b)]`: token trees have no expressions; a bound `Rc` named in one is held.
        const name = expr.childForFieldName('macro')?.text;
        if (name !== 'vec') return [];
        const out: Held[] = [];
        for (const id of expr.descendantsOfType('identifier')) {
          const b = this.env.get(id.text);
          if (b?.kind === 'rc') out.push({ obj: b.obj });
        }
        return out;
      }
      case 'call_expression': {
        const f = expr.childForFieldName('function');
        if (!f) return [];
        if (f.type === 'field_expression') {
          const method = f.childForFieldName('field')?.text;
          const recv = f.childForFieldName('value');
          // `y.clone()` of a value that holds an `Rc` shares it; `.into()`, `Some(x).unwrap()` pass it on.
          return recv && (method === 'clone' || method === 'into' || (method && PASS.has(method))) ? this.holds(recv, depth + 1) : [];
        }
        // `Some(x)`, `Box::new(x)`, `RefCell::new(x)`, `Dummy(x)`, `Closure::wrap(x)`: constructors keep their arguments.
        const last = f.type === 'scoped_identifier' ? f.childForFieldName('name')?.text ?? '' : f.text;
        const owner = f.type === 'scoped_identifier' ? f.childForFieldName('path')?.text.split('::').pop() ?? '' : '';
        const constructs = /^[A-Z]/.test(last) || (/^[A-Z]/.test(owner) && /^(new|wrap|from|once|pin)$/.test(last) && owner !== 'Weak');
        return constructs ? (expr.childForFieldName('arguments')?.namedChildren ?? []).flatMap((a) => this.holds(a, depth + 1)) : [];
      }
    }
    return [];
  }

  /** The bound `Rc`s a closure's body names: moved or borrowed into it, they live as long as the closure. */
  private captures(closure: SyntaxNode): Held[] {
    const out: Held[] = [];
    const body = closure.childForFieldName('body');
    if (!body) return out;
    this.captureBudget -= body.endIndex - body.startIndex;
    if (this.captureBudget < 0) return out;
    for (const id of body.type === 'identifier' ? [body] : body.descendantsOfType(['identifier', 'self'])) {
      this.work.nodes++;
      const b = this.env.get(id.text);
      if (b?.kind === 'rc' && !out.some((h) => h.obj === b.obj)) out.push({ obj: b.obj, closure: true });
    }
    return out;
  }

  // --- findings -------------------------------------------------------------------------------

  private finish(): void {
    if (this.summarising) return;
    for (const f of this.found) {
      const objs = new Set<Obj>([f.holder, ...f.cycle.map((e) => e.to)]);
      // Broken by hand later in the function (`a.borrow_mut().next.take()`): no leak.
      if (this.cleared.some((c) => c.at > f.node.startIndex && [...objs].some((o) => o === c.obj || isInside(o, c.obj) || isInside(c.obj, o)))) continue;
      this.closings.push(this.describe(f, objs));
    }
  }

  private describe(f: Found, objs: Set<Obj>): Closing {
    const closing = f.cycle[0];
    const line = (n: SyntaxNode) => n.startPosition.row + 1;
    const into = `\`${f.holder.label}${closing.field ? `.${closing.field}` : ''}\``;
    const what = closing.closure ? `a closure that captured \`${closing.to.label}\`` : `\`${closing.to.label}\``;
    const self = f.cycle.length === 1 && (closing.to === f.holder || isInside(f.holder, closing.to));
    const message = self
      ? `\`${f.holder.label}\` is stored inside itself${closing.field ? ` (in its \`${closing.field}\`)` : ''}${closing.closure ? ', in a closure that captured it' : ''}: a reference cycle that is never freed`
      : `closes a reference cycle: ${into} now holds ${what}, which already holds \`${f.holder.label}\`; neither is ever freed`;
    const reasons: string[] = [];
    const related: RelatedLocation[] = [];
    for (const e of f.cycle.slice(1)) {
      const from = e.from;
      reasons.push(`line ${line(e.node)}: \`${from.label}\`${e.field ? ` (its \`${e.field}\`)` : ''} holds ${e.closure ? 'a closure that captured ' : ''}\`${e.to.label}\``);
      related.push({ file: this.ctx.path, range: rangeOf(e.node), message: `\`${from.label}\` holds \`${e.to.label}\` here` });
    }
    for (const o of objs) if (o.inside && objs.has(o.inside)) reasons.push(`\`${o.label}\` is found inside \`${o.inside.label}\``);
    reasons.push(`line ${line(f.node)}: ${into} is given ${what}${self ? '' : `, which leads back to \`${f.holder.label}\``}`);
    reasons.push('every value on the cycle keeps the next one\'s strong count above zero, so none is dropped: valgrind reports it "definitely lost", Miri "memory leaked"');
    const fields = [...new Set([...f.cycle.map((e) => e.field), ...[...objs].map((o) => o.heldAs)].filter((x): x is string => !!x))];
    const types = [...new Set([...objs].map((o) => o.type).filter((x): x is string => !!x))];
    const back = this.backEdge(fields, types);
    if (back) {
      related.push({ file: this.ctx.path, range: back.range, message: `the back edge \`${back.type}.${back.field}\`: make it \`Weak\`` });
    }
    return { range: rangeOf(f.node), message, reasons, related, fields, types };
  }

  /** The innermost field of a struct literal or tuple constructor in `arg` that names `o`. */
  private fieldOf(o: Obj, arg: SyntaxNode): string | undefined {
    for (const id of arg.type === 'identifier' || arg.type === 'self' ? [arg] : arg.descendantsOfType(['identifier', 'self'])) {
      const b = this.env.get(id.text);
      if (b?.kind !== 'rc' || b.obj !== o) continue;
      let n: SyntaxNode | null = id;
      for (let depth = 0; n && n.id !== arg.id && depth < MAX_DEPTH; depth++, n = n.parent) {
        if (n.type === 'field_initializer') return n.childForFieldName('field')?.text;
        if (n.type === 'shorthand_field_initializer') return n.text;
        const positional = n.parent?.type === 'arguments' ? tupleField(n.parent, n) : undefined;
        if (positional) return positional;
      }
    }
    return undefined;
  }

  /** A field on the cycle named like a link back up (`parent`, `prev`, `owner`), declared in this file. */
  private backEdge(fields: string[], types: string[]): { type: string; field: string; range: Range } | undefined {
    for (const field of fields) {
      if (!BACK_EDGE.test(field)) continue;
      for (const t of [...types, ...this.ctx.types.keys()]) {
        const edge = this.ctx.types.get(t)?.edges.find((e) => e.field === field && e.pointer);
        if (edge) return { type: t, field, range: edge.range };
      }
    }
    return undefined;
  }
}

/** `Dummy(x)` → `0`, `List::Cons(5, x)` → `Cons.1`: the field a tuple constructor's argument fills, as the type graph names it. */
function tupleField(args: SyntaxNode, arg: SyntaxNode): string | undefined {
  const fn = args.parent?.type === 'call_expression' ? args.parent.childForFieldName('function') : undefined;
  if (!fn) return undefined;
  let prefix: string;
  if (fn.type === 'identifier' && /^[A-Z]/.test(fn.text) && fn.text !== 'Some' && fn.text !== 'Ok' && fn.text !== 'Err') prefix = '';
  else if (fn.type === 'scoped_identifier' && /^[A-Z]/.test(fn.childForFieldName('name')?.text ?? '') && /^[A-Z]/.test(fn.childForFieldName('path')?.text.split('::').pop() ?? '')) prefix = `${fn.childForFieldName('name')!.text}.`;
  else return undefined;
  for (let i = 0; i < args.namedChildCount; i++) if (args.namedChild(i)!.id === arg.id) return `${prefix}${i}`;
  return undefined;
}

/** The pointee of a declared `Rc<T>`/`&Arc<Mutex<T>>`/local alias of one (`T`, or '' if unnamed); undefined if not one. */
export function rcPointee(type: SyntaxNode, types: Map<string, TypeDecl>): string | undefined {
  const text = type.text.replace(/\s+/g, '').replace(/^&(mut)?/, '');
  const m = /^(?:std::rc::|std::sync::|alloc::rc::|alloc::sync::)?(Rc|Arc)<(.*)>$/.exec(text);
  if (m) return innerTypeName(m[2]);
  const alias = types.get(text.replace(/<.*$/, ''));
  if (alias?.alias) {
    const strong = alias.edges.find((e) => e.pointer);
    if (strong) return strong.target;
  }
  return undefined;
}

function firstArg(call: SyntaxNode): SyntaxNode | undefined {
  return call.childForFieldName('arguments')?.namedChild(0) ?? undefined;
}

function isInside(o: Obj, outer: Obj): boolean {
  for (let p = o.inside; p; p = p.inside) if (p === outer) return true;
  return false;
}

function identName(pattern: SyntaxNode): string | undefined {
  if (pattern.type === 'identifier') return pattern.text;
  if (pattern.type === 'mut_pattern' || pattern.type === 'ref_pattern') return pattern.namedChildren.find((c) => c.type === 'identifier')?.text;
  return undefined;
}

function rootName(expr: SyntaxNode): string | undefined {
  let e: SyntaxNode | null = expr;
  for (let depth = 0; e && depth < MAX_DEPTH; depth++) {
    if (e.type === 'identifier' || e.type === 'self') return e.text;
    if (e.type === 'field_expression') e = e.childForFieldName('value');
    else if (e.type === 'call_expression') e = e.childForFieldName('function');
    else e = e.namedChild(0);
  }
  return undefined;
}

/** The expression as written, without guards: `a.borrow().next` → `a.next`. */
function stripped(expr: SyntaxNode): string {
  return expr.text.replace(/\s+/g, '').replace(/\.(borrow_mut|borrow|lock|read|write|unwrap|expect\([^)]*\)|iter|iter_mut|into_iter|as_ref)\(\)/g, '');
}

function innerTypeName(args: string): string {
  const m = /^(?:(?:RefCell|Cell|Mutex|RwLock|UnsafeCell)<)*(?:[\w:]+::)?(\w+)/.exec(args);
  return m ? m[1] : '';
}

/** The type a constructor argument builds: `RefCell::new(Node { … })` → `Node`. */
function constructedType(arg: SyntaxNode): string | undefined {
  let e: SyntaxNode | null = arg;
  for (let depth = 0; e && depth < MAX_DEPTH; depth++) {
    if (e.type === 'struct_expression') return e.childForFieldName('name')?.text.split('::').pop()?.replace(/<.*$/, '');
    if (e.type !== 'call_expression') return undefined;
    const f = e.childForFieldName('function');
    if (f?.type === 'identifier' && /^[A-Z]/.test(f.text) && f.text !== 'Some') return f.text;
    if (f?.type === 'scoped_identifier') {
      const owner = f.childForFieldName('path')?.text.split('::').pop() ?? '';
      if (!/^(RefCell|Cell|Mutex|RwLock|Box|UnsafeCell)$/.test(owner)) return /^[A-Z]/.test(owner) ? owner : undefined;
    }
    e = e.childForFieldName('arguments')?.namedChildren[0] ?? null;
  }
  return undefined;
}

/** `f(name, value)` for each field of a struct literal or tuple-struct constructor, looking through `RefCell::new(…)`. */
function collectFields(expr: SyntaxNode, f: (name: string, value: SyntaxNode) => void): void {
  let e: SyntaxNode | null = expr;
  for (let depth = 0; e && depth < MAX_DEPTH; depth++) {
    if (e.type === 'struct_expression') {
      for (const init of e.childForFieldName('body')?.namedChildren ?? []) {
        if (init.type === 'field_initializer') {
          const name = init.childForFieldName('field')?.text;
          const v = init.childForFieldName('value');
          if (name && v) f(name, v);
        } else if (init.type === 'shorthand_field_initializer' && init.namedChild(0)) f(init.text, init.namedChild(0)!);
      }
      return;
    }
    if (e.type !== 'call_expression') return;
    const fn = e.childForFieldName('function');
    const args: SyntaxNode[] = e.childForFieldName('arguments')?.namedChildren ?? [];
    if (fn?.type === 'identifier' && /^[A-Z]/.test(fn.text) && fn.text !== 'Some') {
      args.forEach((a, i) => f(String(i), a));
      return;
    }
    // `List::Cons(5, tail)`: a tuple variant, whose fields the type graph calls `Cons.0`, `Cons.1`.
    const variant = fn?.type === 'scoped_identifier' ? fn.childForFieldName('name')?.text : undefined;
    if (variant && /^[A-Z]/.test(variant) && /^[A-Z]/.test(fn!.childForFieldName('path')?.text.split('::').pop() ?? '')) {
      args.forEach((a, i) => f(`${variant}.${i}`, a));
      return;
    }
    e = args[0] ?? null;
  }
}
