/**
 * The web-tree-sitter fallback: the same Rust grammar compiled to WebAssembly (shipped inside the
 * tree-sitter-rust package as `tree-sitter-rust.wasm`), for platforms where no N-API prebuild of
 * the native binding loads. web-tree-sitter 0.24 matches the ABI of tree-sitter-rust 0.24's wasm.
 *
 * Initialisation is asynchronous (the wasm runtime and grammar are compiled on load); parsing is
 * synchronous afterwards, like the native binding.
 */
import * as path from 'node:path';

/** The subset of web-tree-sitter's API the loader uses; its trees match the native binding's shape. */
interface WebParser {
  setLanguage(language: unknown): void;
  parse(input: string, oldTree?: unknown): unknown;
}
interface WebParserModule {
  new (): WebParser;
  init(options?: object): Promise<void>;
  Language: { load(path: string): Promise<unknown> };
}

export interface WasmRust {
  parser: WebParser;
  language: unknown;
}

let loading: Promise<WasmRust> | undefined;

/** The grammar's wasm file, resolved next to the tree-sitter-rust package (also in the VSIX). */
export function grammarWasmPath(): string {
  return path.join(path.dirname(require.resolve('tree-sitter-rust/package.json')), 'tree-sitter-rust.wasm');
}

export function loadWasmRust(): Promise<WasmRust> {
  loading ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Parser = require('web-tree-sitter') as WebParserModule;
    await Parser.init();
    const language = await Parser.Language.load(grammarWasmPath());
    const parser = new Parser();
    parser.setLanguage(language);
    return { parser, language };
  })();
  return loading;
}
