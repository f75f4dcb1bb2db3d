/**
 * The JSON of outgoing messages, with the bytes of parts that are sent again unchanged kept.
 *
 * A keystroke in a document of a thousand findings republishes its diagnostics (their version
 * changed) and, when a finding moved, the client's findings model of the file: two messages of
 * 375 KB each, in which all but a few findings are those of the last keystroke. `JSON.stringify` of
 * each, then its UTF-8 copy, took 3 ms a message and left 750 KB of garbage a keystroke in the
 * densest documents the server analyses. Here a message's params can come with their own encoding
 * (`encodeAs`), assembled from bytes its sender keeps per unchanged item (`arrayLast`); the
 * transport's writer asks for it (`jsonEncoder`), and every other message is `JSON.stringify`'d as
 * before. The params stay the plain objects the protocol has: a transport that does not encode
 * (a web worker's port, Node IPC) sends them as they are.
 */
import type { ContentTypeEncoder, ContentTypeEncoderOptions, Message } from 'vscode-jsonrpc';

type Bytes = Uint8Array;

// Not Buffer: the web worker's build has this module too (diagnostics.ts), though it never encodes.
const utf8 = new TextEncoder();

export function bytesOf(text: string): Bytes {
  return utf8.encode(text);
}

/** Params whose JSON is what their function returns: valid until they are sent, which is soon. */
const encodings = new WeakMap<object, () => Bytes[]>();

/** Counts the items of `arrayLast` whose bytes were made, not reused: tests bound them. */
export const messageEncodingStats = { itemsEncoded: 0 };

/** Registers `encode` as `params`' JSON, in pieces to be joined, for `jsonEncoder`; returns `params`. */
export function encodeAs<T extends object>(params: T, encode: () => Bytes[]): T {
  encodings.set(params, encode);
  return params;
}

/**
 * Keeps each item's bytes as long as the item lives: for items never changed once made (findings;
 * a diagnostic's part that does not depend on the publication).
 */
export class ItemBytes<T extends object> {
  private readonly kept = new WeakMap<T, Bytes>();

  constructor(private readonly json: (item: T) => string) {}

  of(item: T): Bytes {
    let bytes = this.kept.get(item);
    if (bytes === undefined) {
      bytes = utf8.encode(this.json(item));
      this.kept.set(item, bytes);
      messageEncodingStats.itemsEncoded++;
    }
    return bytes;
  }
}

const COMMA = utf8.encode(',');
const CLOSE = utf8.encode(']}');

/**
 * The JSON of `{ ...rest, [key]: items }`, `key` last (as `JSON.stringify` writes an object whose
 * last property it is): `rest` encoded now, each item from `item`, which may add a suffix of its
 * own after the kept bytes.
 */
export function arrayLast<T>(rest: object, key: string, items: readonly T[], item: (value: T, index: number, into: Bytes[]) => void): Bytes[] {
  const head = JSON.stringify(rest);
  const parts: Bytes[] = [utf8.encode(`${head.slice(0, -1)}${head.length > 2 ? ',' : ''}${JSON.stringify(key)}:[`)];
  items.forEach((value, i) => {
    if (i > 0) parts.push(COMMA);
    item(value, i, parts);
  });
  parts.push(CLOSE);
  return parts;
}

/** `application/json` for vscode-jsonrpc's stream writer: `JSON.stringify` but for params registered with `encodeAs`. */
export const jsonEncoder: ContentTypeEncoder = {
  name: 'application/json',
  encode(msg: Message, options: ContentTypeEncoderOptions): Promise<Uint8Array> {
    try {
      return Promise.resolve(encode(msg, options.charset));
    } catch (e) {
      return Promise.reject(e);
    }
  },
};

function encode(msg: Message, charset: BufferEncoding): Bytes {
  const params = (msg as { params?: unknown }).params;
  const own = typeof params === 'object' && params !== null ? encodings.get(params) : undefined;
  if (own && charset === 'utf-8') {
    // The envelope as JSON.stringify writes it, params last (vscode-jsonrpc makes them so).
    const envelope = JSON.stringify({ ...msg, params: 0 });
    if (envelope.endsWith('"params":0}')) {
      return joined([utf8.encode(envelope.slice(0, -2)), ...own(), utf8.encode('}')]);
    }
  }
  return Buffer.from(JSON.stringify(msg), charset);
}

function joined(parts: Bytes[]): Bytes {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
