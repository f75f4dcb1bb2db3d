/**
 * Phase two: turns every file's sites into findings, resolving what needs the whole workspace
 * (reclaims in other files, callers of leaking functions) and applying the user's settings.
 */
import { KIND_TITLES, defaultSeverity, messageStartsWithKind } from '../../../shared/src/catalog';
import { Finding, Kind, RelatedLocation, SEVERITIES, atLeast } from '../../../shared/src/findings';
import { LeakLensSettings, applyLevel } from '../../../shared/src/settings';
import { CallSiteProvider } from './callers';
import { moduleNameOf } from './resolution';
import { FileFacts } from './facts';
import { CycleGraph } from './cycles/graph';
import { resolveRcCycle } from './rules/rc-cycle';
import { familyMatches } from './reclaims';
import { CallSite, FnRef, Reclaim, Site } from './site';
import { isSuppressed } from './suppress';

interface Resolved {
  kind: Kind;
  /** Replaces the site's message when the workspace words it (the loop a type edge closes). */
  message?: string;
  /** Appended to the site's message once the workspace has decided (", which runs once"). */
  suffix?: string;
  reasons: string[];
  related: RelatedLocation[];
}

type Repetition =
  | { type: 'repeat'; site: CallSite; chain: string[] }
  | { type: 'once'; site: CallSite; chain: string[] }
  | { type: 'unknown'; why: string };

const MAX_CALLER_DEPTH = 4;

class WorkspaceIndex {
  private readonly reclaims = new Map<string, { file: string; reclaim: Reclaim }[]>();
  readonly userMethods = new Set<string>();
  private readonly repetitions = new Map<string, Repetition>();
  readonly cycles: CycleGraph;

  constructor(facts: FileFacts[], private readonly callers: CallSiteProvider) {
    this.cycles = new CycleGraph(facts);
    for (const f of facts) {
      for (const r of f.reclaims) {
        const list = this.reclaims.get(r.family) ?? [];
        list.push({ file: f.path, reclaim: r });
        this.reclaims.set(r.family, list);
      }
      for (const m of f.definedMethods) this.userMethods.add(m);
    }
  }

  /** The nearest reclaim of `family`: same file first, then anywhere. */
  reclaimFor(family: string, file: string): { file: string; reclaim: Reclaim } | undefined {
    const candidates = family.startsWith('*')
      ? [...this.reclaims.entries()].filter(([k]) => familyMatches(family, k)).flatMap(([, v]) => v)
      : this.reclaims.get(family) ?? [];
    // Same file first, then the first by path and position: stable whatever order files came in.
    const inFile = candidates.filter((c) => c.file === file);
    const pool = inFile.length ? inFile : candidates;
    return [...pool].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.reclaim.range.start.line - b.reclaim.range.start.line || a.reclaim.range.start.character - b.reclaim.range.start.character)[0];
  }

  /**
   * Calls of `fn` itself. The provider finds calls by name: a bare call may be of its own module's
   * namesake, and `module::name(…)` of the `fn name` that a file of that module defines, when
   * `fn`'s file is not of that module. (A module that only re-exports the name defines nothing, so
   * its calls are kept.)
   */
  callSites(fn: FnRef): CallSite[] {
    const found = this.callers.callSites(fn);
    const own = moduleNameOf(fn.file);
    const definers = new Set(found.filter((s) => s.context === 'definition' && s.file !== fn.file).map((s) => moduleNameOf(s.file)));
    return found.filter((s) => {
      if (s.context === 'definition') return false;
      if (s.resolvesTo) return s.resolvesTo.file === fn.file && s.resolvesTo.line === fn.line;
      return !s.module || s.module === own || !definers.has(s.module);
    });
  }

  /** How often `fn` runs, judged from its call sites and, for plain callers, theirs. */
  repetition(fn: FnRef, depth = 0, seen = new Set<string>()): Repetition {
    const key = `${fn.file}:${fn.implType ?? ''}::${fn.name}`;
    // Only whole-depth answers are cached, and only read at depth 0, so the answer for a function
    // never depends on which site asked first.
    const cached = depth === 0 ? this.repetitions.get(key) : undefined;
    if (cached) return cached;
    if (seen.has(key)) return { type: 'unknown', why: `\`${fn.name}\` is recursive` };
    seen.add(key);
    const result = this.computeRepetition(fn, depth, seen);
    if (depth === 0) this.repetitions.set(key, result);
    return result;
  }

  private computeRepetition(fn: FnRef, depth: number, seen: Set<string>): Repetition {
    const sites = this.callSites(fn);
    if (sites.length === 0) return { type: 'unknown', why: `no call of \`${fn.name}\` was found in the workspace` };
    const repeat = sites.find((s) => s.context === 'repeat');
    if (repeat) return { type: 'repeat', site: repeat, chain: [] };
    // The callers the loop below may climb to, looked up together.
    if (depth + 1 < MAX_CALLER_DEPTH) this.callers.prefetch?.(sites.flatMap((s) => (s.context === 'fn' && s.caller ? [s.caller] : [])));
    let unknown: Repetition | undefined;
    for (const s of sites) {
      if (s.context !== 'fn' || !s.caller) continue;
      if (depth + 1 >= MAX_CALLER_DEPTH) {
        unknown ??= { type: 'unknown', why: `the call chain above \`${fn.name}\` is deeper than ${MAX_CALLER_DEPTH} calls` };
        continue;
      }
      const up = this.repetition(s.caller, depth + 1, seen);
      if (up.type === 'repeat') return { type: 'repeat', site: up.site, chain: [s.label, ...up.chain] };
      if (up.type === 'unknown') unknown ??= { type: 'unknown', why: `${s.label}: ${up.why}` };
    }
    if (unknown) return unknown;
    const once = sites.find((s) => s.context === 'once') ?? sites[0];
    return { type: 'once', site: once, chain: sites.filter((s) => s.context === 'fn').map((s) => s.label) };
  }
}

function resolve(site: Site, file: string, index: WorkspaceIndex): Resolved | undefined {
  const d = site.decision;
  const related = [...site.related];
  switch (d.type) {
    case 'cycle':
      return resolveRcCycle(site, file, index.cycles);
    case 'final':
      return { kind: d.kind, reasons: site.reasons, related };
    case 'reclaim': {
      const found = index.reclaimFor(d.family, file);
      if (!found) return { kind: d.fallback, reasons: [...site.reasons, d.fallbackReason], related };
      const kind = d.found ?? 'reclaimed';
      const where = found.file === file ? `line ${found.reclaim.range.start.line + 1}` : `${found.file}:${found.reclaim.range.start.line + 1}`;
      related.push({ file: found.file, range: found.reclaim.range, message: `reclaimed by \`${found.reclaim.label}\`` });
      return {
        kind,
        reasons: [...site.reasons, `handed back by \`${found.reclaim.label}\` at ${where}${found.file === file ? '' : ' (another file)'}`, 'pairing is by pointer type: Leak Lens does not follow the pointer value across functions'],
        related,
      };
    }
    case 'callers': {
      const rep = index.repetition(d.fn);
      // A caller that throws the returned reference away loses the memory right there.
      const discarded = d.returned && rep.type !== 'repeat' ? index.callSites(d.fn).find((s) => s.resultDiscarded) : undefined;
      if (discarded) {
        related.push({ file: discarded.file, range: discarded.range, message: 'the returned reference is discarded here' });
        return { kind: 'real-leak', suffix: ', and a caller discards it', reasons: [...site.reasons, `${discarded.label} throws the returned reference away`, 'nothing can reach the memory afterwards'], related };
      }
      if (rep.type === 'repeat') {
        related.push({ file: rep.site.file, range: rep.site.range, message: 'called repeatedly from here' });
        const via = rep.chain.length ? ` via ${rep.chain.join(' ← ')}` : '';
        return { kind: 'real-leak', suffix: ', which runs repeatedly', reasons: [...site.reasons, `\`${d.fn.name}\` runs repeatedly: ${rep.site.label}${via}`, 'each call leaks a new allocation'], related };
      }
      if (rep.type === 'once') {
        related.push({ file: rep.site.file, range: rep.site.range, message: 'the call that runs once' });
        return { kind: 'intentional-static', suffix: ', which runs once', reasons: [...site.reasons, `\`${d.fn.name}\` runs once: ${rep.site.label}`, 'the leaked value is kept for the life of the program'], related };
      }
      return {
        kind: 'intentional-static',
        reasons: [...site.reasons, `cannot decide how often \`${d.fn.name}\` runs: ${rep.why}`, 'assuming it runs once; if it runs per call or per request, this is a real leak'],
        related,
      };
    }
  }
}

export function classifyWorkspace(facts: FileFacts[], callers: CallSiteProvider, settings: LeakLensSettings): Finding[] {
  const index = new WorkspaceIndex(facts, callers);
  const reported = facts.flatMap((f) =>
    f.sites
      .filter((site) => !(site.unlessUserMethod && index.userMethods.has(site.unlessUserMethod)))
      .filter((site) => !isSuppressed(f.suppressions, site.range.start.line, site.rule))
      .filter((site) => settings.rules[site.rule] !== 'allow')
      .map((site) => ({ f, site })),
  );
  // Every function whose callers decide a finding, looked up in one pass over the workspace.
  callers.prefetch?.(reported.flatMap(({ site }) => (site.decision.type === 'callers' ? [site.decision.fn] : [])));
  const findings: Finding[] = [];
  for (const { f, site } of reported) {
    const level = settings.rules[site.rule];
    const resolved = resolve(site, f.path, index);
    if (!resolved) continue;
    const severity = applyLevel(level, defaultSeverity(site.rule, resolved.kind));
    if (!severity || !atLeast(severity, settings.minimumSeverity ?? SEVERITIES[SEVERITIES.length - 1])) continue;
    const reasons = f.hasSyntaxErrors ? [...resolved.reasons, 'the file has syntax errors; this was analyzed from tree-sitter\'s error recovery'] : resolved.reasons;
    findings.push({
      file: f.path,
      range: site.range,
      rule: site.rule,
      kind: resolved.kind,
      severity,
      message: messageStartsWithKind(site.rule) ? `${KIND_TITLES[resolved.kind]}: ${resolved.message ?? site.message}${resolved.suffix ?? ''}` : site.message,
      reasons,
      related: resolved.related,
    });
  }
  return findings;
}
