/**
 * Call sites of the functions that leak on behalf of their callers. Looked up lazily, only for the
 * few functions that need it, in only the files whose text mentions the name.
 */
import { parseRust, SyntaxNode, Tree } from '../parsing/parser';
import { calleeLabel, execContext } from './context';
import { destinations } from './flow';
import { pathSegments } from './paths';
import { CallSite, FnRef } from './site';
import { SourceFile } from './source';

export interface CallSiteProvider {
  callSites(fn: FnRef): CallSite[];
}

/**
 * Cheap text test before parsing a file for calls of `fn`. Associated functions are only looked
 * for as `Type::name(`, `.name(`, or `Self::name(` in files that mention the type, so a leaking
 * `fn new` does not make every `Foo::new()` in the workspace a candidate. Compiled once per
 * function: the same test runs over every file of the workspace.
 */
const mentionTests = new Map<string, (text: string) => boolean>();

function mentionTest(fn: FnRef): (text: string) => boolean {
  const key = `${fn.implType ?? ''}::${fn.name}`;
  let test = mentionTests.get(key);
  if (!test) {
    const turbofish = '\\s*(::\\s*<[^;{]*>\\s*)?\\(';
    if (!fn.implType) {
      const free = new RegExp(`(^|[^.\\w])${fn.name}${turbofish}`, 'm');
      // `includes` first: a plain substring search rejects most files far faster than the regex.
      test = (text) => text.includes(fn.name) && free.test(text);
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

/** Whether `call` can be a call of `fn`: methods match `.name(`/`Type::name(`, free functions `name(`/`module::name(`. */
function callMatches(call: SyntaxNode, fn: FnRef): boolean {
  const f = call.childForFieldName('function');
  if (!f) return false;
  if (f.type === 'field_expression') return !!fn.implType && f.childForFieldName('field')?.text === fn.name;
  if (f.type !== 'identifier' && f.type !== 'scoped_identifier') return false;
  const segs = pathSegments(f);
  if (segs[segs.length - 1] !== fn.name) return false;
  const qualifier = segs[segs.length - 2];
  if (fn.implType) return qualifier === fn.implType || qualifier === 'Self';
  return qualifier === undefined || /^[a-z_]/.test(qualifier);
}

/**
 * A call written inside a macro's arguments (`println!("{}", handle(req))`): tree-sitter keeps
 * those as tokens, so the call shape is read from the token sequence — `name (…)`, `.name (…)`,
 * `Qualifier :: name (…)`. Its value is used by the macro, never discarded.
 */
function tokenCallMatches(name: SyntaxNode, fn: FnRef): boolean {
  if (name.text !== fn.name || name.parent?.type !== 'token_tree') return false;
  const args = name.nextSibling;
  if (args?.type !== 'token_tree' || !args.text.startsWith('(')) return false;
  const before = name.previousSibling;
  if (before?.type === '.') return !!fn.implType;
  if (before?.type === '::') {
    const qualifier = before.previousSibling?.text;
    return fn.implType ? qualifier === fn.implType || qualifier === 'Self' : !!qualifier && /^[a-z_]/.test(qualifier);
  }
  return !fn.implType;
}

/**
 * Calls of `fn` in document order: each place the name occurs in the text is looked up in the tree
 * (a handful of lookups instead of walking every call and identifier of the file). A call is
 * either a `call_expression` whose callee ends in the name, or the name followed by `(…)` inside
 * a macro's tokens.
 */
function candidateCalls(file: SourceFile, fn: FnRef): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const { text, root } = file;
  for (let i = text.indexOf(fn.name); i >= 0; i = text.indexOf(fn.name, i + fn.name.length)) {
    const node = root.descendantForIndex(i, i + fn.name.length);
    if ((node.type !== 'identifier' && node.type !== 'field_identifier') || node.startIndex !== i || node.endIndex !== i + fn.name.length) continue;
    if (node.parent?.type === 'token_tree') {
      if (tokenCallMatches(node, fn)) out.push(node);
      continue;
    }
    // name → `a::name` / `x.name` → `…::<T>` → the call whose callee that is.
    let callee = node;
    while (callee.parent && (callee.parent.type === 'scoped_identifier' || callee.parent.type === 'field_expression' || callee.parent.type === 'generic_function')) {
      callee = callee.parent;
    }
    const call = callee.parent;
    if (call?.type === 'call_expression' && call.childForFieldName('function')?.id === callee.id && callMatches(call, fn)) out.push(call);
  }
  return out;
}

export function findCallSites(path: string, text: string, fn: FnRef, tree?: Tree): CallSite[] {
  if (!mentionTest(fn)(text)) return [];
  const file = new SourceFile(path, text, tree ?? parseRust(text));
  const out: CallSite[] = [];
  for (const call of candidateCalls(file, fn)) {
    const ctx = execContext(call);
    const line = call.startPosition.row + 1;
    const inMacro = call.type === 'identifier';
    const label = `\`${inMacro ? call.text : calleeLabel(call)}()\` at ${path}:${line}`;
    const range = file.range(call);
    const dests = inMacro ? [] : destinations(file, call);
    const resultDiscarded = !inMacro && dests.every((d) => d.type === 'discarded' || d.type === 'unused');
    const at = { file: path, range, resultDiscarded };
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
  return out;
}

/** A provider that runs `search` once per function and remembers the answer. */
export function memoisedCallSites(search: (fn: FnRef) => CallSite[]): CallSiteProvider {
  const memo = new Map<string, CallSite[]>();
  return {
    callSites(fn) {
      const key = `${fn.implType ?? ''}::${fn.name}`;
      let sites = memo.get(key);
      if (!sites) {
        sites = search(fn);
        memo.set(key, sites);
      }
      return sites;
    },
  };
}

/** A provider over source texts held in memory (the CLI, tests). */
export function textCallSiteProvider(inputs: { path: string; text: string }[]): CallSiteProvider {
  return memoisedCallSites((fn) =>
    inputs.flatMap((input) => {
      try {
        return findCallSites(input.path, input.text, fn);
      } catch {
        // A file that cannot be parsed contributes no call sites; its own error is reported elsewhere.
        return [];
      }
    }),
  );
}
