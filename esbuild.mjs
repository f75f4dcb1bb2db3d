// Bundles the CLI, the language server and the VS Code client. The native tree-sitter modules stay
// external: they load their N-API prebuilds from node_modules at run time (and ship beside the bundle
// in the VSIX).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external: ['tree-sitter', 'tree-sitter-rust', 'web-tree-sitter', 'vscode'],
  logLevel: 'warning',
};

const entries = [
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['server/src/lsp/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js' },
];

import { existsSync } from 'node:fs';
const present = entries.filter((e) => existsSync(e.entryPoints[0]));

if (watch) {
  for (const e of present) (await esbuild.context({ ...common, ...e })).watch();
} else {
  await Promise.all(present.map((e) => esbuild.build({ ...common, ...e })));
}
