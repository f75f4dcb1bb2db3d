/**
 * Chooses the tree-sitter binding: the native one (N-API prebuilds, fastest, loads in VS Code's own
 * Node) by default, web-tree-sitter with the grammar's wasm when the native module cannot load on
 * this platform, or when `LEAK_LENS_PARSER=wasm` asks for it (so the fixture suite can run under both).
 *
 * Proposed wiring for parser.ts (owned by the engine): `await selectBinding()` once at start-up
 * (the server and the CLI both have an async entry point), then have `parseRust` call
 * `activeBinding().parse(text, oldTree)`.
 */
import { loadWasmRust } from './wasm';

export type BindingName = 'native' | 'wasm';

export interface RustBinding {
  name: BindingName;
  /** Why this binding was chosen, for the log. */
  reason: string;
  parse(text: string, oldTree?: unknown): unknown;
}

let active: RustBinding | undefined;

export async function selectBinding(log: (message: string) => void = () => undefined): Promise<RustBinding> {
  if (active) return active;
  const forced = process.env.LEAK_LENS_PARSER;
  if (forced !== 'wasm') {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Parser = require('tree-sitter');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const language = require('tree-sitter-rust');
      const parser = new Parser();
      parser.setLanguage(language);
      active = {
        name: 'native',
        reason: `native tree-sitter (${process.platform}-${process.arch})`,
        parse: (text, oldTree) => parser.parse(text, oldTree, { bufferSize: text.length * 2 + 1024 }),
      };
    } catch (e) {
      log(`native tree-sitter failed to load on ${process.platform}-${process.arch}: ${(e as Error).message}; falling back to web-tree-sitter`);
    }
  }
  if (!active) {
    const { parser } = await loadWasmRust();
    active = {
      name: 'wasm',
      reason: forced === 'wasm' ? 'web-tree-sitter (LEAK_LENS_PARSER=wasm)' : 'web-tree-sitter (fallback)',
      parse: (text, oldTree) => parser.parse(text, oldTree),
    };
  }
  log(`parsing with ${active.reason}`);
  return active;
}

export function activeBinding(): RustBinding | undefined {
  return active;
}
