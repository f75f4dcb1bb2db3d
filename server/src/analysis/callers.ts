/**
 * Call sites of the functions that leak on behalf of their callers. Looked up lazily, only for the
 * few functions that need it, in only the files whose text mentions the name.
 */
import { parseRust, releaseTree, Tree } from '../parsing/parser';
import { calleeLabel, execContext } from './context';
import { destinations } from './flow';
import { candidateCalls, isBareCall, moduleOfPath, namesakeInScope } from './resolution';
import { CallSite, FnRef } from './site';
import { SourceFile } from './source';

export interface CallSiteProvider {
  callSites(fn: FnRef): CallSite[];
  /**
   * Announces functions about to be asked for, so a provider can look for all of them in one pass
   * over the workspace's texts instead of one pass each. Answers must not change: only when work
   * is done may differ.
   */
  prefetch?(fns: readonly FnRef[]): void;
}

/** The identity of a function for call-site lookups (and their caches). */
export function fnKey(fn: { name: string; implType?: string }): string {
  return `${fn.implType ?? ''}::${fn.name}`;
}

/**
 * Cheap text test before parsing a file for calls of `fn`. Associated functions are only looked
 * for as `Type::name(`, `.name(`, or `Self::name(` in files that mention the type, so a leaking
 * `fn new` does not make every `Foo::new()` in the workspace a candidate. Compiled once per
 * function: the same test runs over every file of the workspace.
 */
const mentionTests = new Map<string, (text: string) => boolean>();

function mentionTest(fn: FnRef): (text: string) => boolean {
  const key = fnKey(fn);
  let test = mentionTests.get(key);
  if (!test) {
    const turbofish = '\\s*(::\\s*<[^;{]*>\\s*)?\\(';
    if (!fn.implType) {
      const free = new RegExp(`(^|[^.\\w])${fn.name}${turbofish}`, 'm');
      // Definitions too (`fn name<T>(` is no call): they tell which module a `module::name` is of.
      const defined = new RegExp(`\\bfn\\s+${fn.name}\\b`);
      // `includes` first: a plain substring search rejects most files far faster than the regex.
      test = (text) => text.includes(fn.name) && (free.test(text) || defined.test(text));
    } else {
      const implType = fn.implType;
      const qualified = new RegExp(`\\b${implType}::${fn.name}${turbofish}`);
      // `.name(` and `Self::name(` cannot be typed here; a file that never names the type is taken
      // not to call its methods (so `cell.init()` in one crate is not a call of `Builder::init`).
      const untyped = new RegExp(`\\bSelf::${fn.name}${turbofish}|\\.${fn.name}${turbofish}`);
      test = (text) => text.includes(fn.name) && (qualified.test(text) || (text.includes(implType) && untyped.test(text)));
    }
    if (mentionTests.size > 10_000) mentionTests.clear();
    mentionTests.set(key, test);
  }
  return test;
}

export function findCallSites(path: string, text: string, fn: FnRef, tree?: Tree): CallSite[] {
  return findCallSitesOfEach(path, text, [fn], tree)[0];
}

/**
 * The call sites of each of `fns` in one file (`result[i]` for `fns[i]`), parsing the file at most
 * once whatever the number of functions.
 */
export function findCallSitesOfEach(path: string, text: string, fns: readonly FnRef[], tree?: Tree): CallSite[][] {
  const mentioned = mentionsOf(text, fns);
  if (!mentioned.includes(true)) return fns.map(() => []);
  const file = new SourceFile(path, text, tree ?? parseRust(text));
  const found = fns.map((fn, i) => (mentioned[i] ? callSitesIn(file, fn) : []));
  // Call sites are plain data; a tree the caller handed over is the caller's to free.
  if (!tree) releaseTree(file.tree);
  return found;
}

/** Which of `fns` `text` may call (`result[i]` for `fns[i]`): a file that calls none of them is not parsed for their calls. */
export function mentionsOf(text: string, fns: readonly FnRef[]): boolean[] {
  const present = fns.length > 1 ? wholeWordsIn(text, fns) : undefined;
  return fns.map((fn) => (present === undefined || present(fn.name)) && mentionTest(fn)(text));
}

function callSitesIn(file: SourceFile, fn: FnRef): CallSite[] {
  const path = file.path;
  const out: CallSite[] = [];
  for (const call of candidateCalls(file, fn)) {
    const ctx = execContext(call);
    const line = call.startPosition.row + 1;
    const inMacro = call.type === 'identifier';
    const label = `\`${inMacro ? call.text : calleeLabel(call)}()\` at ${path}:${line}`;
    const range = file.range(call);
    const dests = inMacro ? [] : destinations(file, call);
    const resultDiscarded = !inMacro && dests.every((d) => d.type === 'discarded' || d.type === 'unused');
    const local = !fn.implType && isBareCall(call) ? namesakeInScope(call, fn.name) : undefined;
    const module = !fn.implType && !inMacro ? moduleOfPath(file, call) : undefined;
    const at = { file: path, range, resultDiscarded, ...(local && { resolvesTo: { file: path, line: local.startPosition.row + 1 } }), ...(module && { module }) };
    if (ctx.once) out.push({ ...at, context: 'once', label: `${label}, inside ${ctx.once.label}` });
    else if (ctx.repeat) out.push({ ...at, context: 'repeat', label: `${label}, inside ${ctx.repeat.label}` });
    else if (ctx.thread) out.push({ ...at, context: 'repeat', label: `${label}, inside ${ctx.thread.label} (the reference dies with it)` });
    else if (dests.some((d) => d.type === 'static')) out.push({ ...at, context: 'once', label: `${label}, stored into a static` });
    else if (ctx.fn?.isMain || ctx.fn?.isTest) out.push({ ...at, context: 'once', label: `${label}, in \`${ctx.fn.name}\`` });
    else if (ctx.fn) {
      const info = ctx.fn;
      out.push({ ...at, context: 'fn', label: `${label}, in \`${info.name}\``, caller: { name: info.name, implType: info.implType, file: path, line: info.node.startPosition.row + 1 } });
    } else out.push({ ...at, context: 'once', label });
  }
  if (!fn.implType) {
    const defined = file.root.namedChildren.find((c) => c.type === 'function_item' && c.childForFieldName('name')?.text === fn.name);
    if (defined) out.push({ file: path, range: file.range(defined), resultDiscarded: false, context: 'definition', label: `\`fn ${fn.name}\` at ${path}:${defined.startPosition.row + 1}` });
  }
  return out;
}


/**
 * Which of the functions' names occur in `text` where a call could name them: one regex pass for
 * all names, five times faster over the benchmark corpus than an `includes` per name. Every
 * place `mentionTest` accepts has a non-word character (or nothing) before the name, so no
 * match of another (all word-character) name can hide it, and the longest-first alternation picks
 * the name itself there or a longer name it is a prefix of, which `mentionTest` would reject.
 * Names with other characters (non-ASCII identifiers) are always taken as present.
 */
function wholeWordsIn(text: string, fns: readonly FnRef[]): (name: string) => boolean {
  const scan = nameScanner(fns);
  const found = new Set<string>();
  scan.regex.lastIndex = 0;
  for (let m = scan.regex.exec(text); m; m = scan.regex.exec(text)) found.add(m[0]);
  return (name) => found.has(name) || !scan.scanned.has(name);
}

let lastScanner: { key: string; regex: RegExp; scanned: Set<string> } | undefined;

/** The same batch of names runs over every file of a workspace: compile its regex once. */
function nameScanner(fns: readonly FnRef[]): { regex: RegExp; scanned: Set<string> } {
  const scanned = new Set(fns.map((f) => f.name).filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)));
  const names = [...scanned].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const key = names.join('|');
  if (lastScanner?.key !== key) {
    // A never-matching pattern when no name can be scanned: every name is then taken as present.
    lastScanner = { key, regex: new RegExp(names.length > 0 ? `\\b(?:${key})\\b` : '[^\\s\\S]', 'g'), scanned };
  }
  return lastScanner;
}

/** How much searching a provider did: one round per batch of functions looked up together. */
export interface SearchStats {
  rounds: number;
  functions: number;
  ms: number;
}

/**
 * A provider that looks each function up once, several at a time when asked to prefetch.
 * `searchEach(fns)` returns the call sites of each of `fns`, in order.
 */
export function memoisedCallSites(searchEach: (fns: FnRef[]) => CallSite[][], stats?: SearchStats): CallSiteProvider {
  const memo = new Map<string, CallSite[]>();
  const search = (fns: FnRef[]) => {
    const start = performance.now();
    const results = searchEach(fns);
    if (stats) {
      stats.rounds++;
      stats.functions += fns.length;
      stats.ms += performance.now() - start;
    }
    fns.forEach((fn, i) => memo.set(fnKey(fn), results[i]));
  };
  return {
    callSites(fn) {
      if (!memo.has(fnKey(fn))) search([fn]);
      return memo.get(fnKey(fn))!;
    },
    prefetch(fns) {
      const wanted = new Map<string, FnRef>();
      for (const fn of fns) if (!memo.has(fnKey(fn))) wanted.set(fnKey(fn), fn);
      if (wanted.size > 0) search([...wanted.values()]);
    },
  };
}

export function textCallSiteProvider(inputs: { path: string; text: string }[], stats?: SearchStats): CallSiteProvider {
  return memoisedCallSites((fns) => {
    const perFn: CallSite[][] = fns.map(() => []);
    for (const input of inputs) {
      let found: CallSite[][];
      try {
        found = findCallSitesOfEach(input.path, input.text, fns);
      } catch {
        // A file that cannot be parsed contributes no call sites; its own error is reported elsewhere.
        continue;
      }
      found.forEach((sites, i) => perFn[i].push(...sites));
    }
    return perFn;
  }, stats);
}
