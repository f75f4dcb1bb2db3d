/** In a web worker trees come from web-tree-sitter, whose memory is its own wasm heap. */
export function parsedNative(_chars: number): void {}
