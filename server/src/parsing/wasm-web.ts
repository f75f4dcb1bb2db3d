/**
 * wasm.ts for a web worker: web-tree-sitter with the runtime and grammar fetched from the URLs the
 * client gives (the extension's own files), since there is no package folder to resolve them in.
 * esbuild.mjs puts this module in wasm.ts's place in the worker bundle.
 */
import type { WasmRust } from './wasm';

interface WebParserModule {
  new (): { setLanguage(language: unknown): void; parse(input: string, oldTree?: unknown): unknown };
  init(options?: { locateFile?: (name: string) => string }): Promise<void>;
  Language: { load(input: string | Uint8Array): Promise<unknown> };
}

let locations: { runtime: string; grammar: string } | undefined;
let loading: Promise<WasmRust> | undefined;

export function setWasmLocations(wasm: { runtime: string; grammar: string }): void {
  locations = wasm;
}

export function loadWasmRust(): Promise<WasmRust> {
  loading ??= (async () => {
    if (!locations) throw new Error('the client did not say where tree-sitter.wasm and tree-sitter-rust.wasm are (initializationOptions.parserWasm)');
    const { runtime, grammar } = locations;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Parser = require('web-tree-sitter') as WebParserModule;
    await Parser.init({ locateFile: () => runtime });
    const language = await Parser.Language.load(grammar);
    const parser = new Parser();
    parser.setLanguage(language);
    return { parser, language };
  })();
  return loading;
}
