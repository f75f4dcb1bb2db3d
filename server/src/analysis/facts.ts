/**
 * Phase one: everything the engine learns from a single file, as plain data.
 */
import { parseRust, Tree } from '../parsing/parser';
import { siteCaptures } from './queries';
import { collectReclaim } from './reclaims';
import { boxLeakAsValue, boxLeakFromMethod, boxLeakFromPath } from './rules/box-leak';
import { intoRawFromMethod, intoRawFromPath } from './rules/into-raw';
import { lazyMacro, lazyStatic } from './rules/lazy-global';
import { manuallyDrop } from './rules/manually-drop';
import { memForget } from './rules/mem-forget';
import { onceStaticMut } from './rules/once-static-mut';
import { rawAlloc } from './rules/raw-alloc';
import { rcCycles } from './rules/rc-cycle';
import { CycleFacts, emptyCycleFacts } from './cycles/model';
import { Work } from './cycles/types';
import { sharedToMutCast } from './rules/shared-to-mut-cast';
import { staticMutItem, staticMutReferences } from './rules/static-mut';
import { Reclaim, Site } from './site';
import { SourceFile } from './source';
import { Suppressions, parseSuppressions } from './suppress';

export interface FileFacts {
  path: string;
  sites: Site[];
  reclaims: Reclaim[];
  /** Methods named like a leaking std API that this file defines itself (`fn leak(self)`). */
  definedMethods: string[];
  suppressions: Suppressions;
  /** Whether tree-sitter had to recover from syntax errors (findings may be incomplete). */
  hasSyntaxErrors: boolean;
  /** The strong-reference edges of the file's types and the fields it clears (`cycles/`). */
  cycles: CycleFacts;
}

/**
 * Words without which a file cannot contain any site or reclaim. Files without them are not
 * parsed at all — most of a large workspace — which is what keeps whole-workspace scans fast.
 */
const TRIGGER = new RegExp(
  [
    'leak', 'into_raw', 'forget', 'ManuallyDrop', 'from_raw', 'decrement_strong_count',
    String.raw`\b(?:alloc|alloc_zeroed|realloc|dealloc)\s*\(`,
    String.raw`static\s+mut`, 'OnceCell', 'OnceLock', 'Lazy', 'call_once', 'lazy_static', 'thread_local',
    String.raw`\b(?:Rc|Arc)\b`,
    // shared-to-mut-cast needs both casts of `r as *const T as *mut T`.
    String.raw`as\s+\*const\b[^;{}]*?\bas\s+\*mut`,
  ].join('|'),
);

export function mayContainSites(text: string): boolean {
  return TRIGGER.test(text);
}

/**
 * Words without which a file holds no fact another file's findings depend on: reclaims
 * (`Box::from_raw`, `dealloc`, `Rc::decrement_strong_count`, `ManuallyDrop::drop`/`into_inner`/
 * `take`, also when renamed by `use`, since the `use` line names them), methods that shadow a
 * leaking std name (`fn leak(self)`) and the types of the rc-cycle graph. Must stay a superset of
 * what `extractFacts` records as `reclaims`, `definedMethods` and `cycles`; the shard-union test in
 * `server/test/perf` checks that it does.
 */
const CROSS_FILE_TRIGGER = /from_raw|dealloc|decrement_strong_count|ManuallyDrop|\bfn\s+(?:leak|into_raw|into_raw_parts|forget)\b|\b(?:Rc|Arc)\b/;

export function mayContainCrossFileFacts(text: string): boolean {
  return CROSS_FILE_TRIGGER.test(text);
}

/** `work` counts the syntax nodes the rc-cycle analysis visits (tests bound it by the input's size). */
export function extractFacts(path: string, text: string, tree?: Tree, work: Work = { nodes: 0 }): FileFacts {
  const facts: FileFacts = { path, sites: [], reclaims: [], definedMethods: [], suppressions: parseSuppressions(text), hasSyntaxErrors: false, cycles: emptyCycleFacts() };
  if (!tree && !mayContainSites(text)) return facts;
  const parsed = tree ?? parseRust(text);
  const captures = siteCaptures(parsed.rootNode);
  const declarations = captures.filter((c) => c.name === 'decl' || c.name === 'static').map((c) => c.node);
  const file = new SourceFile(path, text, parsed, declarations);
  facts.hasSyntaxErrors = file.root.hasError;
  const sites = facts.sites;
  const structs = [];
  const fns = [];
  const drops = [];
  for (const { name, node } of captures) {
    switch (name) {
      case 'call.path':
      case 'call.ident': {
        const callee = node.childForFieldName('function')!;
        const last = callee.type === 'identifier' ? callee.text : callee.childForFieldName('name')?.text;
        if (last === 'leak') boxLeakFromPath(file, node, sites);
        else if (last === 'forget') memForget(file, node, sites);
        else if (last === 'new') manuallyDrop(file, node, sites);
        else if (last === 'alloc' || last === 'alloc_zeroed' || last === 'realloc') rawAlloc(file, node, sites);
        else intoRawFromPath(file, node, sites);
        break;
      }
      case 'call.method': {
        const method = node.childForFieldName('function')!.childForFieldName('field')!.text;
        if (method === 'leak') boxLeakFromMethod(file, node, sites);
        else if (method === 'call_once' || method === 'call_once_force') onceStaticMut(file, node, sites);
        else intoRawFromMethod(file, node, sites);
        break;
      }
      case 'fnref':
        if (node.childForFieldName('name')?.text === 'leak') boxLeakAsValue(file, node, sites);
        break;
      case 'reclaim':
        collectReclaim(file, node, facts.reclaims);
        break;
      case 'static':
        staticMutItem(file, node, sites);
        lazyStatic(file, node, sites);
        break;
      case 'macro':
        lazyMacro(file, node, sites);
        break;
      case 'struct':
        structs.push(node);
        break;
      case 'fn':
        fns.push(node);
        break;
      case 'drop':
        drops.push(node);
        break;
      case 'cast':
        sharedToMutCast(file, node, sites);
        break;
      case 'method.def':
        if (node.parent?.type === 'declaration_list') facts.definedMethods.push(node.childForFieldName('name')!.text);
        break;
    }
  }
  facts.cycles = rcCycles(file, structs, fns, drops, sites, work);
  staticMutReferences(file, sites);
  return facts;
}
