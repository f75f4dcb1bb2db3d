/**
 * Parse trees of the open documents, kept in step with the editor by incremental parsing: each text
 * change is first applied to the old tree with `tree.edit()`, and the next reader reparses with that
 * tree so tree-sitter reuses every subtree the change did not touch. Modelled on vscode-anycode's
 * `trees.ts`. Only open documents have trees here; closed files are parsed, analysed and dropped.
 */
import { Edit, SyntaxNode, Tree, firstChildFor, freeCursor, parseRust, releaseTree } from './parser';

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
  /** Where the tree's errors are (ERROR and MISSING nodes), moved with the edits; `undefined`: not known. */
  errors?: Damage[];
  /** Its text is refused (lsp/input-limits.ts): no tree is parsed until it is admitted again. */
  refused?: boolean;
}

export class TreeCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * Counts full parses, incremental reparses and comparisons of whole trees (`getChangedRanges`);
   * tests use it to prove edits stay incremental.
   */
  readonly stats = { fullParses: 0, incrementalParses: 0, wholeComparisons: 0 };

  open(uri: string, version: number, text: string): void {
    // Opened again without a close (a client's mistake): the tree it had is freed, not left to the collector.
    releaseTree(this.entries.get(uri)?.tree);
    this.entries.set(uri, { version, text, stale: false, clean: false });
  }

  /**
   * Records one content change. `text` is the document text after the change; several changes of
   * one notification are applied in order, each relative to the text the previous one produced.
   */
  change(uri: string, version: number, change: TextChange | undefined, text: string): void {
    const entry = this.entries.get(uri);
    if (!entry) return;
    if (change && (entry.tree || entry.refused)) {
      const edit = toEdit(change);
      if (entry.tree) {
        entry.tree.edit(edit);
        entry.stale = true;
        if (entry.errors) entry.errors = entry.errors.map((e) => moved(e, edit));
      }
      // A refused text's damage too: its sites are counted again around the edit (`takeTextDamage`).
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
    // A reading after it is admitted again reads everything, as after a whole replacement. A text
    // refused before its tree was built keeps the damage it tracks since its sites were counted.
    if (entry.tree) dropTree(entry);
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
    this.get(uri);
    return this.takeTextDamage(uri);
  }

  /**
   * Where the text changed since the last call, without parsing: for a document whose text is
   * weighed before a whole parse (lsp/input-limits.ts), refused or not yet parsed. Its tree's
   * changes are not in it; once a whole tree is parsed, `takeDamage` answers `undefined` (everything).
   */
  takeTextDamage(uri: string): Damage | undefined {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
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
      entry.errors = undefined;
      // What changed while the text had no tree tells nothing of this one's.
      entry.damage = undefined;
      entry.clean = false;
      this.stats.fullParses++;
    } else if (entry.stale) {
      const old = entry.tree;
      entry.tree = parseRust(entry.text, old);
      // The new tree's structure may differ from the edited old one's far past the text typed (an
      // unclosed `/*` or `{`). Tree-sitter's own comparison of the two walks the whole of both
      // (2 to 7 ms over 4,000 to 8,000 items): it is asked only where the trees differ too widely.
      if (entry.damage) {
        const errors = (entry.errors ??= errorsIn(old, { start: 0, end: entry.text.length }));
        const around = changedAround(old, entry.tree, entry.text, entry.damage, errors);
        let changed: Damage[];
        if (around) changed = [around];
        else {
          this.stats.wholeComparisons++;
          changed = old.getChangedRanges(entry.tree).map((r) => ({ start: r.startIndex, end: r.endIndex }));
        }
        for (const r of changed) entry.damage = union(entry.damage, r.start, r.end);
        // The errors outside what changed are the old tree's; inside, the new tree's.
        const regions = [...changed, entry.damage];
        entry.errors = [...errors.filter((e) => !regions.some((r) => e.start <= r.end && r.start <= e.end)), ...regions.flatMap((r) => errorsIn(entry.tree!, r))];
      } else entry.errors = undefined;
      releaseTree(old);
      this.stats.incrementalParses++;
    }
    entry.stale = false;
    return { tree: entry.tree, version: entry.version, text: entry.text };
  }
}

/** How many times the siblings around an edit are compared before the whole trees are (each comment of a doc comment is one). */
const SIBLINGS_COMPARED = 256;
const COMMENTS = new Set(['line_comment', 'block_comment']);
/** How deep, in nodes, the search for the node that holds an edit goes: the chunks are cut no deeper than 32 blocks, three or four nodes each. */
const DESCENT = 256;
/** Counts the levels `changedAround` walks down (tests bound it). */
export const damageStats = { levels: 0 };

/**
 * Where the edited old tree and the tree reparsed from it differ, found around `edited` (both trees
 * are in the new text's offsets): the deepest node that holds the edit in both, with the same type
 * and extent, and of its children those around the edit up to the first on each side that is the
 * same in both. Outside that, the trees agree: the text before is the same and was read in the same
 * way (the same node before it), and what follows a node of the same type, extent and ancestors is
 * read from the same parser state. `errors`: where the old tree's errors are (`errorsIn`).
 * `undefined` when more than `SIBLINGS_COMPARED` siblings on a side differ (an unclosed string
 * turns every line after it inside out), or an old error lies outside: ask tree-sitter then.
 */
export function changedAround(old: Tree, tree: Tree, text: string, edited: Damage, errors: Damage[] = old.rootNode.hasError ? [{ start: 0, end: text.length }] : []): Damage | undefined {
  const was = old.walk();
  const now = tree.walk();
  try {
    // A file that became an error as a whole, or stopped being one, changed as a whole; inside a
    // whole-file error, recovery regroups nodes as it likes.
    if (was.nodeType !== now.nodeType) return { start: 0, end: text.length };
    if (was.nodeType === 'ERROR') return undefined;
    // Down to the deepest node that holds the edit, strictly inside, in both trees alike; no deeper
    // than `DESCENT` (a reader cuts no finer than that, and each level costs microseconds).
    for (let depth = 0; depth < DESCENT; depth++) {
      damageStats.levels++;
      const down = firstChildFor(was, edited.start);
      const downNow = firstChildFor(now, edited.start);
      if (down && downNow && was.nodeType === now.nodeType && was.startIndex === now.startIndex && was.endIndex === now.endIndex && was.startIndex < edited.start && edited.end < was.endIndex) continue;
      if (down) was.gotoParent();
      if (downNow) now.gotoParent();
      break;
    }
    const outer = { start: now.startIndex, end: now.endIndex };
    const changed = { start: edited.start, end: edited.end };
    /**
     * Whether the children of both around `index` are the same and apart from the changed part:
     * before it, the child holding `index`, its last character of code; after it, the first child
     * to end past `index`, its end (a line comment ends with its line's end). Else `changed` grows
     * over them and `index`.
     */
    const alike = (index: number, after: boolean): boolean => {
      const found: { type: string; start: number; end: number }[] = [];
      for (const cursor of [was, now]) {
        if (!firstChildFor(cursor, index)) continue;
        found.push({ type: cursor.nodeType, start: cursor.startIndex, end: cursor.endIndex });
        cursor.gotoParent();
      }
      // No child ends past the changed part in either: nothing after it changed.
      if (after && found.length === 0) return true;
      const [a, b] = found;
      // A child that reaches into the changed part, or touches it, is changed itself whatever its
      // extent: a token deleted at a node's start leaves the node where it was.
      const apart = a && (after ? a.start > index : a.start <= index && a.end < changed.start);
      // A comment is no neighbour to stop at: it can stand anywhere, so it says nothing of the
      // parser's state (a variant typed above doc comments makes an error of the variant below them).
      if (b && apart && !COMMENTS.has(a.type) && a.type === b.type && a.start === b.start && a.end === b.end) return true;
      for (const f of found) {
        changed.start = Math.min(changed.start, f.start);
        changed.end = Math.max(changed.end, f.end);
      }
      changed.start = Math.min(changed.start, index);
      changed.end = Math.max(changed.end, after ? index : index + 1);
      return false;
    };
    // Out on both sides to a child the same in both; a side compared again once the other grew past it.
    for (let step = 0; step < SIBLINGS_COMPARED; step++) {
      let before = changed.start - 1;
      while (before >= outer.start && text.charCodeAt(before) <= 32) before--;
      const left = before < outer.start || alike(before, false);
      if (left && (changed.end >= outer.end || alike(changed.end, true))) {
        // Tree-sitter's error recovery weighs the errors of the whole file: an edit far above can
        // turn an old error into an item, or an item into one, whatever lies between. So every
        // error of the old tree must be in what changed (where the new tree's are then found too).
        return errors.every((e) => e.start >= changed.start && e.end <= changed.end) ? changed : undefined;
      }
    }
    return undefined;
  } finally {
    freeCursor(was);
    freeCursor(now);
  }
}

/**
 * The errors of `tree` (ERROR and MISSING nodes) that overlap `region`: found by descending only
 * into nodes that hold one, and only where they overlap the region (a few nodes for an edit's).
 */
export function errorsIn(tree: Tree, region: Damage): Damage[] {
  const found: Damage[] = [];
  // A stack, not recursion: an error can sit under 100,000 nested blocks.
  const stack: SyntaxNode[] = [tree.rootNode];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (!node.hasError) continue;
    if (node.type === 'ERROR' || node.isMissing) {
      found.push({ start: node.startIndex, end: node.endIndex });
      continue;
    }
    const cursor = node.walk();
    try {
      if (!firstChildFor(cursor, region.start)) continue;
      do {
        if (cursor.startIndex > region.end) break;
        stack.push(cursor.currentNode);
      } while (cursor.gotoNextSibling());
    } finally {
      freeCursor(cursor);
    }
  }
  return found;
}

/** `span` moved through `edit`; one that holds or touches the edit holds its new text. */
function moved(span: Damage, edit: Edit): Damage {
  const at = (i: number, end: boolean) =>
    i < edit.startIndex || (!end && i === edit.startIndex) ? i : i > edit.oldEndIndex || (end && i === edit.oldEndIndex) ? i + edit.newEndIndex - edit.oldEndIndex : end ? edit.newEndIndex : edit.startIndex;
  return { start: at(span.start, false), end: at(span.end, true) };
}

/** No tree to reparse from, and so no damage known: the next reading is a whole one. */
function dropTree(entry: Entry): void {
  releaseTree(entry.tree);
  entry.tree = undefined;
  entry.damage = undefined;
  entry.errors = undefined;
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
