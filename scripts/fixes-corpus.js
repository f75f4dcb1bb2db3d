#!/usr/bin/env node
// Applies every rewrite the engine offers on a Rust source tree and reports how many were offered
// and whether any threw, overlapped or left a syntax error the file did not have. Crate sources
// cannot be type-checked file by file; the fix matrix test does that on the fixtures.
//   npm run build && node scripts/fixes-corpus.js [DIR…]    (LEAK_LENS_NO_TOOLCHAIN=1: ignore Cargo.toml)
const fs = require('node:fs');
const path = require('node:path');
const out = path.join(__dirname, '..', 'out');
const { analyzeText, extractFacts } = require(path.join(out, 'server/src/analysis/engine.js'));
const { computeFixes } = require(path.join(out, 'server/src/fixes/index.js'));
const { parseRust } = require(path.join(out, 'server/src/parsing/parser.js'));
const { applyEdits } = require(path.join(out, 'shared/src/fixes.js'));
const { CrateToolchains } = require(path.join(out, 'server/src/manifest/cargo.js'));

const roots = process.argv.length > 2 ? process.argv.slice(2) : ['/usr/share/cargo/registry', '/usr/lib/rustlib/src/rust/library'];
const toolchains = new CrateToolchains();
const counts = { files: 0, offered: 0, threw: 0, broken: 0 };
const byTitle = new Map();
const broken = [];

function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p);
    else if (p.endsWith('.rs')) check(p);
  }
}

function check(file) {
  const text = fs.readFileSync(file, 'utf8');
  counts.files++;
  const tree = parseRust(text);
  const toolchain = process.env.LEAK_LENS_NO_TOOLCHAIN ? {} : toolchains.forFile(file);
  const facts = extractFacts(file, text, tree, toolchain);
  if (facts.sites.length === 0) return;
  for (const finding of analyzeText(file, text, undefined, tree, toolchain)) {
    for (const fix of computeFixes(text, tree, finding, () => counts.threw++, facts.toolchain)) {
      if (fix.title.startsWith('Allow `')) continue;
      counts.offered++;
      const shape = fix.title.replace(/`[^`]*`/g, '`…`');
      byTitle.set(shape, (byTitle.get(shape) ?? 0) + 1);
      let result;
      try {
        result = applyEdits(text, fix.edits);
      } catch (e) {
        broken.push(`${file}:${finding.range.start.line + 1}: ${fix.title}: ${e.message}`);
        continue;
      }
      if (!tree.rootNode.hasError && parseRust(result).rootNode.hasError) broken.push(`${file}:${finding.range.start.line + 1}: ${fix.title}: syntax error`);
    }
  }
}

for (const root of roots) walk(root);
counts.broken = broken.length;
console.log(counts);
for (const [title, n] of [...byTitle].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(5)}  ${title}`);
for (const line of broken) console.log(line);
