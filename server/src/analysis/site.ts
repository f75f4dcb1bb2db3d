/**
 * A site is a finding before the workspace pass: everything a rule could decide from one file,
 * plus what is left to decide from the others. Sites are plain data (no syntax nodes) so per-file
 * facts can be cached and moved between worker threads.
 */
import { Kind, Range, RelatedLocation, RuleId } from '../../../shared/src/findings';
import type { OwnerQuestion } from './owners';

/** A function whose callers decide whether what it leaks is leaked once or per call. */
export interface FnRef {
  name: string;
  implType?: string;
  file: string;
  line: number;
}

export type Decision =
  | { type: 'final'; kind: Kind }
  /**
   * The leaked value leaves `fn` (returned, handed on): once per program → intentional, per call →
   * real. `perInstance`: it leaks once per value built (a field, a constructor's result), so
   * callers that cannot be found do not make it a once-per-program static.
   */
  | { type: 'callers'; fn: FnRef; returned: boolean; perInstance?: string }
  /** Decided by the pointer's owner (a field and its type's `Drop`, a static, foreign code, …): see `owners.ts`. */
  | { type: 'owner'; question: OwnerQuestion }
  /**
   * rc-cycle, decided by the workspace's strong-reference type graph: a type's strong `field` edge
   * (reported if it closes a loop), or a store that closes a cycle through `fields` of `types`.
   */
  | { type: 'cycle'; field?: string; fields?: string[]; types?: string[] };

/** Whether deciding needs the workspace's call sites of some function. */
export function needsCallers(d: Decision): boolean {
  return d.type === 'callers' || (d.type === 'owner' && !!d.question.fn);
}

export interface Site {
  rule: RuleId;
  range: Range;
  message: string;
  decision: Decision;
  reasons: string[];
  related: RelatedLocation[];
  /** Only a finding if no `impl` in the workspace defines its own method of this name. */
  unlessUserMethod?: string;
  /**
   * The statement or item around the site has a syntax error: it was read from tree-sitter's error
   * recovery. Said of the code around it, not of the file: a keystroke that breaks one line must
   * not change every finding of the file.
   */
  recovered?: true;
}

/** A call of a function that matters to some site, with how often it runs where it is. */
export interface CallSite {
  file: string;
  range: Range;
  /**
   * `repeat`: loop/iterator/thread; `once`: main, a test, a once-initialiser; `fn`: plain body of
   * `caller`. `definition` is not a call: the file defines a module-level `fn` of the name, which
   * tells which function a call written `module::name(…)` elsewhere is of.
   */
  context: 'repeat' | 'once' | 'fn' | 'definition';
  /** The call's value is thrown away (`make();`): what the function returns is lost at once. */
  resultDiscarded: boolean;
  label: string;
  caller?: FnRef;
  /**
   * A bare `name(…)` in a module (or block) that defines its own `fn name`: the call is of that
   * function, at this file and line, and a call of a namesake elsewhere only if it is that one.
   */
  resolvesTo?: { file: string; line: number };
  /** The module a path names the function in (`other` for `other::name(…)`, or for a bare `name` imported by `use crate::other::name`). */
  module?: string;
}
