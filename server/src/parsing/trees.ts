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

/**
 * The part of a document whose text or syntax changed since a reader last asked (`takeDamage`),
 * in the current text's offsets: outside it, every node is as it was, shifted by the edits.
 */
export interface Damage {
  start: number;
  end: number;
}

interface Entry {
  version: number;
  text: string;
  tree?: Tree;
  /** The tree has been `edit()`ed but not reparsed: reparse with it before handing it out. */
  stale: boolean;
  /** Damage since last taken; `undefined`: unknown (no tree to compare with), so everything. */
  damage?: Damage;
  /** No change since the damage was last taken. */
  clean: boolean;
  /** Its text is refused (lsp/input-limits.ts): no tree is parsed until it is admitted again. */
  refused?: boolean;
}

export class TreeCache {
  private readonly entries = new Map<string, Entry>();
  /** Counts full parses and incremental reparses; tests use it to prove edits stay incremental. */
  readonly stats = { fullParses: 0, incrementalParses: 0 };

  open(uri: string, version: number, text: string): void {
    this.entries.set(uri, { version, text, stale: false, clean: false });
  }

  /**
   * Records one content change. `text` is the document text after the change; several changes of
   * one notification are applied in order, each relative to the text the previous one produced.
   */
  change(uri: string, version: number, change: TextChange | undefined, text: string): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    if (change && entry.tree) {
      const edit = toEdit(change);
      entry.tree.edit(edit);
      entry.stale = true;
      if (entry.clean || entry.damage) entry.damage = afterEdit(entry.clean ? undefined : entry.damage, edit);
      entry.clean = false;
    } else {
      // A whole-document replacement: nothing of the old tree can be reused.
      dropTree(entry);
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
    // A reading after it is admitted again reads everything, as after a whole replacement.
    dropTree(entry);
    entry.stale = false;
    entry.refused = true;
  }

  admit(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry) entry.refused = false;
  }

  /**
   * What changed in the document since the last call (reparsing first, so that the tree's own
   * changes count); `undefined` when that is not known, as for the first call: then everything.
   */
  takeDamage(uri: string): Damage | undefined {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    this.get(uri);
    const damage = entry.clean ? { start: 0, end: 0 } : entry.damage;
    entry.clean = true;
    entry.damage = undefined;
    return damage;
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
      // Tree-sitter knows where the new tree's structure differs from the edited old one's: an
      // unclosed `/*` or `{` changes nodes far past the text typed.
      if (entry.damage) for (const r of old.getChangedRanges(entry.tree)) entry.damage = union(entry.damage, r.startIndex, r.endIndex);
      releaseTree(old);
      this.stats.incrementalParses++;
    }
    entry.stale = false;
    return { tree: entry.tree, version: entry.version, text: entry.text };
  }
}

/** No tree to reparse from, and so no damage known: the next reading is a whole one. */
function dropTree(entry: Entry): void {
  releaseTree(entry.tree);
  entry.tree = undefined;
  entry.damage = undefined;
  entry.clean = false;
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

/** `damage` (in the old text's offsets; `undefined`: none yet) moved through `edit`, with the edit's own text. */
function afterEdit(damage: Damage | undefined, edit: Edit): Damage {
  const moved = (at: number) => (at <= edit.startIndex ? at : at >= edit.oldEndIndex ? at + edit.newEndIndex - edit.oldEndIndex : edit.newEndIndex);
  return damage ? union({ start: moved(damage.start), end: moved(damage.end) }, edit.startIndex, edit.newEndIndex) : { start: edit.startIndex, end: edit.newEndIndex };
}

function union(damage: Damage, start: number, end: number): Damage {
  return { start: Math.min(damage.start, start), end: Math.max(damage.end, end) };
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
