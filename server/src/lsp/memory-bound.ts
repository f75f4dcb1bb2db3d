/**
 * The language server's side of Leak Lens's memory bound: a peak resident size of at most 20
 * bytes per character of its input (the files it analysed: open documents and files read from
 * disk) plus 100 MB.
 *
 * What the analysis of an open document keeps is held to that by its allowance (input-limits.ts).
 * What it leaves behind is not: each keystroke drops the previous syntax tree (native memory V8
 * does not see, freed only once its JavaScript object is collected) and the previous reading's
 * facts and findings, and V8 sees no reason to collect before the next keystroke builds the same
 * again (20 edits of an open document of 4,000 leak statements: 97 MB after it opened, 192 MB after
 * the edits, against 102). So after each analysis of open documents the resident size is read
 * (a few microseconds), and once it is within `MARGIN` of the bound, a full collection frees what
 * was dropped — if anything was: the resident size grew `STEP` since the last collection, or the
 * trees the analyses since then replaced hold that much. Freed memory stays resident (the
 * allocator keeps it for the next trees), so the size alone would call for a collection on every
 * keystroke once it is high, freeing nothing. Documents far below the bound (real code, and any
 * document in a workspace whose files make the bound large) never pay for one; one near its
 * allowance pays a full collection on every keystroke or two (10 in 20 edits of 1,388 leak
 * statements, 25 ms each).
 */
import { AnalysisCosts, BOUND_BASE, BOUND_PER_CHAR, SERVER_COSTS } from '../parsing/tree-budget';
import { freeDroppedTrees } from '../parsing/tree-memory';

const MB = 1024 * 1024;
/**
 * How far below the bound the resident size may be before dropped memory is freed: what one more
 * analysis of a document at its allowance can add before the next check (its new tree and the
 * garbage of its reading).
 */
const MARGIN = 16 * MB;
/** Growth since the last collection below which another would free too little to be worth it. */
const STEP = 2 * MB;

/** Native memory of a dropped tree per node, at least (tree-sitter's nodes take 70 to 230 bytes). */
const DROPPED_BYTES_PER_NODE = 70;

/**
 * What an analysed file keeps beyond its share of the bound, per node of a tree kept (an open
 * document's) and per site (its facts and findings), and the share per character it is held
 * against: real code (0.2 to 0.4 nodes per character, few sites) keeps less than that share, a
 * dense document at its allowance about 4.7 MB more (1,388 leak statements; five of them open at
 * once peaked at 115 MB against 104 before this was counted).
 */
const KEPT_PER_NODE = 100;
const KEPT_PER_SITE = 2_600;
const SHARE_PER_CHAR = 40;
/** Headroom a file's analysis has whatever the others keep: real files of 100 KB still fit. */
const MIN_HEADROOM = 2 * MB;

/** Counts the collections `collect` ran: tests bound them. */
export const memoryBoundStats = { collections: 0 };

export class MemoryBound {
  private readonly chars = new Map<string, number>();
  private total = 0;
  /** What each analysed file keeps beyond its share (`KEPT_PER_NODE`…), where it keeps more. */
  private readonly excess = new Map<string, number>();
  private excessTotal = 0;
  private afterCollection = 0;
  /** Nodes of the trees dropped since the last collection (at most those of the trees analysed). */
  private dropped = 0;

  /** `base`: what the bound allows whatever the input (tests lower it). */
  constructor(private readonly base = BOUND_BASE) {}

  /** `uri` is analysed: `chars` characters, keeping a tree of `nodes` nodes (none for a closed file) and `sites` sites. */
  holds(uri: string, chars: number, nodes: number, sites: number): void {
    this.total += chars - (this.chars.get(uri) ?? 0);
    this.chars.set(uri, chars);
    const excess = Math.max(0, KEPT_PER_NODE * nodes + KEPT_PER_SITE * sites - SHARE_PER_CHAR * chars);
    this.excessTotal += excess - (this.excess.get(uri) ?? 0);
    if (excess > 0) this.excess.set(uri, excess);
    else this.excess.delete(uri);
  }

  forget(uri: string): void {
    this.total -= this.chars.get(uri) ?? 0;
    this.chars.delete(uri);
    this.excessTotal -= this.excess.get(uri) ?? 0;
    this.excess.delete(uri);
  }

  /**
   * The costs `uri`'s analysis is allowed beside what the other analysed files keep: the server's
   * headroom is one for all of them (a dense document's allowance is smaller while another is open).
   */
  costsFor(uri: string): AnalysisCosts {
    const others = this.excessTotal - (this.excess.get(uri) ?? 0);
    return others > 0 ? { ...SERVER_COSTS, headroom: Math.max(MIN_HEADROOM, SERVER_COSTS.headroom - others) } : SERVER_COSTS;
  }

  /** The bound for the input held now, in bytes. */
  bytes(): number {
    return this.base + BOUND_PER_CHAR * this.total;
  }

  /** An open document's tree of `nodes` nodes is read: the one it replaced, if any, is dropped. */
  analysed(nodes: number): void {
    this.dropped += nodes;
  }

  /** Whether what the last analyses dropped must be freed (`collect`) now, the bound being near. */
  nearBound(): boolean {
    const rss = globalThis.process?.memoryUsage?.rss;
    if (!rss) return false;
    const now = rss();
    return now >= this.bytes() - MARGIN && (now >= this.afterCollection + STEP || this.dropped * DROPPED_BYTES_PER_NODE >= STEP);
  }

  async collect(): Promise<void> {
    await freeDroppedTrees();
    memoryBoundStats.collections++;
    this.dropped = 0;
    this.afterCollection = globalThis.process.memoryUsage.rss();
  }
}
