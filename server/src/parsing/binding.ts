/**
 * Chooses the tree-sitter binding: the native one (N-API prebuilds, fastest, loads in VS Code's own
 * Node) by default, web-tree-sitter with the grammar's wasm when the native module cannot load on
 * this platform, or when `LEAK_LENS_PARSER=wasm` asks for it (so the fixture suite runs under both).
 *
 * Both bindings hand out trees and nodes of the same shape (fields, positions in UTF-16 code units,
 * `descendantsOfType`, query matches), so the engine is typed against the native one and runs on
 * either.
 */
import { parsedNative } from './tree-memory';
import { loadWasmRust } from './wasm';

export type BindingName = 'native' | 'wasm';

/** A compiled query; `matches` returns `{ captures: { name, node }[] }[]` in both bindings. */
export interface QueryLike {
  matches(node: unknown): { captures: { name: string; node: unknown }[] }[];
}

export interface RustBinding {
  name: BindingName;
  /** Why this binding was chosen, for the log. */
  reason: string;
  parse(text: string, oldTree?: unknown): unknown;
  query(source: string): QueryLike;
}

let active: RustBinding | undefined;

function nativeBinding(): RustBinding {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Parser = require('tree-sitter');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const language = require('tree-sitter-rust');
  const parser = new Parser();
  parser.setLanguage(language);
  disableNodeCache(Parser.Tree);
  return {
    name: 'native',
    reason: `native tree-sitter (${process.platform}-${process.arch})`,
    // The binding's default buffer rejects very large inputs; size it to the text.
    parse: (text, oldTree) => {
      const tree = parser.parse(text, oldTree, { bufferSize: text.length * 2 + 1024 });
      parsedNative(text.length);
      return tree;
    },
    query: (source) => new Parser.Query(language, source),
  };
}

/**
 * The native binding registers every JS node it hands out in a per-tree cache with a GC finalizer,
 * only so that asking for the same node twice returns the same object and `tree.edit` can shift
 * nodes already handed out. The engine relies on neither (it runs unchanged on web-tree-sitter,
 * whose nodes are fresh snapshots), while the cache costs a native call per node and a finalizer
 * per node that runs only when the event loop turns: over the 52 MB benchmark corpus, turning it
 * off takes about 10% off a `check` run and 80 MB off its peak memory (`npm run bench`). Skipped
 * when a future binding no longer has these (private) methods: the cache is then its own business.
 */
function disableNodeCache(tree: { prototype: Record<string, unknown> }): void {
  if (typeof tree.prototype._cacheNode !== 'function' || typeof tree.prototype._cacheNodes !== 'function') return;
  tree.prototype._cacheNode = () => undefined;
  tree.prototype._cacheNodes = () => undefined;
}

/**
 * Selects the binding once. Asynchronous because the wasm fallback compiles on load; entry points
 * (server, CLI) await it before parsing. Code that parses without awaiting gets the native binding.
 */
export async function selectBinding(log: (message: string) => void = () => undefined): Promise<RustBinding> {
  if (active) return active;
  const forced = process.env.LEAK_LENS_PARSER === 'wasm';
  if (!forced) {
    try {
      active = nativeBinding();
    } catch (e) {
      log(`native tree-sitter failed to load on ${process.platform}-${process.arch}: ${(e as Error).message}; falling back to web-tree-sitter`);
    }
  }
  if (!active) {
    const { parser, language } = await loadWasmRust();
    active = {
      name: 'wasm',
      reason: forced ? 'web-tree-sitter (LEAK_LENS_PARSER=wasm)' : 'web-tree-sitter (fallback)',
      parse: (text, oldTree) => parser.parse(text, oldTree),
      query: (source) => (language as { query(s: string): QueryLike }).query(source),
    };
  }
  log(`parsing with ${active.reason}`);
  return active;
}

/** The selected binding, or the native one when nothing was selected (synchronous callers). */
export function binding(): RustBinding {
  active ??= nativeBinding();
  return active;
}
