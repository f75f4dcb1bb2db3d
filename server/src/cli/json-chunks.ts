/**
 * Pretty-printed JSON in pieces, for reports too large to be one string: a million findings make
 * a JSON text longer than V8's maximum string length, and the report would be lost. The output is
 * byte for byte what `JSON.stringify(document, null, 2)` gives with `items` in place of the
 * placeholder array, so a streamed report and a whole one cannot differ.
 */

/** Put this where the streamed array goes; `prettyJsonChunks` replaces it with `items`. */
export const STREAMED_ARRAY = '\u0000streamed array\u0000';

export function* prettyJsonChunks(document: unknown, items: Iterable<unknown>): Generator<string> {
  const whole = JSON.stringify(document, null, 2);
  const mark = JSON.stringify(STREAMED_ARRAY);
  const at = whole.indexOf(mark);
  if (at < 0) throw new Error('prettyJsonChunks: the document has no STREAMED_ARRAY placeholder');
  const indent = /^ */.exec(whole.slice(whole.lastIndexOf('\n', at) + 1, at))![0];
  const inner = `${indent}  `;
  yield whole.slice(0, at);
  let first = true;
  for (const item of items) {
    yield `${first ? '[' : ','}\n${inner}${JSON.stringify(item, null, 2).replace(/\n/g, `\n${inner}`)}`;
    first = false;
  }
  yield first ? '[]' : `\n${indent}]`;
  yield whole.slice(at + mark.length) + '\n';
}
