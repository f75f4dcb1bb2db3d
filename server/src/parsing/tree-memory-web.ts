/** In a web worker trees come from web-tree-sitter, whose memory is its own wasm heap. */
export function parsedNative(_chars: number): void {}
/** web-tree-sitter's trees are deleted, not collected: a turn of the event loop lets messages in. */
export async function freeDroppedTrees(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}
