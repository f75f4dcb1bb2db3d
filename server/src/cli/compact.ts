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
 * too): the empty list of related locations and the final decisions, one per kind, can be shared.
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

function related(list: RelatedLocation[], strings: SharedStrings): RelatedLocation[] {
  return list.length === 0 ? NO_RELATED : list.map((r) => ({ file: strings.share(r.file), range: r.range, message: strings.share(r.message) }));
}

/** `facts`, its sites rebuilt compact (they are the file's own: the caller gives them up). */
export function compactFacts(facts: FileFacts): FileFacts {
  const strings = new SharedStrings();
  facts.sites = facts.sites.map((site) => {
    const kept: Site = {
      rule: site.rule,
      range: { start: position(site.range.start), end: position(site.range.end) },
      message: strings.share(site.message),
      decision: finalDecision(site.decision),
      reasons: site.reasons.map((r) => strings.share(r)),
      related: related(site.related, strings),
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
  for (const f of findings) {
    f.message = strings.share(f.message);
    if (f.related.length === 0) f.related = NO_RELATED;
  }
  return findings;
}
