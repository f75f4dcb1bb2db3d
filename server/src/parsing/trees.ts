/**
 * Parse trees of the open documents, kept in step with the editor by incremental parsing: each text
 * change is first applied to the old tree with `tree.edit()`, and the next reader reparses with that
 * tree so tree-sitter reuses every subtree the change did not touch. Modelled on vscode-anycode's
 * `trees.ts`. Only open documents have trees here; closed files are parsed, analysed and dropped.
 */
import { Edit, Tree, parseRust, releaseTree } from './parser';

export interface Point {
  row: number;
  column: number;
}

/** A change in the coordinates tree-sitter wants: UTF-16 offsets and (row, UTF-16 column) points. */
export interface TextChange {
  startIndex: number;
  oldEndIndex: number;
  startPosition: Point;
  oldEndPosition: Point;
  newText: string;
}

interface Entry {
  version: number;
  text: string;
  tree?: Tree;
  /** The tree has been `edit()`ed but not reparsed: reparse with it before handing it out. */
  stale: boolean;
  /** Its text is refused (lsp/input-limits.ts): no tree is parsed until it is admitted again. */
  refused?: boolean;
}

export class TreeCache {
  private readonly entries = new Map<string, Entry>();
  /** Counts full parses and incremental reparses; tests use it to prove edits stay incremental. */
  readonly stats = { fullParses: 0, incrementalParses: 0 };

  open(uri: string, version: number, text: string): void {
    this.entries.set(uri, { version, text, stale: false });
  }

  /**
   * Records one content change. `text` is the document text after the change; several changes of
   * one notification are applied in order, each relative to the text the previous one produced.
   */
  change(uri: string, version: number, change: TextChange | undefined, text: string): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    if (change && entry.tree) {
      entry.tree.edit(toEdit(change));
      entry.stale = true;
    } else {
      // A whole-document replacement: nothing of the old tree can be reused.
      releaseTree(entry.tree);
      entry.tree = undefined;
    }
    entry.version = version;
    entry.text = text;
  }

  close(uri: string): void {
    releaseTree(this.entries.get(uri)?.tree);
    this.entries.delete(uri);
  }

  has(uri: string): boolean {
    return this.entries.has(uri);
  }

  /** Whether the next `get` parses the whole text: there is no tree to reparse incrementally. */
  parsesWhole(uri: string): boolean {
    const entry = this.entries.get(uri);
    return !!entry && !entry.tree;
  }

  /**
   * Frees the document's tree and parses none (`get` answers undefined, for hovers and code actions
   * too) until `admit`: a tree too dense to analyse must not be built again on the next request.
   */
  refuse(uri: string): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    releaseTree(entry.tree);
    entry.tree = undefined;
    entry.stale = false;
    entry.refused = true;
  }

  admit(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry) entry.refused = false;
  }

  /** The up-to-date tree of an open document, parsing on demand. */
  get(uri: string): { tree: Tree; version: number; text: string } | undefined {
    const entry = this.entries.get(uri);
    if (!entry || entry.refused) return undefined;
    if (!entry.tree) {
      entry.tree = parseRust(entry.text);
      this.stats.fullParses++;
    } else if (entry.stale) {
      const old = entry.tree;
      entry.tree = parseRust(entry.text, old);
      releaseTree(old);
      this.stats.incrementalParses++;
    }
    entry.stale = false;
    return { tree: entry.tree, version: entry.version, text: entry.text };
  }
}

/** The end point of `text` inserted at `start`. */
export function endPoint(start: Point, text: string): Point {
  let row = start.row;
  let lastNewline = -1;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      row++;
      lastNewline = i;
    }
  }
  return lastNewline < 0 ? { row, column: start.column + text.length } : { row, column: text.length - lastNewline - 1 };
}

function toEdit(change: TextChange): Edit {
  return {
    startIndex: change.startIndex,
    oldEndIndex: change.oldEndIndex,
    newEndIndex: change.startIndex + change.newText.length,
    startPosition: change.startPosition,
    oldEndPosition: change.oldEndPosition,
    newEndPosition: endPoint(change.startPosition, change.newText),
  };
}
