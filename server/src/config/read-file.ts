/**
 * The one way Leak Lens reads a file it did not write: sources, `leak-lens.toml`, `.gitignore`.
 * Only a regular file is read, and never more than a limit. A FIFO would block the read until
 * some writer appears (forever, in CI or in the editor's server), and a link to `/dev/zero` or a
 * character device has no size to check beforehand and no end.
 */
import * as fs from 'node:fs';

export type FileBytes = { ok: true; bytes: Buffer } | { ok: false; message: string };

/**
 * Opening is non-blocking, so a FIFO opens at once (a blocking open waits for a writer); the
 * kind is then checked on the open descriptor, so what is read is what was checked. (A function,
 * not a constant: a bundle that imports this module for `formatSize` alone, the web worker's, must
 * not touch `fs` when it loads.)
 */
const openFlags = () => fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** `limitHint` tells the user how to raise `maxBytes`, when they can. */
export function readRegularFile(file: string | Uint8Array, maxBytes: number, limitHint = ''): FileBytes {
  let fd: number;
  try {
    // A path as bytes crosses to a worker thread as a plain Uint8Array.
    fd = fs.openSync(typeof file === 'string' ? file : Buffer.from(file.buffer, file.byteOffset, file.byteLength), openFlags());
  } catch (e) {
    return { ok: false, message: `cannot read: ${describeErrno(e as NodeJS.ErrnoException)}` };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, message: 'cannot read: is a directory' };
    if (!stat.isFile()) return { ok: false, message: `cannot read: not a regular file (${kindOf(stat)})` };
    if (stat.size > maxBytes) return tooLarge(stat.size, maxBytes, '', limitHint);
    // The size may change under us (a file being written): read to the end, but stop one byte
    // past the limit, whatever the size said.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size - total, 1 << 16) + 1, maxBytes + 1 - total, 1 << 20));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) return tooLarge(total, maxBytes, 'at least ', limitHint);
    }
    return { ok: true, bytes: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total) };
  } catch (e) {
    return { ok: false, message: `cannot read: ${describeErrno(e as NodeJS.ErrnoException)}` };
  } finally {
    fs.closeSync(fd);
  }
}

function tooLarge(size: number, maxBytes: number, qualifier: string, limitHint: string): FileBytes {
  const hint = limitHint ? ` (${limitHint})` : '';
  return { ok: false, message: `file is ${qualifier}${formatSize(size)}, larger than the ${formatSize(maxBytes)} limit; skipped${hint}` };
}

function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

export function describeErrno(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'symlink loop';
    default:
      return e.code ? `${e.code.toLowerCase()}: ${e.message}` : e.message;
  }
}

/** Human-readable size in binary units, matching how limits are usually written (`5 MiB`). */
export function formatSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${rounded} ${units[unit]}`;
}
