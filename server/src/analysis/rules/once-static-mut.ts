/**
 * once-static-mut: `Once::call_once(|| { STATIC_MUT = … })`, the pattern `OnceLock` replaces.
 */
import { SyntaxNode } from '../../parsing/parser';
import { calleeLabel } from '../context';
import { rootIdentifier } from '../flow';
import { Site } from '../site';
import { SourceFile } from '../source';
import { isMutableStatic } from '../statics';

export function onceStaticMut(file: SourceFile, call: SyntaxNode, out: Site[]): void {
  if (file.staticMuts.size === 0) return;
  const closure = call.childForFieldName('arguments')?.namedChildren.find((c) => c.type === 'closure_expression');
  if (!closure) return;
  for (const assign of closure.descendantsOfType('assignment_expression')) {
    const left = assign.childForFieldName('left');
    const root = left && rootIdentifier(left);
    const item = root && file.staticMuts.has(root.text) ? file.statics.resolve(root) : undefined;
    const decl = item && isMutableStatic(item) ? item.childForFieldName('name') : undefined;
    if (!root || !decl) continue;
    out.push({
      rule: 'once-static-mut',
      range: file.range(call),
      message: `\`${calleeLabel(call)}\` initialises \`static mut ${root.text}\`; \`OnceLock\` does this safely`,
      decision: { type: 'final', kind: 'intentional-static' },
      reasons: [
        `the closure runs once and writes \`static mut ${root.text}\` at line ${assign.startPosition.row + 1}`,
        'the value is kept for the life of the program, but every read still needs `unsafe` and a reference to a `static mut`',
      ],
      related: [
        { file: file.path, range: file.range(decl), message: `\`static mut ${root.text}\` declared here` },
        { file: file.path, range: file.range(assign), message: 'initialised here' },
      ],
    });
    return;
  }
}
