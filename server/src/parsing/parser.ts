/**
 * Loads tree-sitter with the Rust grammar. The native binding (N-API prebuilds, also loadable in
 * VS Code's own Node) is the default.
 */
import Parser = require('tree-sitter');

export type Tree = Parser.Tree;
export type SyntaxNode = Parser.SyntaxNode;
export type Edit = Parser.Edit;

let parser: Parser | undefined;
let language: Parser.Language | undefined;

function load(): Parser {
  if (!parser) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    language = require('tree-sitter-rust') as Parser.Language;
    parser = new Parser();
    parser.setLanguage(language);
  }
  return parser;
}

export function rustLanguage(): Parser.Language {
  load();
  return language!;
}

/**
 * Parses Rust source. With `oldTree` (already `edit()`ed to match `text`) tree-sitter reuses the
 * unchanged parts. The buffer size is sized to the text because the binding's default buffer
 * rejects very large inputs.
 */
export function parseRust(text: string, oldTree?: Tree): Tree {
  return load().parse(text, oldTree, { bufferSize: text.length * 2 + 1024 });
}
