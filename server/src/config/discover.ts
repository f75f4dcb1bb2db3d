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
import { SKIPPED_DIRS as SKIPPED_DIR_NAMES } from '../../../shared/src/protocol';
import { compileExclude } from './exclude';
import { IgnoreStack } from './gitignore';
import { describeErrno } from './read-source';
import { isUtf8Name, showRawName, showRawPath } from './raw-names';

/** Directory names never worth walking: Cargo output, VCS metadata, JS dependencies. */
const SKIPPED_DIRS = new Set(SKIPPED_DIR_NAMES);

export interface DiscoverOptions {
  /** Globs relative to `root`; a pattern without `/` matches a file or directory name anywhere. */
  exclude: string[];
  root: string;
  /** Paths of `paths` to open by these bytes: names that are not valid UTF-8, given by their shown form. */
  bytes?: ReadonlyMap<string, Buffer>;
}

export interface Discovery {
  /**
   * Absolute paths, sorted, each file once even when reachable through several symlinks. A file
   * whose name is not valid UTF-8 is listed under the name `showRawName` gives it, and `bytes`
   * holds its path as bytes, to open it by.
   */
  files: string[];
  bytes: ReadonlyMap<string, Buffer>;
  /** Absolute paths of what could not be walked or is not Rust source. */
  errors: FileError[];
}

export function discoverFiles(paths: string[], opts: DiscoverOptions): Discovery {
  const walker = new Walker(opts);
  for (const p of paths) walker.explicit(path.resolve(p), opts.bytes?.get(p));
  return walker.result();
}

class Walker {
  private readonly files = new Map<string, string>(); // realpath → first path seen
  private readonly bytes = new Map<string, Buffer>();
  private readonly errors: FileError[] = [];
  private readonly visitedDirs = new Set<string>();
  private readonly root: string;
  private readonly isExcluded: (relative: string) => boolean;

  constructor(opts: DiscoverOptions) {
    this.root = path.resolve(opts.root);
    this.isExcluded = compileExclude(opts.exclude).matches;
  }

  explicit(target: string, bytes?: Buffer): void {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(bytes ?? target);
    } catch (e) {
      this.error(target, describeErrno(e as NodeJS.ErrnoException));
      return;
    }
    if (stat.isDirectory()) {
      this.walk(target, IgnoreStack.forDirectory(target), new Set(), undefined, bytes);
    } else if (!target.endsWith('.rs')) {
      this.error(target, 'not a Rust file (expected a .rs extension)');
    } else {
      this.addFile(target, undefined, bytes);
    }
  }

  result(): Discovery {
    const files = [...this.files.values()].sort(compareStrings);
    const errors = this.errors.sort((a, b) => compareStrings(a.file, b.file));
    return { files, errors, bytes: new Map(files.filter((f) => this.bytes.has(f)).map((f) => [f, this.bytes.get(f)!])) };
  }

  /**
   * `ancestors` holds the realpaths on the current walk path; re-entering one is a symlink loop.
   * `real` is `dir`'s realpath when the caller knows it: an entry that is not a symlink resolves
   * to its parent's realpath plus its name, and resolving every path component again (one `lstat`
   * each) was most of a walk's time. `bytes` is `dir` as bytes when a name on the way is not valid
   * UTF-8 (`dir` is then its shown path): everything below is opened by bytes too.
   */
  private walk(dir: string, ignores: IgnoreStack, ancestors: Set<string>, knownReal?: string, bytes?: Buffer): void {
    const at = bytes ?? dir;
    let real: string;
    try {
      // `.native` for bytes: the JavaScript realpath decodes a Buffer path to a string first.
      real = knownReal ?? (bytes ? showRawPath(fs.realpathSync.native(bytes, { encoding: 'buffer' })) : fs.realpathSync(dir));
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
      entries = fs.readdirSync(at, { withFileTypes: true });
    } catch (e) {
      this.error(dir, `cannot read directory: ${describeErrno(e as NodeJS.ErrnoException)}`);
      return;
    }
    const inner = ignores.enter(dir, bytes);
    const nextAncestors = new Set(ancestors).add(real);
    const raw = rawEntries(at, entries);
    const below = (name: Buffer) => Buffer.concat([bytes ?? Buffer.from(dir), Buffer.from(path.sep), name]);
    for (const entry of entries.sort((a, b) => compareStrings(a.name, b.name))) {
      // Its name decoded: opened by its bytes below.
      if (raw.decodedNames.has(entry.name)) continue;
      this.entry(dir, real, entry, entry.name, bytes && below(Buffer.from(entry.name)), inner, nextAncestors);
    }
    for (const entry of raw.entries) this.entry(dir, real, entry, showRawName(entry.name), below(entry.name), inner, nextAncestors);
  }

  /** One entry of `dir`, shown as `name`; `bytes` is its path as bytes when it has to be opened so. */
  private entry(dir: string, real: string, entry: fs.Dirent<string | Buffer>, name: string, bytes: Buffer | undefined, ignores: IgnoreStack, ancestors: Set<string>): void {
    const child = path.join(dir, name);
    const kind = this.kindOf(entry, child, name, bytes ?? child);
    const childReal = entry.isSymbolicLink() ? undefined : path.join(real, name);
    if (kind === 'dir') {
      if (SKIPPED_DIRS.has(name) || ignores.isIgnored(child, true) || this.excluded(child)) return;
      this.walk(child, ignores, ancestors, childReal, bytes);
    } else if (kind === 'file' && name.endsWith('.rs')) {
      if (ignores.isIgnored(child, false) || this.excluded(child)) return;
      this.addFile(child, childReal, bytes);
    }
  }

  /** Resolves symlinks so linked directories are walked; reports links that cannot be followed. */
  private kindOf(entry: fs.Dirent<string | Buffer>, full: string, name: string, at: string | Buffer): 'dir' | 'file' | 'other' {
    if (entry.isDirectory()) return 'dir';
    if (entry.isFile()) return 'file';
    if (!entry.isSymbolicLink()) return 'other';
    try {
      const stat = fs.statSync(at);
      return stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') this.error(full, 'symlink loop; not followed');
      // A dangling link only matters if it was meant to be Rust source.
      else if (name.endsWith('.rs')) this.error(full, code === 'ENOENT' ? 'broken symlink' : describeErrno(e as NodeJS.ErrnoException));
      return 'other';
    }
  }

  private excluded(full: string): boolean {
    const relative = path.relative(this.root, full);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return false;
    return this.isExcluded(relative.split(path.sep).join('/'));
  }

  private addFile(file: string, knownReal?: string, bytes?: Buffer): void {
    let real = knownReal ?? file;
    if (knownReal === undefined) {
      try {
        real = bytes ? showRawPath(fs.realpathSync.native(bytes, { encoding: 'buffer' })) : fs.realpathSync(file);
      } catch {
        // Unresolvable: keep the path as its own identity and let reading report the problem.
      }
    }
    if (this.files.has(real)) return;
    this.files.set(real, file);
    if (bytes) this.bytes.set(file, bytes);
  }

  private error(file: string, message: string): void {
    this.errors.push({ file, message });
  }
}

/**
 * The entries of `dir` whose names are not valid UTF-8, and the names Node.js decoded them to
 * (U+FFFD for each bad byte). Only read again as bytes when a name shows a U+FFFD.
 */
function rawEntries(dir: string | Buffer, entries: fs.Dirent[]): { entries: fs.Dirent<Buffer>[]; decodedNames: Set<string> } {
  const out = { entries: [] as fs.Dirent<Buffer>[], decodedNames: new Set<string>() };
  if (!entries.some((e) => e.name.includes('\uFFFD'))) return out;
  try {
    const all = fs.readdirSync(dir, { encoding: 'buffer', withFileTypes: true });
    const valid = new Set(all.filter((e) => isUtf8Name(e.name)).map((e) => e.name.toString('utf8')));
    for (const entry of all) {
      if (isUtf8Name(entry.name)) continue;
      out.entries.push(entry);
      // A valid name can hold a U+FFFD of its own: that entry stays with the others.
      const decoded = entry.name.toString('utf8');
      if (!valid.has(decoded)) out.decodedNames.add(decoded);
    }
    out.entries.sort((a, b) => Buffer.compare(a.name, b.name));
  } catch {
    // Unreadable now: the entries are then reported as whatever reading them finds.
  }
  return out;
}

/** Plain code-unit order: stable across platforms and locales, unlike localeCompare. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
