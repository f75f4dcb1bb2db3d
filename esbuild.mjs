// Bundles the CLI, the language server and the VS Code client for Node, and the client and the
// language server again for the browser (dist/web/: the extension's `browser` entry and the server's
// Web Worker).
//
// Node: the native tree-sitter modules stay external: they load their N-API prebuilds from
// node_modules at run time (and ship beside the bundle in the VSIX).
//
// Web: the same sources, with the few modules that are Node-specific by nature swapped for their
// web counterparts (WEB_MODULES, WEB_PACKAGES). Any other Node built-in module still reachable
// from a web entry fails the build (checkNoNodeApis): Node built-ins resolve to empty modules
// without side effects, so an import whose users are all tree-shaken away (a file-reading function
// of a module the worker imports for its parser) leaves nothing, and one that is really used is
// named with the module that uses it.
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const node = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['tree-sitter', 'tree-sitter-rust', 'web-tree-sitter', 'vscode'],
};

/** Source modules (without extension, from the repository root) → what the web bundles use instead. */
const WEB_MODULES = {
  'server/src/lsp/host': 'server/src/lsp/host-web.ts',
  'server/src/parsing/wasm': 'server/src/parsing/wasm-web.ts',
  'server/src/parsing/tree-memory': 'server/src/parsing/tree-memory-web.ts',
  'client/src/server-start': 'client/src/server-start-web.ts',
};
/** Packages → their browser builds. */
const WEB_PACKAGES = {
  'vscode-languageserver/node': 'vscode-languageserver/browser',
  'vscode-languageclient/node': 'vscode-languageclient/browser',
  'node:path': 'path-browserify',
  path: 'path-browserify',
};
/**
 * Node built-ins that may stay in a web bundle, by the module importing them, and why.
 * web-tree-sitter is Emscripten output: it requires `fs` and `path` only inside its
 * `ENVIRONMENT_IS_NODE` branch (its README asks bundlers to resolve them to nothing).
 */
const NODE_ONLY_BRANCHES = { 'node_modules/web-tree-sitter/tree-sitter.js': ['fs', 'path'] };
const NATIVE = ['tree-sitter', 'tree-sitter-rust'];
const builtins = new Set(builtinModules);

const webSwaps = {
  name: 'leak-lens-web',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const target = path.relative(root, path.resolve(args.resolveDir, args.path)).split(path.sep).join('/');
      const swap = WEB_MODULES[target.replace(/\.ts$/, '')];
      return swap ? { path: path.join(root, swap) } : undefined;
    });
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.path in WEB_PACKAGES) return build.resolve(WEB_PACKAGES[args.path], { resolveDir: root, kind: args.kind });
      const name = args.path.replace(/^node:/, '');
      // One module per importer, so that what survives tree-shaking names who uses it.
      if (args.path.startsWith('node:') || builtins.has(name)) {
        const importer = path.relative(root, args.importer).split(path.sep).join('/');
        return { path: `${name} from ${importer}`, namespace: 'node-builtin', sideEffects: false };
      }
      // The native binding is never chosen in a worker (LEAK_LENS_PARSER is "wasm" there); if it were, this says why it fails.
      if (NATIVE.includes(args.path)) return { path: args.path, namespace: 'native-absent' };
      return undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    build.onLoad({ filter: /.*/, namespace: 'native-absent' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`the native ${args.path} module does not exist in a web worker`)});`,
      loader: 'js',
    }));
  },
};

const web = {
  ...common,
  platform: 'browser',
  target: 'es2022',
  plugins: [webSwaps],
  metafile: true,
  define: { 'process.env.LEAK_LENS_PARSER': '"wasm"' },
};

const entries = [
  { ...node, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' },
  { ...node, entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/server.js' },
  { ...node, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js' },
  // VS Code loads a web extension's `browser` entry as a CommonJS module.
  { ...web, entryPoints: ['client/src/extension.ts'], outfile: 'dist/web/extension.js', format: 'cjs', external: ['vscode'] },
  { ...web, entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/web/server.js', format: 'iife' },
];

/** Fails when a Node built-in module is reachable from a web bundle (see the top of this file). */
function checkNoNodeApis(result, outfile) {
  const output = Object.entries(result.metafile.outputs).find(([file]) => file === outfile)?.[1];
  if (!output) throw new Error(`esbuild wrote no ${outfile}`);
  const problems = [];
  for (const input of Object.keys(output.inputs)) {
    const used = /^node-builtin:(.*) from (.*)$/.exec(input);
    if (used && !NODE_ONLY_BRANCHES[used[2]]?.includes(used[1])) problems.push(`node:${used[1]}, used by ${used[2]}`);
  }
  if (problems.length > 0) {
    throw new Error(`${outfile} must not use Node APIs (it runs in a browser), but it does:\n  ${problems.join('\n  ')}`);
  }
}

if (watch) {
  for (const e of entries) (await esbuild.context(e)).watch();
} else {
  await Promise.all(
    entries.map(async (e) => {
      const result = await esbuild.build(e);
      if (e.platform === 'browser') checkNoNodeApis(result, e.outfile);
    }),
  );
}
