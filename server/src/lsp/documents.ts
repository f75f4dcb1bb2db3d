/**
 * The open documents. Handles the text synchronisation notifications itself (rather than through
 * `TextDocuments`) because incremental parsing needs each change's range in the text *before* the
 * change, which `TextDocuments` has already discarded by the time it reports the new content.
 */
import {
  Connection,
  DidChangeTextDocumentParams,
  DidCloseTextDocumentParams,
  DidOpenTextDocumentParams,
  Position,
  TextDocumentContentChangeEvent,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { TreeCache } from '../parsing/trees';
import { Logger } from './logger';

export const TEXT_DOCUMENT_SYNC = TextDocumentSyncKind.Incremental;

export function isRustDocument(uri: string, languageId?: string): boolean {
  return languageId === 'rust' || /\.rs$/i.test(uri);
}

export interface DocumentListener {
  onDidOpen(document: TextDocument): void;
  onDidChange(document: TextDocument): void;
  onDidClose(uri: string): void;
}

export class DocumentStore {
  private readonly documents = new Map<string, TextDocument>();

  constructor(
    readonly trees: TreeCache,
    private readonly logger: Logger,
  ) {}

  /** `ready`: false until `initialize` is handled; notifications before it are dropped. */
  listen(connection: Connection, ready: () => boolean, listener: DocumentListener): void {
    connection.onDidOpenTextDocument((params: DidOpenTextDocumentParams) => {
      if (!ready()) return;
      const item = params?.textDocument;
      if (!item || typeof item.uri !== 'string' || typeof item.text !== 'string') {
        return this.logger.warn('ignoring didOpen without a uri and text');
      }
      if (!isRustDocument(item.uri, item.languageId)) {
        return this.logger.debug(`ignoring non-Rust document ${item.uri} (${item.languageId})`);
      }
      const document = TextDocument.create(item.uri, item.languageId, item.version ?? 0, item.text);
      // Its line table now, with the opening's work, rather than on the first keystroke (every edit's
      // range is an offset through it): 100,000 lines take 10-20 ms.
      void document.lineCount;
      this.documents.set(item.uri, document);
      this.trees.open(item.uri, document.version, item.text);
      listener.onDidOpen(document);
    });
    connection.onDidChangeTextDocument((params: DidChangeTextDocumentParams) => {
      if (!ready()) return;
      const { textDocument, contentChanges } = params ?? {};
      const document = textDocument && this.documents.get(textDocument.uri);
      if (!document) return this.logger.debug(`ignoring change to unknown document ${textDocument?.uri}`);
      if (!Array.isArray(contentChanges)) return this.logger.warn(`ignoring change without contentChanges for ${document.uri}`);
      let current = document;
      for (const change of contentChanges) current = this.applyChange(current, change, textDocument.version);
      this.documents.set(current.uri, current);
      listener.onDidChange(current);
    });
    connection.onDidCloseTextDocument((params: DidCloseTextDocumentParams) => {
      if (!ready()) return;
      const textDocument = params?.textDocument;
      if (!textDocument || !this.documents.delete(textDocument.uri)) return;
      this.trees.close(textDocument.uri);
      listener.onDidClose(textDocument.uri);
    });
  }

  get(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  all(): TextDocument[] {
    return [...this.documents.values()];
  }

  /** Applies one change to the text and, with its pre-change coordinates, to the document's tree. */
  private applyChange(document: TextDocument, change: TextDocumentContentChangeEvent, version: number): TextDocument {
    if (typeof change?.text !== 'string') return document;
    if (!('range' in change) || !change.range) {
      const next = TextDocument.update(document, [change], version);
      this.trees.change(document.uri, version, undefined, next.getText());
      return next;
    }
    // A sloppy or hostile client sends ranges past the end, reversed, or with non-numbers. The
    // range is made valid once, and the text and the tree get that same range: given the raw one,
    // the text library computes NaN offsets past the end and orders a reversed range differently.
    const a = document.offsetAt(cleanPosition(change.range.start));
    const b = document.offsetAt(cleanPosition(change.range.end));
    const startIndex = Math.min(a, b);
    const oldEndIndex = Math.max(a, b);
    const start = document.positionAt(startIndex);
    const oldEnd = document.positionAt(oldEndIndex);
    const next = TextDocument.update(document, [{ range: { start, end: oldEnd }, text: change.text }], version);
    this.trees.change(
      document.uri,
      version,
      {
        startIndex,
        oldEndIndex,
        startPosition: { row: start.line, column: start.character },
        oldEndPosition: { row: oldEnd.line, column: oldEnd.character },
        newText: change.text,
      },
      next.getText(),
    );
    return next;
  }
}

/** A position with whole, non-negative numbers; `offsetAt` then clamps it into the text. */
function cleanPosition(p: unknown): Position {
  const { line, character } = (p ?? {}) as Partial<Record<'line' | 'character', unknown>>;
  return { line: cleanNumber(line), character: cleanNumber(character) };
}

function cleanNumber(n: unknown): number {
  if (typeof n !== 'number' || !(n > 0)) return 0;
  return Number.isFinite(n) ? Math.floor(n) : Number.MAX_SAFE_INTEGER;
}
