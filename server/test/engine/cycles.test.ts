/**
 * The rc-cycle analysis on inputs built to be expensive: its work, counted in syntax nodes and
 * graph steps visited, stays proportional to the input (never wall time: see `npm run bench`).
 * And what its findings tell a reader: where the cycle closes, the other edges, the back edge.
 */
import * as assert from 'node:assert/strict';
import { analyzeSources, analyzeText } from '../../src/analysis/engine';
import { extractFacts } from '../../src/analysis/facts';
import { Work } from '../../src/analysis/cycles/types';
import { initParser } from '../../src/parsing/parser';

function workOf(text: string): number {
  const work: Work = { nodes: 0 };
  extractFacts('deep.rs', text, undefined, {}, work);
  return work.nodes;
}

/** `struct S { a: Rc<Rc<…Rc<S>…>> }`: the 877-byte input of issue 14 at depth 200. */
function nestedRc(depth: number): string {
  return `use std::rc::Rc; struct S { a: ${'Rc<'.repeat(depth)}S${'>'.repeat(depth)} } fn main(){}`;
}

describe('rc-cycle: work in proportion to the input', () => {
  before(async () => {
    await initParser();
  });

  it('walks a type nested 200 deep once per node', () => {
    const text = nestedRc(200);
    const work = workOf(text);
    // Each `Rc<…>` level is a generic_type and its argument: about 2 nodes per level, never per pair of levels.
    assert.ok(work <= 4 * 200 + 64, `visited ${work} nodes`);
  });

  it('does twice the work for a type nested twice as deep', () => {
    const w1 = workOf(nestedRc(1000));
    const w2 = workOf(nestedRc(2000));
    assert.ok(w2 <= 2.2 * w1, `${w1} nodes at depth 1000, ${w2} at depth 2000`);
  });

  it('still finds the cycle a deeply nested type closes', () => {
    const findings = analyzeText('deep.rs', nestedRc(200).replace('S>', 'std::cell::RefCell<S>>'));
    assert.deepEqual(findings.map((f) => [f.rule, f.kind]), [['rc-cycle', 'possible-leak']]);
  });

  it('follows values through a long function in time linear in its statements', () => {
    const body = (n: number) => {
      const lines = ['use std::cell::RefCell; use std::rc::Rc;', 'struct N { next: RefCell<Vec<Rc<N>>> }', 'fn main() {'];
      for (let i = 0; i < n; i++) lines.push(`  let v${i} = Rc::new(N { next: RefCell::new(vec![]) });`);
      // Each node linked to the one before: a chain that a reachability search walks back through.
      for (let i = 1; i < n; i++) lines.push(`  v${i}.next.borrow_mut().push(v${i - 1}.clone());`);
      lines.push('}');
      return lines.join('\n');
    };
    // Beyond the first few hundred values, each reachability question stops at its cap of visits.
    const w1 = workOf(body(1000));
    const w2 = workOf(body(2000));
    assert.ok(w2 <= 2.2 * w1, `${w1} steps for 1000 values, ${w2} for 2000`);
  });
});

describe('rc-cycle: what a closing finding says', () => {
  before(async () => {
    await initParser();
  });

  const PARENT_CHILD = `use std::cell::RefCell;
use std::rc::Rc;
struct Node {
    parent: RefCell<Option<Rc<Node>>>,
    children: RefCell<Vec<Rc<Node>>>,
}
fn main() {
    let parent = Rc::new(Node { parent: RefCell::new(None), children: RefCell::new(vec![]) });
    let child = Rc::new(Node { parent: RefCell::new(Some(Rc::clone(&parent))), children: RefCell::new(vec![]) });
    parent.children.borrow_mut().push(Rc::clone(&child));
}
`;

  it('is a real leak at the store that closes the cycle, naming both values', () => {
    const [f] = analyzeText('a.rs', PARENT_CHILD);
    assert.equal(f.kind, 'real-leak');
    assert.equal(f.severity, 'warning');
    assert.equal(f.range.start.line, 9);
    assert.match(f.message, /`parent\.children` now holds `child`, which already holds `parent`/);
  });

  it('points at the other edge of the cycle and at the back edge to make Weak', () => {
    const [f] = analyzeText('a.rs', PARENT_CHILD);
    assert.deepEqual(
      f.related.map((r) => [r.range.start.line, r.message]),
      [
        [8, '`child` holds `parent` here'],
        [3, 'the back edge `Node.parent`: make it `Weak`'],
      ],
    );
  });

  it('reports the type edge instead when no code closes the cycle', () => {
    const text = PARENT_CHILD.replace(/fn main\(\) \{[^]*\}\n$/, 'fn main() {}\n');
    const [f] = analyzeText('a.rs', text);
    assert.equal(f.kind, 'possible-leak');
    assert.equal(f.severity, 'information');
    assert.equal(f.range.start.line, 3);
  });

  it('resolves a type alias declared in another file', () => {
    const { findings } = analyzeSources([
      { path: 'src/handle.rs', text: 'use std::rc::Rc;\nuse std::cell::RefCell;\npub type NodeRef = Rc<RefCell<crate::node::Node>>;\n' },
      { path: 'src/node.rs', text: 'use std::rc::Rc;\nuse crate::handle::NodeRef;\npub struct Node {\n    pub next: Option<NodeRef>,\n}\n' },
    ]);
    assert.deepEqual(findings.map((f) => [f.file, f.range.start.line, f.kind]), [['src/node.rs', 3, 'possible-leak']]);
  });
});
