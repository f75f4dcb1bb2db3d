/**
 * What a `check` run keeps between its phases, in as little memory as plain data allows: every
 * file's facts until the classification, every finding until the report. A dense file's sites
 * are the bulk of it (a finding each), and the run keeps all of them at once: 4,300 leak
 * statements in a function kept 516 bytes per site as the rules built them, beside 186 per
 * finding, which thirty such files (3.6 MB) took past the memory bound of 20 times the input plus
 * 100 MB. Here, each kept string is one flat copy, shared where it repeats, and each site a fresh
 * object of its own fields only.
 */
import type { FileFacts } from '../analysis/engine';
import type { Site } from '../analysis/site';
import type { Finding, Position, RelatedLocation } from '../../../shared/src/findings';

/** One copy of each string: a file's repeated messages, reasons and paths, or a run's findings' messages. */
export class SharedStrings {
  private readonly seen = new Map<string, string>();

  share(s: string): string {
    const kept = this.seen.get(s);
    if (kept !== undefined) return kept;
    // The rules build a site's message and reasons by concatenation: a tree of pieces (a cons
    // string of some 190 bytes for a 49-character reason), until V8 flattens it, as reading it
    // as a number does. Then the pieces are garbage, and the string is 64 bytes. Only the copy
    // kept: flattening the others would allocate for nothing (looking one up does not).
    Number(s);
    this.seen.set(s, s);
    return s;
  }
}

/**
 * Nothing changes a site or a finding once it is built (the language server's memo relies on it
 * too): lists of equal content and the final decisions, one per kind, can be shared.
 * Frozen, so that code that did change one would fail loudly rather than change them all.
 */
const NO_RELATED: RelatedLocation[] = Object.freeze([]) as unknown as RelatedLocation[];
const FINAL = new Map<string, Site['decision']>();

function finalDecision(decision: Site['decision']): Site['decision'] {
  if (decision.type !== 'final' || Object.keys(decision).length !== 2) return decision;
  let kept = FINAL.get(decision.kind);
  if (!kept) FINAL.set(decision.kind, (kept = Object.freeze({ type: 'final', kind: decision.kind })));
  return kept;
}

const position = (p: Position): Position => ({ line: p.line, character: p.character });

/**
 * One frozen copy of each list of equal content, by a key of its items: the sites of one rule in a
 * file often say the same reasons and point at the same declaration (every reference to one
 * `static mut`: 544 bytes a site with a list of each, 212 of them the related location alone).
 */
class SharedLists<T> {
  private readonly seen = new Map<string, T[]>();

  constructor(private readonly key: (item: T) => string) {}

  share(list: T[]): T[] {
    if (list.length === 0) return NO_RELATED as unknown as T[];
    const key = list.map(this.key).join('\u0000');
    const kept = this.seen.get(key);
    if (kept !== undefined) return kept;
    const frozen = Object.freeze(list) as T[];
    this.seen.set(key, frozen);
    return frozen;
  }
}

const relatedKey = (r: RelatedLocation) => `${r.file}\u0001${r.message}\u0001${r.range.start.line},${r.range.start.character},${r.range.end.line},${r.range.end.character}`;
const sharedRelated = () => new SharedLists<RelatedLocation>(relatedKey);
const sharedReasons = () => new SharedLists<string>((r) => r);

/** `facts`, its sites rebuilt compact (they are the file's own: the caller gives them up). */
export function compactFacts(facts: FileFacts): FileFacts {
  const strings = new SharedStrings();
  const reasons = sharedReasons();
  const related = sharedRelated();
  facts.sites = facts.sites.map((site) => {
    const kept: Site = {
      rule: site.rule,
      range: { start: position(site.range.start), end: position(site.range.end) },
      message: strings.share(site.message),
      decision: finalDecision(site.decision),
      reasons: reasons.share(site.reasons.map((r) => strings.share(r))),
      related: related.share(site.related.map((r) => ({ file: strings.share(r.file), range: { start: position(r.range.start), end: position(r.range.end) }, message: strings.share(r.message) }))),
    };
    if (site.unlessUserMethod !== undefined) kept.unlessUserMethod = site.unlessUserMethod;
    if (site.recovered) kept.recovered = true;
    return kept;
  });
  return facts;
}

/**
 * The findings, for the report: the classification spells each message anew (a kind's title
 * before the site's message), and copies each list of related locations.
 */
export function compactFindings(findings: Finding[], strings = new SharedStrings()): Finding[] {
  const reasons = sharedReasons();
  const related = sharedRelated();
  for (const f of findings) {
    f.message = strings.share(f.message);
    f.reasons = reasons.share(f.reasons);
    f.related = related.share(f.related);
  }
  return findings;
}
