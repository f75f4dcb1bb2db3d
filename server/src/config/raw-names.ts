/**
 * File names that are not valid UTF-8. Unix names are bytes; Node.js decodes them with U+FFFD in
 * place of each bad byte, and the decoded name opens nothing (or another file). Such a file is
 * opened by its bytes, and shown in reports under a name of its own: the name's UTF-8 runs as
 * they are, each ill-formed byte as `\xHH`, and a backslash as `\\` (only in such names, so that
 * two such names never show alike).
 */
import { firstInvalidUtf8Offset } from './read-source';

export function isUtf8Name(raw: Uint8Array): boolean {
  return firstInvalidUtf8Offset(raw) === undefined;
}

/** The reports' name for the bytes `raw` of a name that is not valid UTF-8. */
export function showRawName(raw: Uint8Array): string {
  let out = '';
  let rest = raw;
  for (;;) {
    const bad = firstInvalidUtf8Offset(rest);
    out += Buffer.from(rest.subarray(0, bad ?? rest.length)).toString('utf8').replace(/\\/g, '\\\\');
    if (bad === undefined) return out;
    out += `\\x${rest[bad].toString(16).toUpperCase().padStart(2, '0')}`;
    rest = rest.subarray(bad + 1);
  }
}

/** A path as bytes, shown component by component: the valid names as they are. */
export function showRawPath(raw: Buffer): string {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i <= raw.length; i++) {
    if (i < raw.length && raw[i] !== 0x2f) continue;
    const part = raw.subarray(start, i);
    parts.push(isUtf8Name(part) ? part.toString('utf8') : showRawName(part));
    start = i + 1;
  }
  return parts.join('/');
}
