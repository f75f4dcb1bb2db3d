// Builds the VSIX: production bundles, the native parser staged beside them, `vsce package
// --no-dependencies`, then a check of what went in.
//
// vsce runs in a staging folder (out/vsix/) holding only what the VSIX ships: package.json's `files`
// list is the npm package's (the CLI), and vsce refuses a manifest with both `files` and a
// .vscodeignore, so the staged manifest drops `files` and the .vscodeignore applies.
//
// esbuild inlines every JS dependency into dist/extension.js and dist/server.js except tree-sitter,
// whose N-API prebuilds must stay files. They are copied to dist/node_modules (of the stage), where
// `require('tree-sitter')` from dist/server.js finds them first, with the prebuilds of every
// platform so one VSIX runs everywhere, and without C sources, build files or tests.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const stage = path.join(root, 'out', 'vsix');
const staged = path.join(stage, 'dist', 'node_modules');
/** What the VSIX ships besides the staged node_modules (the .vscodeignore lists the same). */
const SHIPPED = ['README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'dist/extension.js', 'dist/server.js', 'dist/web/extension.js', 'dist/web/server.js'];
const PLATFORMS = ['darwin-arm64', 'darwin-x64', 'linux-arm64', 'linux-x64', 'win32-arm64', 'win32-x64'];

/** Per module, the files the bundles load at run time (relative to the module's folder). */
const RUNTIME = {
  'tree-sitter': ['package.json', 'index.js', 'LICENSE', 'prebuilds'],
  'tree-sitter-rust': ['package.json', 'LICENSE', 'bindings/node/index.js', 'prebuilds', 'tree-sitter-rust.wasm'],
  'node-gyp-build': ['package.json', 'LICENSE', 'index.js', 'node-gyp-build.js'],
  'web-tree-sitter': ['package.json', 'LICENSE', 'tree-sitter.js', 'tree-sitter.wasm'],
};

function run(cmd, args, cwd = root) {
  execFileSync(cmd, args, { cwd, stdio: 'inherit', shell: process.platform === 'win32' });
}

run('npm', ['run', 'build:production']);

fs.rmSync(stage, { recursive: true, force: true });
for (const [name, entries] of Object.entries(RUNTIME)) {
  const from = path.join(root, 'node_modules', name);
  if (!fs.existsSync(from)) throw new Error(`${name} is not installed; run npm install`);
  for (const entry of entries) {
    const source = path.join(from, entry);
    if (!fs.existsSync(source)) {
      if (entry === 'LICENSE') continue;
      throw new Error(`${name}/${entry} is missing`);
    }
    fs.cpSync(source, path.join(staged, name, entry), { recursive: true });
  }
}

const { files: _npmFiles, ...manifest } = pkg;
fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
for (const entry of SHIPPED) {
  if (fs.existsSync(path.join(root, entry))) fs.cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
}

const out = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const vsceArgs = ['vsce', 'package', '--no-dependencies', '--out', out];
if (!fs.existsSync(path.join(root, 'LICENSE'))) {
  console.warn('warning: no LICENSE file at the repository root; packaging without one');
  vsceArgs.push('--skip-license');
}
// The stage has no node_modules: run the repository's own vsce.
const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
run(vsce, vsceArgs.slice(1), stage);

// What went in: the bundles, every platform's prebuilds, nothing from sources or tests.
const listing = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: stage, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);
const problems = [];
// The Node entries, the web entries, and the two wasm files the web worker parses with.
const REQUIRED = [
  'package.json',
  'dist/extension.js',
  'dist/server.js',
  'dist/web/extension.js',
  'dist/web/server.js',
  'dist/node_modules/web-tree-sitter/tree-sitter.wasm',
  'dist/node_modules/tree-sitter-rust/tree-sitter-rust.wasm',
];
for (const required of REQUIRED) {
  if (!listing.includes(required)) problems.push(`missing ${required}`);
}
for (const platform of PLATFORMS) {
  for (const [mod, file] of [['tree-sitter', 'tree-sitter.node'], ['tree-sitter-rust', 'tree-sitter-rust.node']]) {
    const p = `dist/node_modules/${mod}/prebuilds/${platform}/${file}`;
    if (!listing.includes(p)) problems.push(`missing ${p}`);
  }
}
for (const file of listing) {
  if (/\.(ts|map|c|cc|h|gyp)$/.test(file) && !file.endsWith('.d.ts')) problems.push(`should not ship ${file}`);
  if (/(^|\/)(test|src|out)\//.test(file) || file.startsWith('node_modules/')) problems.push(`should not ship ${file}`);
}
if (problems.length > 0) {
  console.error(`VSIX content check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
const size = (fs.statSync(out).size / 1024 / 1024).toFixed(1);
console.log(`${path.relative(root, out)}: ${listing.length} files, ${size} MB`);
