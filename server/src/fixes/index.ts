/**
 * Quick fixes for a finding: the rule's own rewrites (one module per rule family) followed by the
 * allow comment every finding gets. Pure: source text and tree in, plain edits out. A family that
 * throws loses its fixes for this finding only, never the allow fix or other findings'.
 */
import { Finding, RuleId } from '../../../shared/src/findings';
import { Fix } from '../../../shared/src/fixes';
import { Tree } from '../parsing/parser';
import { allowFix } from './allow';
import { boxLeakFixes } from './box-leak';
import { intoRawFixes } from './into-raw';
import { lazyGlobalFixes } from './lazy-global';
import { memForgetFixes } from './mem-forget';
import { onceStaticMutFixes } from './once-static-mut';
import { rcCycleFixes } from './rc-cycle';
import { staticMutFixes } from './static-mut';
import { FixContext } from './syntax';
import { Toolchain } from '../analysis/toolchain';

type FixFamily = (ctx: FixContext) => Fix[];

const FAMILIES: Partial<Record<RuleId, FixFamily>> = {
  'box-leak': boxLeakFixes,
  'into-raw': intoRawFixes,
  'mem-forget': memForgetFixes,
  'static-mut': staticMutFixes,
  'once-static-mut': onceStaticMutFixes,
  'lazy-global': lazyGlobalFixes,
  'rc-cycle': rcCycleFixes,
};

/**
 * Rewrites are only offered for findings that are worth removing: a reclaimed pointer or an
 * ownership transfer is correct code, and "fixing" it would break the pairing.
 */
const FIXABLE_KINDS = new Set(['real-leak', 'possible-leak', 'intentional-static']);

/** Families whose rewrites name `std::sync`: nothing a `#![no_std]` crate can use. */
const NEEDS_STD = new Set<RuleId>(['static-mut', 'once-static-mut', 'lazy-global']);

export function computeFixes(text: string, tree: Tree, finding: Finding, onError?: (e: unknown) => void, toolchain: Toolchain = {}): Fix[] {
  const ctx: FixContext = { text, tree, finding, toolchain };
  let fixes: Fix[] = [];
  const family = FAMILIES[finding.rule];
  if (family && FIXABLE_KINDS.has(finding.kind) && !(toolchain.noStd && NEEDS_STD.has(finding.rule))) {
    try {
      fixes = family(ctx);
    } catch (e) {
      onError?.(e);
    }
  }
  // Leaking on purpose once is fine: for an intentional static the rewrite is a suggestion, not the fix.
  if (finding.rule === 'box-leak' && finding.kind === 'intentional-static') fixes = [];
  fixes.push(allowFix(ctx));
  // Exactly one preferred fix, first.
  let seenPreferred = false;
  for (const fix of fixes) {
    if (fix.isPreferred && seenPreferred) fix.isPreferred = false;
    seenPreferred ||= fix.isPreferred;
  }
  return fixes.sort((a, b) => Number(b.isPreferred) - Number(a.isPreferred));
}
