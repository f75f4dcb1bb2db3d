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
import { OwnerIndex, RunsHow } from './owners';
import { CallSite, FnRef, Site } from './site';
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
  readonly owners: OwnerIndex;
  private readonly repetitions = new Map<string, Repetition>();
  readonly cycles: CycleGraph;

  constructor(facts: FileFacts[], private readonly callers: CallSiteProvider) {
    this.owners = new OwnerIndex(facts.map((f) => ({ path: f.path, owners: f.owners })));
    this.cycles = new CycleGraph(facts);
  }

  /** How often `fn` runs, in the owner model's words. */
  runs(fn: FnRef): RunsHow {
    const rep = this.repetition(fn);
    if (rep.type === 'unknown') return { type: 'unknown', label: `cannot decide how often \`${fn.name}\` runs: ${rep.why}` };
    const via = rep.chain.length ? ` via ${rep.chain.join(' ← ')}` : '';
    const related = { file: rep.site.file, range: rep.site.range, message: rep.type === 'repeat' ? 'called repeatedly from here' : 'the call that runs once' };
    return { type: rep.type, label: `\`${fn.name}\` runs ${rep.type === 'repeat' ? 'repeatedly' : 'once'}: ${rep.site.label}${rep.type === 'repeat' ? via : ''}`, related };
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

function resolve(site: Site, file: string, standalone: boolean, index: WorkspaceIndex): Resolved | undefined {
  const d = site.decision;
  const related = [...site.related];
  switch (d.type) {
    case 'cycle':
      return resolveRcCycle(site, file, index.cycles);
    case 'final':
      return { kind: d.kind, reasons: site.reasons, related };
    case 'owner': {
      const answer = index.owners.resolve(d.question, file, standalone, { runs: (fn) => index.runs(fn) });
      return { kind: answer.kind, suffix: answer.suffix, reasons: [...site.reasons, ...answer.reasons], related: [...related, ...answer.related] };
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
      if (d.perInstance) {
        return { kind: 'real-leak', suffix: ', once per value', reasons: [...site.reasons, `cannot find the callers of \`${d.fn.name}\` (${rep.why})`, d.perInstance, 'only a value kept in a static, or code that provably runs once, makes a leak an intentional static'], related };
      }
      return {
        kind: 'intentional-static',
        reasons: [...site.reasons, `cannot decide how often \`${d.fn.name}\` runs: ${rep.why}`, 'assuming it runs once; if it runs per call or per request, this is a real leak'],
        related,
      };
    }
  }
}

/** The functions whose call sites decide `d`. */
function callersAsked(d: Site['decision']): FnRef[] {
  if (d.type === 'callers') return [d.fn];
  // A pointer handed to a workspace function needs its callers only if that function gives it to
  // foreign code, which is rare: those are looked up when asked, not announced.
  if (d.type !== 'owner' || d.question.owner.type !== 'foreign') return [];
  return d.question.fn ? [d.question.fn] : [];
}

/**
 * Findings already classified, by site (`null`: the site yields none), for a caller that knows
 * nothing but the sites has changed since: the language server, between keystrokes in one
 * document, starts a new memo whenever anything else a finding depends on does.
 */
export type ClassifyMemo = WeakMap<Site, Finding | null>;

export function classifyWorkspace(facts: FileFacts[], callers: CallSiteProvider, settings: LeakLensSettings, memo?: ClassifyMemo): Finding[] {
  // Built only if a site is classified anew: a keystroke's memo holds nearly every site.
  let built: WorkspaceIndex | undefined;
  const index = () => (built ??= new WorkspaceIndex(facts, callers));
  let userMethods: Set<string> | undefined;
  const userDefines = (method: string) => (userMethods ??= new Set(facts.flatMap((f) => f.definedMethods))).has(method);
  const reported: { f: FileFacts; site: Site }[] = [];
  const asked: FnRef[] = [];
  for (const f of facts) {
    for (const site of f.sites) {
      if (site.unlessUserMethod && userDefines(site.unlessUserMethod)) continue;
      if (isSuppressed(f.suppressions, site.range.start.line, site.rule) || settings.rules[site.rule] === 'allow') continue;
      reported.push({ f, site });
      // Every function whose callers decide a finding, looked up in one pass over the workspace.
      if (!memo?.has(site)) asked.push(...callersAsked(site.decision));
    }
  }
  callers.prefetch?.(asked);
  const findings: Finding[] = [];
  for (const { f, site } of reported) {
    let finding = memo?.get(site);
    if (finding === undefined) {
      finding = classifySite(f, site, settings, index());
      memo?.set(site, finding);
    }
    if (finding) findings.push(finding);
  }
  return findings;
}

function classifySite(f: FileFacts, site: Site, settings: LeakLensSettings, index: WorkspaceIndex): Finding | null {
  const level = settings.rules[site.rule];
  const resolved = resolve(site, f.path, f.owners.standalone, index);
  if (!resolved) return null;
  const severity = applyLevel(level, defaultSeverity(site.rule, resolved.kind));
  if (!severity || !atLeast(severity, settings.minimumSeverity ?? SEVERITIES[SEVERITIES.length - 1])) return null;
  const reasons = site.recovered ? [...resolved.reasons, 'the code around it has a syntax error; this was analyzed from tree-sitter\'s error recovery'] : resolved.reasons;
  return {
    file: f.path,
    range: site.range,
    rule: site.rule,
    kind: resolved.kind,
    severity,
    message: messageStartsWithKind(site.rule) ? `${KIND_TITLES[resolved.kind]}: ${resolved.message ?? site.message}${resolved.suffix ?? ''}` : site.message,
    reasons,
    related: resolved.related,
  };
}
