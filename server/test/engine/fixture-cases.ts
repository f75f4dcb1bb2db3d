/**
 * The specification cases under test-fixtures/: a directory whose name ends in `.workspace` is
 * one workspace (cross-file pairing), every other `.rs` file a case of its own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '../../../../test-fixtures');
/** Owned by the CLI tests: fixture trees with their own expectations. */
const SKIP_DIRS = new Set(['cli']);

export interface Case {
  name: string;
  files: string[];
}

export function fixtureCases(dir: string = FIXTURES, rel = ''): Case[] {
  const out: Case[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    const name = path.posix.join(rel, entry.name);
    if (entry.isDirectory()) {
      if (SKIP_DIRS.has(name)) continue;
      if (entry.name.endsWith('.workspace')) out.push({ name, files: rsFiles(full) });
      else out.push(...fixtureCases(full, name));
    } else if (entry.name.endsWith('.rs')) {
      out.push({ name, files: [full] });
    }
  }
  return out;
}

function rsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.rs')).sort().map((f) => path.join(dir, f));
}
