/**
 * Finds the Rust files a run should analyze.
 *
 * Directories are walked for `*.rs`, skipping build output and VCS data, everything the
 * repository's `.gitignore` files exclude, and the config's `exclude` globs. Paths named on the
 * command line are the user's explicit choice: a named file is analyzed even if ignored, a named
 * directory is walked even if it would itself be skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileError } from '../../../shared/src/findings';
import { compileExclude } from './exclude';
import { IgnoreStack } from './gitignore';
import { describeErrno } from './read-source';

/** Directory names never worth walking: Cargo output, VCS metadata, JS dependencies. */
const SKIPPED_DIRS = new Set(['target', '.git', 'node_modules']);

export interface DiscoverOptions {
  /** Globs relative to `root`; a pattern without `/` matches a file or directory name anywhere. */
  exclude: string[];
  root: string;
}

export interface Discovery {
  /** Absolute paths, sorted, each file once even when reachable through several symlinks. */
  files: string[];
  /** Absolute paths of what could not be walked or is not Rust source. */
  errors: FileError[];
}

export function discoverFiles(paths: string[], opts: DiscoverOptions): Discovery {
  const walker = new Walker(opts);
  for (const p of paths) walker.explicit(path.resolve(p));
  return walker.result();
}

class Walker {
  private readonly files = new Map<string, string>(); // realpath → first path seen
  private readonly errors: FileError[] = [];
  private readonly visitedDirs = new Set<string>();
  private readonly root: string;
  private readonly isExcluded: (relative: string) => boolean;

  constructor(opts: DiscoverOptions) {
    this.root = path.resolve(opts.root);
    this.isExcluded = compileExclude(opts.exclude).matches;
  }

  explicit(target: string): void {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(target);
    } catch (e) {
      this.error(target, describeErrno(e as NodeJS.ErrnoException));
      return;
    }
    if (stat.isDirectory()) {
      this.walk(target, IgnoreStack.forDirectory(target), new Set());
    } else if (!target.endsWith('.rs')) {
      this.error(target, 'not a Rust file (expected a .rs extension)');
    } else {
      this.addFile(target);
    }
  }

  result(): Discovery {
    const files = [...this.files.values()].sort(compareStrings);
    const errors = this.errors.sort((a, b) => compareStrings(a.file, b.file));
    return { files, errors };
  }

  /**
   * `ancestors` holds the realpaths on the current walk path; re-entering one is a symlink loop.
   * `real` is `dir`'s realpath when the caller knows it: an entry that is not a symlink resolves
   * to its parent's realpath plus its name, and resolving every path component again (one `lstat`
   * each) was most of a walk's time.
   */
  private walk(dir: string, ignores: IgnoreStack, ancestors: Set<string>, knownReal?: string): void {
    let real: string;
    try {
      real = knownReal ?? fs.realpathSync(dir);
    } catch (e) {
      this.error(dir, describeErrno(e as NodeJS.ErrnoException));
      return;
    }
    if (ancestors.has(real)) {
      this.error(dir, `symlink loop: points back to ${real}; not followed`);
      return;
    }
    // Reached before through another symlink: already scanned, and scanning it twice would
    // duplicate every finding in it.
    if (this.visitedDirs.has(real)) return;
    this.visitedDirs.add(real);

    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      this.error(dir, `cannot read directory: ${describeErrno(e as NodeJS.ErrnoException)}`);
      return;
    }
    const inner = ignores.enter(dir);
    const nextAncestors = new Set(ancestors).add(real);
    const unnameable = unnameableEntries(dir, entries);
    for (const entry of entries.sort((a, b) => compareStrings(a.name, b.name))) {
      const child = path.join(dir, entry.name);
      if (unnameable.has(entry.name)) {
        if (entry.isDirectory() || entry.name.endsWith('.rs')) {
          this.error(child, 'the name is not valid UTF-8; Leak Lens opens files by their UTF-8 names and cannot open this one: rename it to have it analyzed');
        }
        continue;
      }
      const kind = this.kindOf(entry, child);
      const childReal = entry.isSymbolicLink() ? undefined : path.join(real, entry.name);
      if (kind === 'dir') {
        if (SKIPPED_DIRS.has(entry.name) || inner.isIgnored(child, true) || this.excluded(child)) continue;
        this.walk(child, inner, nextAncestors, childReal);
      } else if (kind === 'file' && entry.name.endsWith('.rs')) {
        if (inner.isIgnored(child, false) || this.excluded(child)) continue;
        this.addFile(child, childReal);
      }
    }
  }

  /** Resolves symlinks so linked directories are walked; reports links that cannot be followed. */
  private kindOf(entry: fs.Dirent, full: string): 'dir' | 'file' | 'other' {
    if (entry.isDirectory()) return 'dir';
    if (entry.isFile()) return 'file';
    if (!entry.isSymbolicLink()) return 'other';
    try {
      const stat = fs.statSync(full);
      return stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') this.error(full, 'symlink loop; not followed');
      // A dangling link only matters if it was meant to be Rust source.
      else if (entry.name.endsWith('.rs')) this.error(full, code === 'ENOENT' ? 'broken symlink' : describeErrno(e as NodeJS.ErrnoException));
      return 'other';
    }
  }

  private excluded(full: string): boolean {
    const relative = path.relative(this.root, full);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return false;
    return this.isExcluded(relative.split(path.sep).join('/'));
  }

  private addFile(file: string, knownReal?: string): void {
    let real = knownReal ?? file;
    if (knownReal === undefined) {
      try {
        real = fs.realpathSync(file);
      } catch {
        // Unresolvable: keep the path as its own identity and let reading report the problem.
      }
    }
    if (!this.files.has(real)) this.files.set(real, file);
  }

  private error(file: string, message: string): void {
    this.errors.push({ file, message });
  }
}

/**
 * Names in `dir` that are not valid UTF-8. Node.js decodes them with U+FFFD in place of the bad
 * bytes, and the decoded name opens nothing (or, worse, another file): so they are named as
 * such instead of being reported as missing. Only read again when a name shows a U+FFFD.
 */
function unnameableEntries(dir: string, entries: fs.Dirent[]): Set<string> {
  const out = new Set<string>();
  if (!entries.some((e) => e.name.includes('\uFFFD'))) return out;
  try {
    for (const raw of fs.readdirSync(dir, { encoding: 'buffer' })) {
      const decoded = raw.toString('utf8');
      if (!raw.equals(Buffer.from(decoded, 'utf8'))) out.add(decoded);
    }
  } catch {
    // Unreadable now: the entries are then reported as whatever reading them finds.
  }
  return out;
}

/** Plain code-unit order: stable across platforms and locales, unlike localeCompare. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
