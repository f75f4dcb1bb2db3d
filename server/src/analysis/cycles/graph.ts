/**
 * The workspace's strong-reference type graph: every declared type, with an edge for each way it
 * holds another (aliases followed through, also across files). A strongly connected set of types
 * with a strong `Rc`/`Arc` edge and a cell on it can form a reference cycle; the finding goes on
 * the edge that closes the loop. Built once per classification, in time linear in the facts.
 */
import { Range, RelatedLocation } from '../../../../shared/src/findings';
import { CycleFacts, FieldClear, TypeDecl, TypeEdge } from './model';
import { BACK_EDGE } from './types';

export interface FileCycleFacts {
  path: string;
  cycles: CycleFacts;
}

interface Node {
  id: number;
  file: string;
  decl: TypeDecl;
  out: GraphEdge[];
}

interface GraphEdge {
  from: Node;
  to: Node;
  field: string;
  range: Range;
  pointer?: 'Rc' | 'Arc';
  cell: boolean;
}

export interface EdgeVerdict {
  message: string;
  reasons: string[];
  related: RelatedLocation[];
}

const MAX_ALIAS_DEPTH = 8;

/** The package a file belongs to, for name lookups: the path up to its last `src/`; a file outside one is its own. */
function packageOf(path: string): string {
  const i = path.lastIndexOf('/src/');
  return i >= 0 ? path.slice(0, i) : path;
}

export class CycleGraph {
  private readonly byName = new Map<string, { file: string; decl: TypeDecl }[]>();
  private readonly nodes: Node[] = [];
  private readonly nodeOf = new Map<TypeDecl, Node>();
  private readonly clears = new Map<string, { file: string; clear: FieldClear }[]>();
  /** Fields through which some function closes a cycle, by package: their loops are reported there. */
  private readonly closedFields = new Set<string>();
  /** The edge chosen for each cycle-capable set of types, by `file:line:field`. */
  private readonly verdicts = new Map<string, EdgeVerdict>();

  constructor(facts: FileCycleFacts[]) {
    for (const f of facts) {
      for (const decl of f.cycles.types) {
        const list = this.byName.get(decl.name) ?? [];
        list.push({ file: f.path, decl });
        this.byName.set(decl.name, list);
        if (!decl.alias) {
          const node: Node = { id: this.nodes.length, file: f.path, decl, out: [] };
          this.nodes.push(node);
          this.nodeOf.set(decl, node);
        }
      }
      for (const field of f.cycles.closed) this.closedFields.add(`${packageOf(f.path)}:${field}`);
      for (const clear of f.cycles.clears) {
        const list = this.clears.get(clear.field) ?? [];
        list.push({ file: f.path, clear });
        this.clears.set(clear.field, list);
      }
    }
    const aliasMemo = new Map<TypeDecl, TypeEdge[]>();
    for (const node of this.nodes) {
      for (const e of node.decl.edges) {
        for (const r of this.expand(e, node.file, aliasMemo, 0)) {
          const to = this.resolve(r.target, node.file);
          if (to && !to.decl.alias) node.out.push({ from: node, to: this.nodeOf.get(to.decl)!, field: e.field, range: e.range, pointer: r.pointer, cell: r.cell });
        }
      }
    }
    for (const scc of this.components()) this.judge(scc);
  }

  /** The verdict for the strong edge declared at `range`, if it is the one that closes a cycle. */
  verdictFor(file: string, range: Range, field: string): EdgeVerdict | undefined {
    return this.verdicts.get(`${file}:${range.start.line}:${range.start.character}:${field}`);
  }

  /**
   * Code of the package that empties one of a cycle's fields: a `Drop` of a type outside the cycle
   * breaks it (one inside never runs); other code breaks it if it runs in time.
   */
  clearing(file: string, fields: string[], types: string[]): { breaks?: string; byHand?: string; futile?: string } {
    const pkg = packageOf(file);
    let futile: string | undefined;
    let byHand: string | undefined;
    for (const field of fields) {
      for (const { file: f, clear } of this.clears.get(field) ?? []) {
        if (packageOf(f) !== pkg) continue;
        const at = `${f}:${clear.range.start.line + 1}`;
        if (!clear.dropOf) byHand ??= `\`${field}\` is emptied by hand at ${at}: the cycle is broken only if that code runs before the last outside handle goes`;
        else if (types.includes(clear.dropOf)) futile ??= `\`${clear.dropOf}\`'s \`Drop\` clears \`${field}\`, but it never runs: the cycle keeps that \`${clear.dropOf}\` alive`;
        else return { breaks: `\`${clear.dropOf}\`'s \`Drop\` clears \`${field}\` (${at}), which breaks the cycle when the \`${clear.dropOf}\` is dropped` };
      }
    }
    return { byHand, futile };
  }

  /** A name as seen from `file`: its own declaration, else the only one in its package, else the only one anywhere. */
  private resolve(name: string, file: string): { file: string; decl: TypeDecl } | undefined {
    const all = this.byName.get(name);
    if (!all) return undefined;
    if (all.length === 1) return all[0];
    const own = all.find((d) => d.file === file);
    if (own) return own;
    const pkg = packageOf(file);
    const inPkg = all.filter((d) => packageOf(d.file) === pkg);
    return inPkg.length === 1 ? inPkg[0] : undefined;
  }

  /** An edge into an alias stands for the alias's own edges, with the pointers and cells of both. */
  private expand(e: TypeEdge, file: string, memo: Map<TypeDecl, TypeEdge[]>, depth: number): TypeEdge[] {
    const target = this.resolve(e.target, file);
    if (!target?.decl.alias) return [e];
    if (depth >= MAX_ALIAS_DEPTH) return [];
    let inner = memo.get(target.decl);
    if (!inner) {
      memo.set(target.decl, []); // an alias that names itself denotes nothing more
      inner = target.decl.edges.flatMap((a) => this.expand(a, target.file, memo, depth + 1));
      memo.set(target.decl, inner);
    }
    return inner.map((a) => ({ ...e, target: a.target, pointer: e.pointer ?? a.pointer, cell: e.cell || a.cell }));
  }

  /** Strongly connected components (Tarjan, with an explicit stack), each with a cycle in it. */
  private components(): Node[][] {
    const index = new Int32Array(this.nodes.length).fill(-1);
    const low = new Int32Array(this.nodes.length);
    const onStack = new Uint8Array(this.nodes.length);
    const stack: Node[] = [];
    const out: Node[][] = [];
    let next = 0;
    for (const start of this.nodes) {
      if (index[start.id] >= 0) continue;
      const work: { node: Node; i: number }[] = [{ node: start, i: 0 }];
      index[start.id] = low[start.id] = next++;
      stack.push(start);
      onStack[start.id] = 1;
      while (work.length) {
        const top = work[work.length - 1];
        const v = top.node;
        if (top.i < v.out.length) {
          const w = v.out[top.i++].to;
          if (index[w.id] < 0) {
            index[w.id] = low[w.id] = next++;
            stack.push(w);
            onStack[w.id] = 1;
            work.push({ node: w, i: 0 });
          } else if (onStack[w.id]) {
            low[v.id] = Math.min(low[v.id], index[w.id]);
          }
          continue;
        }
        work.pop();
        if (work.length) low[work[work.length - 1].node.id] = Math.min(low[work[work.length - 1].node.id], low[v.id]);
        if (low[v.id] !== index[v.id]) continue;
        const scc: Node[] = [];
        for (;;) {
          const w = stack.pop()!;
          onStack[w.id] = 0;
          scc.push(w);
          if (w === v) break;
        }
        if (scc.length > 1 || v.out.some((e) => e.to === v)) out.push(scc);
      }
    }
    return out;
  }

  private judge(scc: Node[]): void {
    const members = new Set(scc);
    const inner = scc.flatMap((n) => n.out.filter((e) => members.has(e.to)));
    const strong = inner.filter((e) => e.pointer);
    // Without a cell nothing can point back at a value once it is shared: `Rc::new` moves it in for good.
    if (strong.length === 0 || !inner.some((e) => e.cell)) return;
    const types = scc.map((n) => n.decl.name);
    // The author breaks the links by hand: code that empties one of the cycle's fields.
    const pkg = packageOf(scc[0].file);
    const broken = strong.some((e) => (this.clears.get(e.field) ?? []).some(({ file, clear }) => packageOf(file) === pkg && !(clear.dropOf && types.includes(clear.dropOf))));
    if (broken) return;
    // A function closes a cycle through one of these fields: the real leak is reported where it does.
    if (strong.some((e) => this.closedFields.has(`${pkg}:${e.field}`))) return;
    // A single strong link (`next`, `children`) beside a `Weak` one back (`prev`, `parent`): the author broke the loop.
    const weakBack = scc.some((n) =>
      n.decl.weak.some((w) => {
        const t = this.resolve(w, n.file);
        const node = t && this.nodeOf.get(t.decl);
        return !!node && members.has(node);
      }),
    );
    if (strong.length === 1 && weakBack) return;
    const chosen = pickClosingEdge(strong);
    const path = this.pathBack(chosen, members);
    const loop = [chosen, ...path];
    const name = (e: GraphEdge) => `${e.from.decl.name}.${e.field}`;
    const single = loop.length === 1 && strong.length === 1;
    const weak = !single && (BACK_EDGE.test(chosen.field) || strong.length > 1);
    const route = [chosen.from.decl.name, ...loop.map((e) => e.to.decl.name)].map((t) => `\`${t}\``).join(' → ');
    const message = single
      ? `\`${name(chosen)}\` can point back to a \`${chosen.to.decl.name}\`: a chain that loops never frees`
      : `\`${name(chosen)}\` can close a strong cycle ${route}: values that point at each other are never freed${weak ? '; make it `Weak`' : ''}`;
    const reasons = loop.map((e) => `\`${name(e)}\` holds ${e.pointer ? `a strong \`${e.pointer}\` to` : ''} a \`${e.to.decl.name}\`${e.pointer ? '' : ' by value'}${e.cell ? ' behind a cell, so it can be set after the value is shared' : ''}`.replace('holds  a', 'holds a'));
    reasons.push(
      single
        ? `a \`${chosen.from.decl.name}\` whose \`${chosen.field}\` leads back to itself keeps its own strong count above zero`
        : 'a value on this loop that reaches itself keeps every strong count on it above zero',
      'no code in the workspace was seen closing such a loop; a run that does leaks every value on it (valgrind: "definitely lost", Miri: "memory leaked")',
    );
    if (!weak && !single) reasons.push('each edge of the loop is the only link of its kind, so no one of them is clearly the back edge to make `Weak`');
    const rest = path.length ? path : strong.filter((e) => e !== chosen);
    const related: RelatedLocation[] = rest.slice(0, 8).map((e) => ({ file: e.from.file, range: e.range, message: `\`${name(e)}\`: the rest of the loop` }));
    this.verdicts.set(`${chosen.from.file}:${chosen.range.start.line}:${chosen.range.start.character}:${chosen.field}`, { message, reasons, related });
  }

  /** The edges from `e`'s target back to its source inside the component (breadth first: the shortest loop). */
  private pathBack(e: GraphEdge, members: Set<Node>): GraphEdge[] {
    if (e.to === e.from) return [];
    const back = new Map<Node, GraphEdge | null>([[e.to, null]]);
    const queue = [e.to];
    for (let i = 0; i < queue.length; i++) {
      for (const out of queue[i].out) {
        if (!members.has(out.to) || back.has(out.to)) continue;
        back.set(out.to, out);
        if (out.to === e.from) {
          const path: GraphEdge[] = [];
          for (let cur: GraphEdge | null | undefined = out; cur; cur = back.get(cur.from)) path.unshift(cur);
          return path;
        }
        queue.push(out.to);
      }
    }
    return [];
  }
}

/**
 * The edge that closes the loop: one named like a link back up (`parent`, `prev`, `owner`), else
 * one pointing at a type declared before its own (the forward edges come first), else the last
 * declared. Stable whatever order the files came in.
 */
function pickClosingEdge(strong: GraphEdge[]): GraphEdge {
  const order = (a: GraphEdge, b: GraphEdge) =>
    (a.from.file < b.from.file ? -1 : a.from.file > b.from.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  const sorted = [...strong].sort(order);
  const named = sorted.filter((e) => BACK_EDGE.test(e.field));
  if (named.length) return named[named.length - 1];
  const backwards = sorted.filter((e) => e.to !== e.from && e.to.file === e.from.file && e.to.decl.range.start.line < e.from.decl.range.start.line);
  if (backwards.length) return backwards[backwards.length - 1];
  return sorted[sorted.length - 1];
}
