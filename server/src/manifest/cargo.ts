/**
 * The toolchain facts of the crate a file belongs to, read as cargo and clippy read them:
 *
 * - the nearest `Cargo.toml` above the file that has a `[package]` is the crate's manifest; its
 *   `edition` (2015 when absent, as cargo defaults) and `rust-version`, each possibly inherited
 *   from the workspace (`rust-version.workspace = true` → `[workspace.package]` of the workspace
 *   root: `package.workspace`, else the nearest ancestor manifest with a `[workspace]`);
 * - `msrv` in `clippy.toml` / `.clippy.toml`, in the crate's directory or above, wins over
 *   `rust-version`, as it does for clippy.
 *
 * Anything unreadable or malformed leaves the fact unknown: a fix is then offered with what it
 * requires in its title, never silently dropped or wrongly promised. Results are cached per
 * directory; `invalidate` forgets them when a manifest changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'smol-toml';
import { Edition, Toolchain, isEdition, parseVersion } from '../analysis/toolchain';

/** Larger manifests are not read: no real one comes close, and a huge file must not cost memory. */
const MAX_MANIFEST_BYTES = 1 << 20;

type Table = Record<string, unknown>;
/** A file that exists but is not valid TOML. */
const BROKEN: Table = Object.freeze({});

/** Reads a file's text, or undefined when it does not exist or cannot be read. */
export type ReadFile = (file: string) => string | undefined;

export function readSmallFile(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_MANIFEST_BYTES) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export class CrateToolchains {
  /** Directory → its parsed manifest (null: none there, or unreadable). */
  private readonly manifests = new Map<string, Table | null>();
  private readonly clippyConfigs = new Map<string, Table | null>();
  /** Directory of a source file → the toolchain of its crate. */
  private readonly byDirectory = new Map<string, Toolchain>();

  constructor(private readonly read: ReadFile = readSmallFile) {}

  invalidate(): void {
    this.manifests.clear();
    this.clippyConfigs.clear();
    this.byDirectory.clear();
  }

  forFile(file: string): Toolchain {
    const dir = path.dirname(path.resolve(file));
    let toolchain = this.byDirectory.get(dir);
    if (!toolchain) {
      toolchain = this.compute(dir);
      this.byDirectory.set(dir, toolchain);
    }
    return toolchain;
  }

  private compute(dir: string): Toolchain {
    const crate = this.packageAbove(dir);
    const toolchain: Toolchain = {};
    if (crate) {
      const pkg = crate.manifest.package as Table;
      const edition = this.field(crate, pkg, 'edition');
      const version = this.field(crate, pkg, 'rust-version');
      toolchain.edition = edition === undefined ? '2015' : isEdition(edition) ? (edition as Edition) : undefined;
      if (typeof version === 'string' && parseVersion(version)) {
        toolchain.rustVersion = version;
        toolchain.rustVersionSource = '`rust-version` in Cargo.toml';
      }
      if (toolchain.edition === undefined) delete toolchain.edition;
    }
    const msrv = this.clippyMsrv(crate?.dir ?? dir);
    if (msrv) {
      toolchain.rustVersion = msrv;
      toolchain.rustVersionSource = '`msrv` in clippy.toml';
    }
    return toolchain;
  }

  /** A `[package]` field, following `field.workspace = true` to the workspace root. */
  private field(crate: { dir: string; manifest: Table }, pkg: Table, key: string): unknown {
    const value = pkg[key];
    if (!isTable(value)) return value;
    if (value.workspace !== true) return undefined;
    const root = this.workspaceRoot(crate.dir, pkg.workspace);
    const workspace = root?.workspace;
    const inherited = isTable(workspace) && isTable(workspace.package) ? workspace.package[key] : undefined;
    return typeof inherited === 'string' ? inherited : undefined;
  }

  private workspaceRoot(crateDir: string, explicit: unknown): Table | undefined {
    if (typeof explicit === 'string') {
      const manifest = this.manifestIn(path.resolve(crateDir, explicit));
      return manifest && isTable(manifest.workspace) ? manifest : undefined;
    }
    for (let dir = crateDir; ; dir = path.dirname(dir)) {
      const manifest = this.manifestIn(dir);
      if (manifest && isTable(manifest.workspace)) return manifest;
      if (path.dirname(dir) === dir) return undefined;
    }
  }

  private packageAbove(start: string): { dir: string; manifest: Table } | undefined {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const manifest = this.manifestIn(dir);
      // A manifest that does not parse is still the crate's: its facts are unknown, not a parent's.
      if (manifest === BROKEN) return undefined;
      if (manifest && isTable(manifest.package)) return { dir, manifest };
      if (path.dirname(dir) === dir) return undefined;
    }
  }

  private manifestIn(dir: string): Table | null {
    return cached(this.manifests, dir, () => parseToml(this.read(path.join(dir, 'Cargo.toml'))));
  }

  private clippyMsrv(start: string): string | undefined {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const config = cached(this.clippyConfigs, dir, () =>
        parseToml(this.read(path.join(dir, 'clippy.toml')) ?? this.read(path.join(dir, '.clippy.toml'))),
      );
      if (config) {
        const msrv = config.msrv;
        return typeof msrv === 'string' && parseVersion(msrv) ? msrv : undefined;
      }
      if (path.dirname(dir) === dir) return undefined;
    }
  }
}

function cached(map: Map<string, Table | null>, key: string, load: () => Table | null): Table | null {
  let value = map.get(key);
  if (value === undefined) {
    value = load();
    map.set(key, value);
  }
  return value;
}

function parseToml(text: string | undefined): Table | null {
  if (text === undefined) return null;
  try {
    return parse(text) as Table;
  } catch {
    return BROKEN;
  }
}

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
