/**
 * rc-cycle: strong `Rc`/`Arc` edges that close a cycle between struct types — a child holding a
 * strong pointer back to its parent, or two types pointing at each other. Downward links alone
 * (`children: Vec<Rc<Node>>`, `next: Option<Rc<Node>>`) are trees and lists, not cycles.
 */
import { SyntaxNode } from '../../parsing/parser';
import { Site } from '../site';
import { SourceFile } from '../source';

interface Edge {
  from: string;
  to: string;
  field: SyntaxNode;
  fieldName: string;
  pointer: string;
}

const BACK_EDGE_NAME = /^(parent|prev|previous|back|owner|up|predecessor|container|outer|root)s?$/i;

/** Strong pointees of a field type: `Option<Rc<RefCell<Node>>>` → [Node] via Rc. */
function strongTargets(type: SyntaxNode): { target: string; pointer: string }[] {
  const out: { target: string; pointer: string }[] = [];
  for (const g of [type, ...type.descendantsOfType('generic_type')]) {
    if (g.type !== 'generic_type') continue;
    const head = g.childForFieldName('type')?.text.split('::').pop();
    if (head !== 'Rc' && head !== 'Arc') continue;
    const args = g.childForFieldName('type_arguments');
    if (!args) continue;
    for (const id of args.descendantsOfType('type_identifier')) {
      // Stop at a nested `Weak<…>`: it does not keep its target alive.
      let weak = false;
      for (let n = id.parent; n && n.id !== args.id; n = n.parent) {
        if (n.type === 'generic_type' && n.childForFieldName('type')?.text.split('::').pop() === 'Weak') weak = true;
      }
      if (!weak) out.push({ target: id.text, pointer: head });
    }
  }
  return out;
}

export function rcCycles(file: SourceFile, structs: SyntaxNode[], out: Site[]): void {
  const edges: Edge[] = [];
  const names = new Set<string>();
  for (const s of structs) {
    const name = s.childForFieldName('name')?.text;
    const body = s.childForFieldName('body');
    if (!name || !body) continue;
    names.add(name);
    for (const field of body.namedChildren) {
      if (field.type !== 'field_declaration') continue;
      const type = field.childForFieldName('type');
      const fieldName = field.childForFieldName('name')?.text ?? '';
      if (!type) continue;
      for (const t of strongTargets(type)) edges.push({ from: name, to: t.target, field, fieldName, pointer: t.pointer });
    }
  }
  const reported = new Set<number>();
  for (const e of edges) {
    if (!names.has(e.to) || reported.has(e.field.id)) continue;
    if (e.from === e.to) {
      if (!BACK_EDGE_NAME.test(e.fieldName)) continue;
      reported.add(e.field.id);
      out.push(site(file, e, [`\`${e.from}.${e.fieldName}\` is a strong \`${e.pointer}\` back to another \`${e.to}\``,
        `a \`${e.to}\` that points at its ${e.fieldName} while that one holds it (e.g. in a children list) forms a cycle`,
        'neither count reaches zero, so the whole structure is never freed']));
      continue;
    }
    // Mutual edges: report the one declared later (the back edge), pointing at the first.
    const forward = edges.find((o) => o.from === e.to && o.to === e.from);
    if (!forward || forward.field.startIndex > e.field.startIndex) continue;
    reported.add(e.field.id);
    const s = site(file, e, [`\`${e.from}.${e.fieldName}\` holds a strong \`${e.pointer}<${e.to}>\` and \`${forward.from}.${forward.fieldName}\` holds a strong \`${forward.pointer}<${forward.to}>\``,
      'two values pointing at each other keep each other alive forever']);
    s.related.push({ file: file.path, range: file.range(forward.field), message: 'the other half of the cycle' });
    out.push(s);
  }
}

function site(file: SourceFile, e: Edge, reasons: string[]): Site {
  return {
    rule: 'rc-cycle',
    range: file.range(e.field),
    message: `strong \`${e.pointer}\` edge \`${e.from}.${e.fieldName}\` can form a reference cycle; make it \`Weak\``,
    decision: { type: 'final', kind: 'real-leak' },
    reasons,
    related: [],
  };
}
