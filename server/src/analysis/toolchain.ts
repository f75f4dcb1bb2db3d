/**
 * What the crate a file belongs to compiles with: its edition and its minimum supported Rust
 * version, as read from the nearest `Cargo.toml` (and `clippy.toml`) by `server/src/manifest`, or
 * from the file's own `#![clippy::msrv = "…"]`. Plain data, part of the per-file facts, so that the
 * findings' wording and the fixes offered follow what the crate can compile without anyone
 * downstream reading a manifest again. Absent fields are unknown, and unknown is not "new enough".
 */

export type Edition = '2015' | '2018' | '2021' | '2024';
export const EDITIONS: readonly Edition[] = ['2015', '2018', '2021', '2024'];

export interface Toolchain {
  edition?: Edition;
  /** `major.minor[.patch]`, as written. */
  rustVersion?: string;
  /** Where `rustVersion` comes from, for messages: `rust-version in Cargo.toml`, `msrv in clippy.toml`, … */
  rustVersionSource?: string;
  /** The file is a crate root with `#![no_std]`: `std::` paths do not resolve. */
  noStd?: boolean;
}

export function isEdition(value: unknown): value is Edition {
  return typeof value === 'string' && (EDITIONS as readonly string[]).includes(value);
}

/** `1.70`, `1.70.1`: the numbers, or undefined for anything else. */
export function parseVersion(text: string): number[] | undefined {
  const m = /^\s*(\d+)\.(\d+)(?:\.(\d+))?\s*$/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** True or false when the crate's Rust version is known, undefined when it is not. */
export function supports(toolchain: Toolchain | undefined, required: string): boolean | undefined {
  const have = toolchain?.rustVersion ? parseVersion(toolchain.rustVersion) : undefined;
  const need = parseVersion(required)!;
  if (!have) return undefined;
  for (let i = 0; i < 3; i++) if (have[i] !== need[i]) return have[i] > need[i];
  return true;
}

/**
 * The file's own inner attributes (a crate root's apply to the crate): `#![clippy::msrv = "1.70"]`
 * is the MSRV clippy uses, which wins over the manifests as it does for clippy; `#![no_std]`.
 * Read from the text before the first item, where inner attributes must be, so a file the text
 * pre-filter skips has the same facts as one that is parsed.
 */
export function withFileAttributes(toolchain: Toolchain | undefined, text: string): Toolchain {
  const out: Toolchain = { ...toolchain };
  // Line by line up to the first item: splitting the text first cut a document into its lines on
  // each keystroke to read its first few.
  const end = Math.min(text.length, 64 * 1024);
  for (let at = 0; at < end; ) {
    const newline = text.indexOf('\n', at);
    const lineEnd = newline === -1 || newline > end ? end : newline;
    const trimmed = text.slice(at, lineEnd).trim();
    at = lineEnd + 1;
    if (trimmed === '' || trimmed.startsWith('//')) continue;
    if (!trimmed.startsWith('#![')) break;
    const msrv = /^#!\[\s*clippy\s*::\s*msrv\s*=\s*"([^"]*)"\s*\]/.exec(trimmed);
    if (msrv && parseVersion(msrv[1])) {
      out.rustVersion = msrv[1];
      out.rustVersionSource = '`#![clippy::msrv]` in the file';
    }
    if (/^#!\[\s*no_std\s*\]/.test(trimmed)) out.noStd = true;
  }
  return out;
}
