import * as path from 'node:path';

/**
 * The path printed in findings: relative to the working directory with `/` separators on every
 * platform, so reports are identical on Windows and in CI, and SARIF URIs resolve against the
 * checkout root.
 */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return (relative === '' ? '.' : relative).split(path.sep).join('/');
}

/**
 * `displayPath` of a path given as bytes (a name that is not valid UTF-8), as bytes. Latin-1 maps
 * each byte to one character and back, and path arithmetic only reads `/` and `.`.
 */
export function displayBytes(file: Uint8Array, cwd: string): Buffer {
  return Buffer.from(displayPath(latin1(file), latin1(Buffer.from(cwd, 'utf8'))), 'latin1');
}

/** `path.resolve(cwd, file)` of a path given as bytes, as bytes (Latin-1, as in `displayBytes`). */
export function resolveBytes(file: Uint8Array, cwd: string): Buffer {
  return Buffer.from(path.resolve(latin1(Buffer.from(cwd, 'utf8')), latin1(file)), 'latin1');
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** The deepest directory containing every path (a file counts as its directory). */
export function commonDirectory(paths: readonly string[], isDirectory: (p: string) => boolean): string {
  const dirs = paths.map((p) => (isDirectory(p) ? p : path.dirname(p)));
  let common = dirs[0].split(path.sep);
  for (const dir of dirs.slice(1)) {
    const parts = dir.split(path.sep);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join(path.sep) || path.sep;
}
