/**
 * A parsed Rust file plus the lookups every rule needs: node ranges in LSP coordinates, `use`
 * resolution, and the file's statics.
 */
import { Range } from '../../../shared/src/findings';
import { SyntaxNode, Tree } from '../parsing/parser';
import type { MacroView } from './macros';
import { precedingAttributes } from './context';
import { UseMap, collectUses } from './paths';
import { StaticScopes } from './statics';
import { Toolchain } from './toolchain';

export class SourceFile {
  readonly root: SyntaxNode;
  readonly uses: UseMap;
  /** Names of `static` items (and `lazy_static!` refs) declared in this file. */
  readonly staticNames = new Set<string>();
  /** Names of `static mut` items declared anywhere in this file (which one a use means: `statics`). */
  readonly staticMuts = new Map<string, SyntaxNode>();
  /** Which static a name refers to, module by module. */
  readonly statics: StaticScopes;
  /** `#[thread_local] static`s: they live as long as their thread, not the program. */
  readonly threadLocalStatics = new Set<string>();
  /** What the crate compiles with (edition, Rust version), from the file's facts. */
  readonly toolchain: Toolchain;
  /** Functions declared in `extern "C" { … }` blocks: calling them hands memory to foreign code. */
  readonly externFns = new Set<string>();

  /**
   * `declarations` are the file's `use`, `static` and `extern` block nodes when the caller already
   * has them (the sites query captures them in its one pass); otherwise they are found by a walk.
   */
  /** The file's macro code read as Rust, where it has any worth reading (`macros.ts`). */
  macros?: MacroView;

  /**
   * `like`: a synthetic view of another file (its macro code), which sees that file's `use`s,
   * statics and `extern` functions rather than its own.
   */
  constructor(
    readonly path: string,
    readonly text: string,
    readonly tree: Tree,
    declarations?: SyntaxNode[],
    like?: SourceFile,
    toolchain?: Toolchain,
  ) {
    this.root = tree.rootNode;
    this.statics = new StaticScopes(this.root);
    this.toolchain = toolchain ?? like?.toolchain ?? {};
    if (like) {
      this.uses = like.uses;
      this.staticNames = like.staticNames;
      this.staticMuts = like.staticMuts;
      this.externFns = like.externFns;
      this.threadLocalStatics = like.threadLocalStatics;
      return;
    }
    const decls = declarations ?? this.root.descendantsOfType(['use_declaration', 'static_item', 'foreign_mod_item']);
    this.uses = collectUses(decls.filter((d) => d.type === 'use_declaration'));
    for (const item of decls) {
      if (item.type === 'foreign_mod_item') {
        // `extern "rust-intrinsic"` declares the compiler's own functions (`copy_nonoverlapping`), not foreign code.
        if (/intrinsic/.test(item.child(0)?.text ?? '')) continue;
        for (const sig of item.descendantsOfType('function_signature_item')) {
          const name = sig.childForFieldName('name');
          if (name) this.externFns.add(name.text);
        }
        continue;
      }
      if (item.type !== 'static_item') continue;
      const name = item.childForFieldName('name');
      if (!name) continue;
      this.staticNames.add(name.text);
      if (precedingAttributes(item).some((a) => /^#\[\s*thread_local\s*\]$/.test(a))) this.threadLocalStatics.add(name.text);
      if (hasChild(item, 'mutable_specifier')) this.staticMuts.set(name.text, name);
    }
  }

  private tuples?: Set<string>;

  /** Tuple structs this file declares (`struct Handle(*mut Inner);`), read from its text. */
  get tupleStructs(): Set<string> {
    this.tuples ??= new Set([...this.text.matchAll(/\bstruct\s+([A-Za-z_]\w*)\s*(?:<[^>{;]*>)?\s*\(/g)].map((m) => m[1]));
    return this.tuples;
  }

  range(node: SyntaxNode): Range {
    return rangeOf(node);
  }

  /** True for names that denote a global: a declared static or a SCREAMING_CASE path end. */
  isStaticName(name: string): boolean {
    return this.staticNames.has(name) || /^[A-Z][A-Z0-9_]*$/.test(name);
  }
}

export function rangeOf(node: SyntaxNode): Range {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

export function hasChild(node: SyntaxNode, type: string): boolean {
  for (let i = 0; i < node.childCount; i++) if (node.child(i)!.type === type) return true;
  return false;
}

/** The nearest ancestor (or the node itself) of one of the given types, stopping at `stop` types. */
export function ancestor(node: SyntaxNode, types: string[], stop: string[] = []): SyntaxNode | undefined {
  for (let n: SyntaxNode | null = node; n; n = n.parent) {
    if (types.includes(n.type)) return n;
    if (n !== node && stop.includes(n.type)) return undefined;
  }
  return undefined;
}

/** A block's last statement or value, skipping comments (which tree-sitter keeps as named nodes). */
export function lastCodeChild(block: SyntaxNode): SyntaxNode | undefined {
  for (let i = block.namedChildCount - 1; i >= 0; i--) {
    const c = block.namedChild(i)!;
    if (c.type !== 'line_comment' && c.type !== 'block_comment') return c;
  }
  return undefined;
}
