/**
 * The core classification of leaked memory: does the leaked reference stay reachable for the rest
 * of the program (an intentional static), or does it die while the memory stays allocated (a real
 * leak)? Decided from how often the code runs (context) and where the reference goes (flow).
 */
import { RelatedLocation } from '../../../shared/src/findings';
import { ExecContext, FnInfo } from './context';
import { Destination, destinations } from './flow';
import { Decision, FnRef } from './site';
import { SourceFile } from './source';

export interface Verdict {
  decision: Decision;
  /** The verdict in a few words, for the one-line message: "leaks on every iteration of the `for` loop at line 3". */
  summary: string;
  reasons: string[];
  related: RelatedLocation[];
}

/** Ranks destinations: the one that keeps the value alive longest decides. */
function strongest(dests: Destination[]): Destination | undefined {
  const order: Destination['type'][] = ['static', 'returned', 'closure-value', 'field', 'passed', 'local', 'unused', 'discarded'];
  return [...dests].sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type))[0];
}

function fnRef(file: SourceFile, fn: FnInfo): FnRef {
  return { name: fn.name, implType: fn.implType, file: file.path, line: fn.node.startPosition.row + 1 };
}

/** Functions that build a value: what they leak, they leak once per value built. */
const CONSTRUCTORS = /^(new|default|from|try_from|clone|with_\w+|from_\w+|new_\w+|build|create)$/;

/**
 * Why a leak leaves once per value rather than once per program, if it does: stored into a field
 * (each value built has its own), or returned from a constructor or a trait method (called for
 * every value, by callers that a search by name cannot find).
 */
function perInstance(fn: FnInfo, dest: Destination): string | undefined {
  if (dest.type === 'field') return `the leaked reference is stored into \`${dest.target}\`: every value built this way leaks its own allocation`;
  if (dest.type !== 'returned') return undefined;
  if (CONSTRUCTORS.test(fn.name)) return `\`${fn.name}\` builds a value: every value built leaks its own allocation`;
  if (fn.traitName) return `\`${fn.name}\` implements \`${fn.traitName}\`, whose callers a search by name cannot find: every call leaks its own allocation`;
  return undefined;
}

export function leakedReferenceVerdict(file: SourceFile, ctx: ExecContext, dests: Destination[], what: string): Verdict {
  const related: RelatedLocation[] = [];
  const mark = (node: Parameters<SourceFile['range']>[0], message: string) => related.push({ file: file.path, range: file.range(node), message });
  const final = (kind: 'intentional-static' | 'real-leak', summary: string, reasons: string[]): Verdict => ({ decision: { type: 'final', kind }, summary, reasons, related });

  if (ctx.once) {
    mark(ctx.once.node, 'runs once');
    return final('intentional-static', `runs once, inside ${ctx.once.label}`, [`${what} happens inside ${ctx.once.label}, which runs once`, 'the leaked value is kept for the life of the program']);
  }
  if (ctx.repeat) {
    mark(ctx.repeat.node, 'repeats the leak');
    return final('real-leak', `leaks on every iteration of ${ctx.repeat.label}`, [`${what} happens inside ${ctx.repeat.label}`, 'every iteration leaks a new allocation that is never freed']);
  }
  const dest = strongest(dests);
  // A struct literal's field lives as long as the struct: one kept in a static keeps it for good.
  const instanceStatic = dest?.type === 'field' && dest.instance ? strongest(destinations(file, dest.instance)) : undefined;
  if (instanceStatic?.type === 'static' && dest?.type === 'field') {
    mark(instanceStatic.node, `the \`${dest.struct ?? 'struct'}\` is stored into \`${instanceStatic.name}\``);
    return final('intentional-static', `is kept in static \`${instanceStatic.name}\``, [`leaked reference stored into \`${dest.target}\` of a value kept in static \`${instanceStatic.name}\` via ${instanceStatic.via}`, 'it stays reachable for the life of the program']);
  }
  if (dest?.type === 'static' && file.threadLocalStatics.has(dest.name)) {
    // `#[thread_local] static`: gone when its thread ends, like `thread_local!`.
    mark(dest.node, `stored into thread-local \`${dest.name}\``);
    if (ctx.thread) return final('real-leak', `leaks: thread-local \`${dest.name}\` dies with ${ctx.thread.label}`, [`leaked reference stored into the thread-local static \`${dest.name}\` inside ${ctx.thread.label}`, 'the memory is unreachable once that thread ends']);
    if (ctx.fn && !ctx.fn.isMain && !ctx.fn.isTest) {
      return {
        summary: `is kept in thread-local \`${dest.name}\``,
        decision: { type: 'callers', fn: fnRef(file, ctx.fn), returned: false, perInstance: `\`${dest.name}\` is a \`#[thread_local]\` static: each thread that runs this leaks its own allocation when it ends` },
        reasons: [`leaked reference stored into the thread-local static \`${dest.name}\` via ${dest.via}`],
        related,
      };
    }
  }
  if (dest?.type === 'static') {
    mark(dest.node, `stored into \`${dest.name}\``);
    const where = ctx.thread ? ` from ${ctx.thread.label}` : '';
    return final('intentional-static', `is kept in static \`${dest.name}\``, [`leaked reference stored into static \`${dest.name}\` via ${dest.via}${where}`, 'it stays reachable for the life of the program']);
  }
  if (ctx.thread) {
    mark(ctx.thread.node, 'the reference dies with this thread');
    return final('real-leak', `leaks: the reference dies with ${ctx.thread.label}`, [`${what} happens inside ${ctx.thread.label}`, 'the leaked reference is not stored anywhere that outlives the thread, so the memory is unreachable once it ends']);
  }
  if (!dest || dest.type === 'discarded') {
    return final('real-leak', 'discards its result, so nothing can reach the memory', [`the result of ${what} is discarded at ${dest ? `line ${dest.node.startPosition.row + 1}` : 'once'}`, 'nothing can reach the memory afterwards']);
  }
  if (ctx.fn?.isMain || ctx.fn?.isTest) {
    const where = ctx.fn.isMain ? '`main`' : `the test \`${ctx.fn.name}\``;
    return final('intentional-static', `is kept for the whole program by ${where}`, [`${what} is bound once in ${where}`, 'the reference is reachable until the program exits']);
  }
  const fn = ctx.fn;
  switch (dest.type) {
    case 'returned':
    case 'closure-value':
    case 'field':
    case 'passed': {
      const how =
        dest.type === 'returned' ? `returned from \`${fn?.name ?? '?'}\`` :
        dest.type === 'closure-value' ? 'returned from a closure' :
        dest.type === 'field' ? `stored into \`${dest.target}\`` :
        `handed to \`${dest.callee}\`, which may keep it`;
      if (!fn) return final('intentional-static', `is ${how}, once`, [`leaked reference ${how}`, 'outside any function: evaluated once']);
      return {
        // The caveat "which may keep it" stays in the reasons; the message gets the callers' verdict.
        summary: `is ${how.replace(', which may keep it', '')}`,
        decision: { type: 'callers', fn: fnRef(file, fn), returned: dest.type === 'returned', perInstance: perInstance(fn, dest) },
        reasons: [`leaked reference ${how}`],
        related,
      };
    }
    case 'local':
    case 'unused':
    default: {
      const use = dest.type === 'unused' ? `bound to \`${dest.variable}\` and never used` : `only used by ${dest.type === 'local' ? dest.use : 'local code'}`;
      return final('real-leak', `leaks: the reference dies when \`${fn?.name ?? '?'}\` returns`, [`leaked reference ${use} in \`${fn?.name ?? '?'}\``, 'it is lost when the function returns; the memory is never freed']);
    }
  }
}
