/**
 * Reads one Rust source file defensively. Anything that is not a reasonably sized UTF-8 text file
 * becomes a one-line explanation instead of an exception, so a single odd file in a tree (a
 * generated blob, a binary renamed `.rs`, a Latin-1 file) never ends the run.
 */
import { formatSize, readRegularFile } from './read-file';

export { describeErrno, formatSize } from './read-file';

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

const BOM = '\uFEFF';

/** `limitHint`: how to analyse a larger file (the CLI's option; the language server has none). */
export function readSource(file: string | Uint8Array, maxBytes: number = DEFAULT_MAX_FILE_SIZE, limitHint = 'raise the limit with --max-file-size'): ReadResult {
  const read = readRegularFile(file, maxBytes, limitHint);
  if (!read.ok) return read;
  return decodeSource(read.bytes);
}

/**
 * The text of a Rust source file from its bytes, or why they are not Rust source. No file system:
 * the editor extension also decodes the files it reads for the language server (virtual
 * workspaces, the browser) with it.
 */
export function decodeSource(bytes: Uint8Array): ReadResult {
  if (hasUtf16Bom(bytes)) return { ok: false, message: 'file is UTF-16 encoded; Rust source must be UTF-8' };
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { ok: false, message: `binary file (NUL byte at offset ${nul}); not Rust source` };

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // The decoder does not say where it failed; find the spot ourselves so the user can fix it.
    const offset = firstInvalidUtf8Offset(bytes);
    // Well-formed bytes the decoder refused: more text than a string can hold (some 512 MB, when
    // --max-file-size lets such a file through), not bad UTF-8.
    if (offset === undefined) return { ok: false, message: `file is ${formatSize(bytes.length)}, more text than one JavaScript string can hold; skipped` };
    return { ok: false, message: `invalid UTF-8 at byte ${offset} (line ${lineAt(bytes, offset)}); Rust source must be UTF-8` };
  }
  return { ok: true, text: text.startsWith(BOM) ? text.slice(1) : text };
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

/** Byte offset of the first ill-formed UTF-8 sequence (RFC 3629: no overlongs, surrogates or > U+10FFFF). */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [length, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [length, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [length, min] = [4, 0x10000];
    else return i;
    if (i + length > bytes.length) return i;
    let codePoint = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (c & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return i;
    i += length;
  }
  return undefined;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}
