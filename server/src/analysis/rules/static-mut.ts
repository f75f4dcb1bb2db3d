/**
 * static-mut: every `static mut` item, and every reference taken to one (`&X`, `&mut X`, a method
 * call that borrows `X`) — what rustc's `static_mut_refs` lint flags and edition 2024 denies.
 */
import { SyntaxNode } from '../../parsing/parser';
import { Site } from '../site';
import { SourceFile } from '../source';
import { isMutableStatic } from '../statics';
import { Toolchain, supports } from '../toolchain';

export function staticMutItem(file: SourceFile, item: SyntaxNode, out: Site[]): void {
  const name = item.childForFieldName('name');
  if (!name || !isMutableStatic(item)) return;
  const type = item.childForFieldName('type')?.text ?? '?';
  out.push({
    rule: 'static-mut',
    range: file.range(name),
    message: `\`static mut ${name.text}: ${type}\` is a mutable global; references to it are undefined-behaviour-prone`,
    decision: { type: 'final', kind: 'intentional-static' },
    reasons: [
      `\`${name.text}\` lives for the whole program`,
      'every access is `unsafe`, and any reference to it is undefined behaviour once another reference is live',
      editionRule(file.toolchain),
    ],
    related: [],
  });
}

/**
 * The identifiers in `spans` (offsets; the whole file without) written as one of the file's
 * `static mut` items: each may be a reference to it (`staticMutReference`). Found by their text,
 * like the sites query's words, so that a reading that keeps most chunks' facts (`chunks.ts`) looks
 * only at the text it reads again: a walk of every identifier made every reference's site anew on
 * each keystroke, and so every finding of a file that names its `static mut` a thousand times.
 */
export function staticMutNames(file: SourceFile, spans: readonly [number, number][] = [[0, Infinity]]): SyntaxNode[] {
  if (file.staticMuts.size === 0) return [];
  const names = [...file.staticMuts.keys()].map((n) => n.replace(/[^A-Za-z0-9_]/g, '\\$&'));
  const word = new RegExp(`(?<![A-Za-z0-9_#])(?:${names.join('|')})(?![A-Za-z0-9_])`, 'g');
  const { text, root } = file;
  const out: SyntaxNode[] = [];
  for (const [from, to] of spans) {
    word.lastIndex = from;
    for (let m = word.exec(text); m && m.index < to; m = word.exec(text)) {
      const end = m.index + m[0].length;
      const leaf = root.descendantForIndex(m.index, end);
      // Not a word of a comment, a string or a longer token.
      if (leaf.type === 'identifier' && leaf.startIndex === m.index && leaf.endIndex === end) out.push(leaf);
    }
  }
  return out;
}

/** The site of `id`, an identifier named as a `static mut` of the file, if it takes a reference to that item. */
export function staticMutReference(file: SourceFile, id: SyntaxNode, out: Site[]): void {
  const item = file.statics.resolve(id);
  if (!item || !file.statics.isMutable(item)) return;
  const decl = item.childForFieldName('name');
  if (!decl || decl.id === id.id) return;
  const ref = referenceTo(id);
  if (!ref) return;
  out.push({
    rule: 'static-mut',
    range: file.range(ref.node),
    message: `${ref.what} to mutable static \`${id.text}\``,
    decision: { type: 'final', kind: 'intentional-static' },
    reasons: [
      `${ref.what} to \`static mut ${id.text}\` is undefined behaviour if any other reference to it is live`,
      `${referenceRule(file.toolchain)}; use ${rawPointerSyntax(file.toolchain)} or a safe global instead`,
    ],
    related: [{ file: file.path, range: file.range(decl), message: `\`static mut ${id.text}\` declared here` }],
  });
}

function referenceTo(id: SyntaxNode): { node: SyntaxNode; what: string } | undefined {
  if (id.parent?.type === 'token_tree') return referenceInTokens(id);
  // Climb through field accesses: `&X.field` borrows part of X.
  let place = id;
  while (place.parent?.type === 'field_expression' && place.parent.childForFieldName('value')?.id === place.id) {
    const call = place.parent.parent;
    if (call?.type === 'call_expression' && call.childForFieldName('function')?.id === place.parent.id) {
      const method = place.parent.childForFieldName('field')?.text;
      return { node: call, what: `the method call \`.${method}()\` takes a reference` };
    }
    place = place.parent;
  }
  const parent = place.parent;
  if (parent?.type === 'reference_expression' && parent.childForFieldName('value')?.id === place.id) {
    // `&raw const X` / `&raw mut X` create raw pointers without a reference: the recommended form.
    if (parent.children.some((c) => c.type === 'raw' || c.text === 'raw')) return undefined;
    const mutable = parent.children.some((c) => c.type === 'mutable_specifier');
    return { node: parent, what: mutable ? 'a mutable reference' : 'a shared reference' };
  }
  // `for x in X.iter()` is covered by the method call; `for x in &X` by the reference.
  return undefined;
}

/**
 * Inside a macro call (`println!("{}", X.as_ref().unwrap())`) there is no expression tree, only
 * tokens; the same two shapes are recognised on the token sequence.
 */
function referenceInTokens(id: SyntaxNode): { node: SyntaxNode; what: string } | undefined {
  const next = id.nextSibling;
  const method = next?.nextSibling;
  const args = method?.nextSibling;
  if (next?.type === '.' && method?.type === 'identifier' && args?.type === 'token_tree' && args.text.startsWith('(')) {
    return { node: id, what: `the method call \`.${method.text}()\` takes a reference` };
  }
  let prev = id.previousSibling;
  const mutable = prev?.type === 'mutable_specifier';
  if (mutable) prev = prev!.previousSibling;
  if (prev?.type === '&' && !(id.previousSibling?.type === 'const' || id.previousSibling?.previousSibling?.text === 'raw')) {
    return { node: id, what: mutable ? 'a mutable reference' : 'a shared reference' };
  }
  return undefined;
}

/** What `static_mut_refs` does in this crate: denied in edition 2024, a warning before it. */
function editionRule(toolchain: Toolchain): string {
  if (toolchain.edition === '2024') return 'this crate is edition 2024, which denies references to `static mut` (`static_mut_refs`)';
  if (toolchain.edition) return `this crate is edition ${toolchain.edition}: rustc warns about references to \`static mut\` (\`static_mut_refs\`), and edition 2024 denies them`;
  return 'edition 2024 denies references to `static mut` (`static_mut_refs`)';
}

function referenceRule(toolchain: Toolchain): string {
  if (toolchain.edition === '2024') return 'this crate is edition 2024, which denies it (`static_mut_refs`)';
  if (toolchain.edition) return `rustc warns (\`static_mut_refs\`) in this crate's edition ${toolchain.edition}, and edition 2024 denies it`;
  return 'rustc warns (`static_mut_refs`) and edition 2024 denies this';
}

/** `&raw const X` is Rust 1.82; before it, `addr_of!` does the same. */
function rawPointerSyntax(toolchain: Toolchain): string {
  return supports(toolchain, '1.82') === false ? '`std::ptr::addr_of!`/`addr_of_mut!`' : '`&raw const`/`&raw mut`';
}
