#!/usr/bin/env node
// Runs the CLI over a Rust source tree (default: the standard library from Debian's `rust-src`)
// and prints findings per rule and kind as a Markdown table, for the README's corpus section.
//   apt-get install rust-src && npm run build && node scripts/corpus-report.js [DIR]
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const dir = process.argv[2] ?? '/usr/lib/rustlib/src/rust/library';
if (!fs.existsSync(dir)) {
  console.error(`${dir} does not exist. Install the corpus first: apt-get update && apt-get install -y rust-src`);
  process.exit(2);
}
const cli = path.join(__dirname, '..', 'bin', 'leak-lens.js');
const started = process.hrtime.bigint();
const run = spawnSync(process.execPath, [cli, 'check', dir, '--format', 'json', '--fail-on', 'none'], { maxBuffer: 1 << 30, encoding: 'utf8' });
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
if (run.status !== 0) {
  console.error(run.stderr);
  process.exit(run.status ?? 1);
}
const report = JSON.parse(run.stdout);
const kinds = ['real-leak', 'possible-leak', 'intentional-static', 'reclaimed', 'ownership-transfer'];
const byRule = new Map();
for (const f of report.findings) {
  const row = byRule.get(f.rule) ?? Object.fromEntries(kinds.map((k) => [k, 0]));
  row[f.kind]++;
  byRule.set(f.rule, row);
}
console.log(`${report.filesScanned} files, ${report.findings.length} findings, ${report.errors.length} input errors, ${seconds.toFixed(1)} s\n`);
console.log(`| rule | ${kinds.join(' | ')} |`);
console.log(`| --- | ${kinds.map(() => '---:').join(' | ')} |`);
for (const [rule, row] of [...byRule].sort()) console.log(`| \`${rule}\` | ${kinds.map((k) => row[k]).join(' | ')} |`);
const totals = kinds.map((k) => report.findings.filter((f) => f.kind === k).length);
console.log(`| **total** | ${totals.join(' | ')} |`);
for (const e of report.errors) console.log(`error: ${e.file}: ${e.message}`);
