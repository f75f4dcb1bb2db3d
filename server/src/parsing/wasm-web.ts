/**
 * wasm.ts for a web worker: web-tree-sitter with the runtime and grammar the client sends (the
 * extension's own files, read by the client), since there is no package folder to resolve them in
 * and the worker may not be able to fetch the extension's URIs. esbuild.mjs puts this module in
 * wasm.ts's place in the worker bundle.
 */
import type { WasmRust } from './wasm';

interface WebParserModule {
  new (): { setLanguage(language: unknown): void; parse(input: string, oldTree?: unknown): unknown };
  init(options?: { wasmBinary?: Uint8Array }): Promise<void>;
  Language: { load(input: string | Uint8Array): Promise<unknown> };
}

let binaries: { runtime: Uint8Array; grammar: Uint8Array } | undefined;
let loading: Promise<WasmRust> | undefined;

export function setWasmBinaries(wasm: { runtime: Uint8Array; grammar: Uint8Array }): void {
  binaries = wasm;
}

export function loadWasmRust(): Promise<WasmRust> {
  loading ??= (async () => {
    if (!binaries) throw new Error('the client did not send tree-sitter.wasm and tree-sitter-rust.wasm (initializationOptions.parserWasm)');
    const { runtime, grammar } = binaries;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Parser = require('web-tree-sitter') as WebParserModule;
    await Parser.init({ wasmBinary: runtime });
    const language = await Parser.Language.load(grammar);
    const parser = new Parser();
    parser.setLanguage(language);
    return { parser, language };
  })();
  return loading;
}
