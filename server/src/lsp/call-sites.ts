/**
 * Call sites of the functions the cross-file pass asks about (`CallSiteProvider`), cached per
 * function and per file so that classifying the workspace again after an edit costs no disk reads
 * and no parsing of unchanged files.
 *
 * The cache is exact, not heuristic: whenever a file's text changes (an edit, a watched change, the
 * scan reading it) its call sites of every function asked about so far are recomputed from that
 * text, and a file that goes away is dropped. A function asked about for the first time is looked up
 * in every file of the folder once (open documents from their live tree, closed files from disk,
 * which are only parsed when the text mentions one of the functions). Results are concatenated
 * in the workspace's file order, as `textCallSiteProvider` does over the same files.
 */
import { CallSiteProvider } from '../analysis/engine';
import { findCallSitesOfEach, fnKey, mentionsOf } from '../analysis/callers';
import { CallSite, FnRef } from '../analysis/site';
import { Tree } from '../parsing/parser';
import { sameData } from './diagnostics';

/** Where the text (and, for open documents, the tree) of a file comes from on a cache miss. */
export interface SourceLoader {
  /** The folder's files in classification order. */
  uris(): Iterable<string>;
  /**
   * `unparsed`: an open document kept without a tree (lsp/input-limits.ts, `admission`), which must
   * not be parsed here, unchecked: one that may call a function asked about is handed to
   * `wantsTree` instead, whose analysis with a tree (or refusal) then updates its call sites.
   */
  load(uri: string): { text: string; tree?: Tree; unparsed?: true } | undefined;
  wantsTree(uri: string): void;
}

interface FnEntry {
  fn: { name: string; implType?: string };
  /** Only files with at least one call site. */
  perFile: Map<string, CallSite[]>;
  /** The concatenation in file order; dropped whenever `perFile` changes. */
  all?: CallSite[];
}

export class CallSiteCache {
  private readonly fns = new Map<string, FnEntry>();
  /** Counts full lookups (every file of the folder) and per-file updates; tests and logs read it. */
  readonly stats = { lookups: 0, fileUpdates: 0 };

  constructor(
    private readonly loader: SourceLoader,
    private readonly onError: (message: string, e: unknown) => void,
  ) {}

  /** How many functions are cached (each adds to the call-site search of every changed file). */
  get size(): number {
    return this.fns.size;
  }

  /**
   * The text of `uri` is now `text`: recompute its call sites of every cached function. Returns
   * whether any of them differs from before.
   */
  update(uri: string, text: string, tree?: Tree): boolean {
    const entries = [...this.fns.values()];
    if (entries.length === 0) return false;
    this.stats.fileUpdates += entries.length;
    const found = this.find(uri, text, entries.map((e) => e.fn), tree);
    let moved = false;
    entries.forEach((entry, i) => {
      const sites = found[i];
      const had = entry.perFile.get(uri);
      if (sites.length > 0) entry.perFile.set(uri, sites);
      else entry.perFile.delete(uri);
      if (!sameData(had ?? [], sites)) {
        entry.all = undefined;
        moved = true;
      }
    });
    return moved;
  }

  /**
   * Whether `text` may call one of the functions asked about so far: only then does `update`
   * without a tree parse it (a file analysed from its text alone needs its tree for nothing else).
   */
  mayCallAny(text: string): boolean {
    return this.mayCall(text, [...this.fns.values()]);
  }

  private mayCall(text: string, entries: FnEntry[]): boolean {
    return entries.length > 0 && mentionsOf(text, entries.map((e) => ({ ...e.fn, file: '', line: 0 }))).includes(true);
  }

  /** `uri` is no longer part of the folder. */
  remove(uri: string): void {
    for (const entry of this.fns.values()) {
      if (entry.perFile.delete(uri)) entry.all = undefined;
    }
  }

  clear(): void {
    this.fns.clear();
  }

  callSites(fn: FnRef): CallSite[] {
    this.prefetch([fn]);
    const entry = this.fns.get(fnKey(fn))!;
    if (!entry.all) {
      const all: CallSite[] = [];
      if (entry.perFile.size > 0) {
        for (const uri of this.loader.uris()) {
          const sites = entry.perFile.get(uri);
          if (sites) all.push(...sites);
        }
      }
      entry.all = all;
    }
    return entry.all;
  }

  /** Looks up every function not cached yet in one pass over the folder's files. */
  prefetch(fns: readonly FnRef[]): void {
    const fresh = new Map<string, FnEntry>();
    for (const fn of fns) {
      const key = fnKey(fn);
      if (!this.fns.has(key) && !fresh.has(key)) fresh.set(key, { fn: { name: fn.name, implType: fn.implType }, perFile: new Map() });
    }
    if (fresh.size === 0) return;
    const entries = [...fresh.values()];
    this.stats.lookups += entries.length;
    for (const uri of this.loader.uris()) {
      const source = this.loader.load(uri);
      if (!source) continue;
      if (source.unparsed && this.mayCall(source.text, entries)) {
        this.loader.wantsTree(uri);
        continue;
      }
      const found = this.find(uri, source.text, entries.map((e) => e.fn), source.tree);
      entries.forEach((entry, i) => {
        if (found[i].length > 0) entry.perFile.set(uri, found[i]);
      });
    }
    for (const [key, entry] of fresh) this.fns.set(key, entry);
  }

  provider(): CallSiteProvider {
    return { callSites: (fn) => this.callSites(fn), prefetch: (fns) => this.prefetch(fns) };
  }

  private find(uri: string, text: string, fns: FnEntry['fn'][], tree: Tree | undefined): CallSite[][] {
    try {
      return findCallSitesOfEach(uri, text, fns.map((fn) => ({ ...fn, file: uri, line: 0 })), tree);
    } catch (e) {
      this.onError(`looking for callers of ${fns.map((fn) => fn.name).join(', ')} in ${uri} failed`, e);
      return fns.map(() => []);
    }
  }
}
