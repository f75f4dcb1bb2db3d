/**
 * Git's ignore rules for a directory walk: every `.gitignore` from the repository root down to
 * the current directory, plus `.git/info/exclude`, each pattern relative to the directory holding
 * its file. As in git, a deeper file overrides a shallower one and the last matching pattern wins,
 * so `!keep.rs` in a subdirectory re-includes what the root ignored.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { Ignore } from 'ignore';
import { readRegularFile } from './read-file';

interface Level {
  dir: string;
  rules: Ignore;
}

export class IgnoreStack {
  private constructor(private readonly levels: readonly Level[]) {}

  /**
   * The rules in force *above* `dir`: the `.gitignore` files of its ancestors up to the enclosing
   * repository's root. Outside a repository no ancestor rules apply, as with git itself. If those
   * rules ignore `dir` itself, none of them apply: a directory named explicitly (a CLI argument, an
   * editor's workspace folder) is analyzed, as an explicitly named file is.
   */
  static forDirectory(dir: string): IgnoreStack {
    const top = repositoryRoot(dir);
    if (top === undefined) return new IgnoreStack([]);
    const levels: Level[] = [];
    const infoExclude = readRules(path.join(top, '.git', 'info', 'exclude'));
    if (infoExclude) levels.push({ dir: top, rules: infoExclude });
    const chain: string[] = [];
    for (let d = path.dirname(dir); d.length >= top.length; d = path.dirname(d)) {
      chain.unshift(d);
      if (d === top) break;
    }
    for (const d of chain) {
      const rules = readRules(path.join(d, '.gitignore'));
      if (rules) levels.push({ dir: d, rules });
    }
    const stack = new IgnoreStack(levels);
    return stack.isIgnored(dir, true) ? new IgnoreStack([]) : stack;
  }

  /** The stack for walking inside `dir` (opened as `bytes` when given), adding its own `.gitignore` if it has one. */
  enter(dir: string, bytes?: Buffer): IgnoreStack {
    const rules = readRules(bytes ? Buffer.concat([bytes, Buffer.from(`${path.sep}.gitignore`)]) : path.join(dir, '.gitignore'));
    return rules ? new IgnoreStack([...this.levels, { dir, rules }]) : this;
  }

  isIgnored(full: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const level of this.levels) {
      const relative = path.relative(level.dir, full);
      if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) continue;
      // Directory-only patterns (`build/`) match only when the path says it is a directory.
      const candidate = relative.split(path.sep).join('/') + (isDirectory ? '/' : '');
      const verdict = level.rules.test(candidate);
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  }
}

function repositoryRoot(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** Far beyond any hand-written ignore file; a larger one is treated as unreadable. */
const MAX_IGNORE_FILE_SIZE = 16 * 1024 * 1024;

/** An unreadable ignore file is treated as absent: it can only make the walk broader, never fail it. */
function readRules(file: string | Buffer): Ignore | undefined {
  const read = readRegularFile(file, MAX_IGNORE_FILE_SIZE);
  return read.ok ? ignore().add(read.bytes.toString('utf8')) : undefined;
}
