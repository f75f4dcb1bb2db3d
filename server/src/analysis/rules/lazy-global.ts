/**
 * lazy-global: `OnceCell`/`OnceLock`/`Lazy`/`LazyLock` statics, `lazy_static!` and `thread_local!`.
 */
import { Range } from '../../../../shared/src/findings';
import { SyntaxNode } from '../../parsing/parser';
import { Site } from '../site';
import { SourceFile } from '../source';

export const LAZY_TYPE = /^(?:(?:std|core|once_cell|sync|unsync|cell)::)*(OnceCell|OnceLock|Lazy|LazyLock|LazyCell)\s*</;

export function lazyStatic(file: SourceFile, item: SyntaxNode, out: Site[]): void {
  const name = item.childForFieldName('name');
  const type = item.childForFieldName('type');
  if (!name || !type) return;
  const m = LAZY_TYPE.exec(type.text);
  if (!m) return;
  out.push(globalSite(file, file.range(name), name.text, type.text, m[1]));
}

/** `lazy_static! { static ref NAME: T = …; }` and `thread_local! { static NAME: T = …; }`. */
export function lazyMacro(file: SourceFile, macro: SyntaxNode, out: Site[]): void {
  // `lazy_static::lazy_static!` and `std::thread_local!` are the same macros.
  const which = macro.childForFieldName('macro')?.text.replace(/^[\s\S]*::\s*/, '');
  const body = macro.namedChildren.find((c) => c.type === 'token_tree');
  if (!body) return;
  const tokens = body.children;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].text !== 'static') continue;
    let j = i + 1;
    if (which === 'lazy_static') {
      if (tokens[j]?.text !== 'ref') continue;
      j++;
    }
    const name = tokens[j];
    if (!name || name.type !== 'identifier' || tokens[j + 1]?.text !== ':') continue;
    const typeTokens: string[] = [];
    for (let k = j + 2; k < tokens.length && tokens[k].text !== '=' && tokens[k].text !== ';'; k++) typeTokens.push(tokens[k].text);
    const type = typeTokens.join('').replace(/,/g, ', ');
    out.push(globalSite(file, file.range(name), name.text, type, which === 'lazy_static' ? 'lazy_static!' : 'thread_local!'));
  }
}

function globalSite(file: SourceFile, range: Range, name: string, type: string, flavour: string): Site {
  const singleton = /\b(Mutex|RwLock)\s*</.test(type);
  const perThread = flavour === 'thread_local!';
  const what = perThread
    ? `thread-local \`${name}\` lives as long as each thread that touches it`
    : `lazily initialised global \`${name}\` lives for the whole program`;
  const reasons = [
    perThread
      ? `\`thread_local!\` gives every thread its own \`${name}\`, initialised on first access and kept until the thread exits`
      : `\`${flavour}\` initialises \`${name}\` once and keeps it for the life of the program`,
  ];
  if (singleton) reasons.push(`\`${type.replace(/\s+/g, ' ')}\` is a global singleton: every access takes the lock`);
  if (flavour === 'lazy_static!' || /^once_cell|^Lazy$|^OnceCell$/.test(flavour)) {
    reasons.push('since Rust 1.70/1.80 `std::sync::OnceLock`/`LazyLock` do this without an external crate');
  }
  return {
    rule: 'lazy-global',
    range,
    message: what,
    decision: { type: 'final', kind: 'intentional-static' },
    reasons,
    related: [],
  };
}
