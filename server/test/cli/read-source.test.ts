import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readSource } from '../../src/config';
import { decodeSource, firstInvalidUtf8Offset } from '../../src/config/read-source';
import { isRoot, makeTree, permissionTest, removeTree } from './helpers';

describe('reading a source file', () => {
  let root: string;
  afterEach(() => removeTree(root));

  function read(content: string | Uint8Array, maxBytes?: number) {
    root = makeTree({ 'a.rs': content });
    return readSource(path.join(root, 'a.rs'), maxBytes);
  }

  it('returns the text of a UTF-8 file', () => {
    assert.deepEqual(read('fn main() { let s = "héllo 🦀"; }\n'), { ok: true, text: 'fn main() { let s = "héllo 🦀"; }\n' });
  });

  it('strips a UTF-8 byte order mark', () => {
    assert.deepEqual(read('\uFEFFfn main() {}\n'), { ok: true, text: 'fn main() {}\n' });
  });

  it('reports invalid UTF-8 with the byte offset and line', () => {
    const bytes = Buffer.concat([Buffer.from('fn main() {}\n// caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    assert.deepEqual(read(bytes), { ok: false, message: 'invalid UTF-8 at byte 19 (line 2); Rust source must be UTF-8' });
  });

  it('reports well-formed text too long for one string by its size, not as invalid UTF-8', () => {
    // A 600 MB file read with --max-file-size 1G: V8's decoder throws past its longest string.
    // Simulated here, rather than with the bytes, by a decoder that refuses as V8's does.
    const real = globalThis.TextDecoder;
    globalThis.TextDecoder = class extends real {
      decode(): string {
        throw new RangeError('Invalid string length');
      }
    } as typeof TextDecoder;
    try {
      assert.deepEqual(decodeSource(Buffer.from('fn main() {}\n'.repeat(128))), { ok: false, message: 'file is 1.6 KiB, more text than one JavaScript string can hold; skipped' });
    } finally {
      globalThis.TextDecoder = real;
    }
  });

  it('reports a binary file', () => {
    assert.deepEqual(read(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x00, 0x01])), {
      ok: false,
      message: 'binary file (NUL byte at offset 5); not Rust source',
    });
  });

  it('reports a UTF-16 file as such rather than as binary', () => {
    const result = read(Buffer.from('\uFEFFfn main() {}', 'utf16le'));
    assert.deepEqual(result, { ok: false, message: 'file is UTF-16 encoded; Rust source must be UTF-8' });
  });

  it('reports a file over the size limit with its size and the flag that raises it', () => {
    const result = read('x'.repeat(3 * 1024), 2 * 1024);
    assert.deepEqual(result, { ok: false, message: 'file is 3 KiB, larger than the 2 KiB limit; skipped (raise the limit with --max-file-size)' });
  });

  it('skips a 10 MB generated file under the default limit', () => {
    const result = read(Buffer.alloc(10 * 1024 * 1024, 'a'));
    assert.equal(result.ok, false);
    assert.match((result as { message: string }).message, /^file is 10 MiB, larger than the 5 MiB limit/);
  });

  it(permissionTest('reports an unreadable file as permission denied'), function () {
    if (isRoot()) this.skip();
    root = makeTree({ 'a.rs': 'fn main() {}' });
    fs.chmodSync(path.join(root, 'a.rs'), 0o000);
    assert.deepEqual(readSource(path.join(root, 'a.rs')), { ok: false, message: 'cannot read: permission denied' });
  });

  it('reports a missing file', () => {
    root = makeTree();
    assert.deepEqual(readSource(path.join(root, 'nope.rs')), { ok: false, message: 'cannot read: no such file or directory' });
  });
});

describe('locating invalid UTF-8', () => {
  const offset = (bytes: number[]) => firstInvalidUtf8Offset(Uint8Array.from(bytes));

  it('accepts well-formed multi-byte sequences', () => {
    assert.equal(firstInvalidUtf8Offset(Buffer.from('aé€🦀')), undefined);
  });

  it('flags a truncated sequence at the end', () => {
    assert.equal(offset([0x61, 0xe2, 0x82]), 1);
  });

  it('flags an overlong encoding', () => {
    assert.equal(offset([0x61, 0xc0, 0xaf]), 1);
  });

  it('flags an encoded surrogate', () => {
    assert.equal(offset([0xed, 0xa0, 0x80]), 0);
  });

  it('flags a stray continuation byte', () => {
    assert.equal(offset([0x61, 0x62, 0x80]), 2);
  });
});
