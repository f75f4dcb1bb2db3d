/**
 * The JSON of outgoing messages, with the JSON of parts that are sent again unchanged kept.
 *
 * A keystroke in a document of a thousand findings republishes its diagnostics (their version
 * changed) and, when a finding moved, the client's findings model of the file: two messages of
 * 375 KB each, in which all but a few findings are those of the last keystroke. `JSON.stringify` of
 * each took 3 ms a message in the densest documents the server analyses. Here a message's params
 * can come with their own encoding (`encodeAs`), joined from the JSON its sender keeps per
 * unchanged item (`arrayLast`); the transport's writer asks for it (`jsonEncoder`), and every other
 * message is `JSON.stringify`'d as before. The params stay the plain objects the protocol has: a
 * transport that does not encode (a web worker's port, Node IPC) sends them as they are.
 *
 * What is kept is strings, not bytes: a message is one UTF-8 copy of the joined text, where bytes
 * kept per item were each their own native allocation, freed only by a full collection (the
 * references to a `static mut`, all classified again on each keystroke, peaked 4 MB higher).
 */
import type { ContentTypeEncoder, ContentTypeEncoderOptions, Message } from 'vscode-jsonrpc';

/** Params whose JSON is what their function returns: valid until they are sent, which is soon. */
const encodings = new WeakMap<object, () => string>();

/** Counts the items of `arrayLast` whose JSON was made, not reused: tests bound them. */
export const messageEncodingStats = { itemsEncoded: 0 };

/** Registers `encode` as `params`' JSON for `jsonEncoder`; returns `params`. */
export function encodeAs<T extends object>(params: T, encode: () => string): T {
  encodings.set(params, encode);
  return params;
}

/**
 * Keeps an item's JSON as long as the item lives, once it is sent a second time: for items never
 * changed once made (findings; a diagnostic's part that does not depend on the publication). An
 * item sent once is often never sent again (every finding of a document whose every site a
 * keystroke classifies again), and keeping its JSON would only hold memory until it is dropped.
 */
export class ItemJson<T extends object> {
  private readonly kept = new WeakMap<T, string>();

  constructor(private readonly json: (item: T) => string) {}

  /** `again`: the item was in the last message of its kind. */
  of(item: T, again: boolean): string {
    let json = this.kept.get(item);
    if (json === undefined) {
      json = this.json(item);
      messageEncodingStats.itemsEncoded++;
      if (again) this.kept.set(item, json);
    }
    return json;
  }
}

/**
 * The JSON of `{ ...rest, [key]: items }`, `key` last (as `JSON.stringify` writes an object whose
 * last property it is): `rest` encoded now, each item's from `item`.
 */
export function arrayLast<T>(rest: object, key: string, items: readonly T[], item: (value: T, index: number) => string): string {
  const head = JSON.stringify(rest);
  return `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}${JSON.stringify(key)}:[${items.map(item).join(',')}]}`;
}

/** `application/json` for vscode-jsonrpc's stream writer: `JSON.stringify` but for params registered with `encodeAs`. */
export const jsonEncoder: ContentTypeEncoder = {
  name: 'application/json',
  encode(msg: Message, options: ContentTypeEncoderOptions): Promise<Uint8Array> {
    try {
      return Promise.resolve(Buffer.from(encode(msg), options.charset));
    } catch (e) {
      return Promise.reject(e);
    }
  },
};

function encode(msg: Message): string {
  const params = (msg as { params?: unknown }).params;
  const own = typeof params === 'object' && params !== null ? encodings.get(params) : undefined;
  if (own) {
    // The envelope as JSON.stringify writes it, params last (vscode-jsonrpc makes them so).
    const envelope = JSON.stringify({ ...msg, params: 0 });
    if (envelope.endsWith('"params":0}')) return `${envelope.slice(0, -2)}${own()}}`;
  }
  return JSON.stringify(msg);
}
