/**
 * The classifier's reasons, related locations and severities: what a person reads in a hover or
 * in `= note:` lines must explain the verdict.
 */
import * as assert from 'node:assert/strict';
import { analyzeSources, analyzeText, classifyWorkspace, extractFacts } from '../../src/analysis/engine';
import { CallSiteProvider, textCallSiteProvider } from '../../src/analysis/callers';
import type { ClassifyMemo } from '../../src/analysis/classify';
import { initParser } from '../../src/parsing/parser';
import { Finding } from '../../../shared/src/findings';
import { DEFAULT_SETTINGS } from '../../../shared/src/settings';

function only(findings: Finding[], rule: string): Finding {
  const matching = findings.filter((f) => f.rule === rule);
  assert.equal(matching.length, 1, `expected one ${rule} finding, got ${JSON.stringify(findings.map((f) => [f.rule, f.kind]))}`);
  return matching[0];
}

const GLOBAL_CONFIG = `
use std::sync::OnceLock;
static GLOBAL: OnceLock<&'static String> = OnceLock::new();
fn setup() {
    let r = Box::leak(Box::new(String::new()));
    GLOBAL.set(r).unwrap();
}
fn main() { setup(); }
`;

describe('classification reasons', () => {
  it('names the static and the call that stores the leaked reference', () => {
    const f = only(analyzeText('a.rs', GLOBAL_CONFIG), 'box-leak');
    assert.equal(f.kind, 'intentional-static');
    assert.match(f.reasons[0], /stored into static `GLOBAL` via `GLOBAL\.set` at line 6/);
    assert.ok(f.related.some((r) => r.range.start.line === 5 && /GLOBAL/.test(r.message)));
  });

  it('points at the loop that repeats a leak', () => {
    const f = only(analyzeText('a.rs', 'fn main() {\n    for i in 0..3 {\n        Box::leak(Box::new(i));\n    }\n}\n'), 'box-leak');
    assert.equal(f.kind, 'real-leak');
    assert.match(f.reasons[0], /the `for` loop at line 2/);
    assert.deepEqual(f.related.map((r) => [r.range.start.line, r.message]), [[1, 'repeats the leak']]);
  });

  it('follows a leaking function to a caller in a loop in another file', () => {
    const { findings } = analyzeSources([
      { path: 'lib.rs', text: "pub fn intern(s: &str) -> &'static str {\n    Box::leak(s.to_owned().into_boxed_str())\n}\n" },
      { path: 'main.rs', text: 'fn main() {\n    for w in ["a", "b"] {\n        let _k = lib::intern(w);\n    }\n}\n' },
    ]);
    const f = only(findings, 'box-leak');
    assert.equal(f.kind, 'real-leak');
    assert.match(f.reasons.join('\n'), /`intern` runs repeatedly: `lib::intern\(\)` at main\.rs:3, inside the `for` loop at line 2/);
    assert.ok(f.related.some((r) => r.file === 'main.rs' && r.range.start.line === 2));
  });

  it('says when it cannot decide how often a function runs', () => {
    const f = only(analyzeText('a.rs', "pub fn make() -> &'static u8 {\n    Box::leak(Box::new(1))\n}\n"), 'box-leak');
    assert.equal(f.kind, 'intentional-static');
    assert.match(f.reasons.join('\n'), /cannot decide how often `make` runs: no call of `make` was found in the workspace/);
  });

  it('links an into_raw to the from_raw that reclaims it in another file', () => {
    const { findings } = analyzeSources([
      { path: 'a.rs', text: 'pub fn open() -> *mut u8 {\n    Box::into_raw(Box::new(0))\n}\n' },
      { path: 'b.rs', text: 'pub unsafe fn close(p: *mut u8) {\n    drop(Box::from_raw(p));\n}\n' },
    ]);
    const f = only(findings, 'into-raw');
    assert.equal(f.kind, 'reclaimed');
    assert.match(f.reasons.join('\n'), /handed back by `Box::from_raw` at b\.rs:2 \(another file\)/);
    assert.deepEqual(f.related.map((r) => [r.file, r.range.start.line]), [['b.rs', 1]]);
  });

  it('mentions a syntax error in the code around a site, which tree-sitter recovered from', () => {
    const f = only(analyzeText('a.rs', 'fn main() {\n    loop { let p = Box::leak(Box::new(1)) let q = 2; }\n}\n'), 'box-leak');
    assert.match(f.reasons[f.reasons.length - 1], /syntax error; this was analyzed from tree-sitter's error recovery/);
    const g = only(analyzeText('b.rs', 'fn main() {\n    loop { Box::leak(Box::new(1)) + ; }\n}\n'), 'box-leak');
    assert.match(g.reasons[g.reasons.length - 1], /syntax error/);
  });

  it('does not mention a syntax error in another statement or item than the site', () => {
    for (const text of [
      'fn other() { let x = ; }\nfn main() { loop { Box::leak(Box::new(1)); } }\n',
      'fn main() {\n    let x = ;\n    loop { Box::leak(Box::new(1)); }\n}\n',
      'fn broken( {\nfn main() { loop { Box::leak(Box::new(1)); } }\n',
    ]) {
      const f = only(analyzeText('a.rs', text), 'box-leak');
      assert.ok(!f.reasons.some((r) => /syntax error/.test(r)), f.reasons.join('\n'));
    }
  });
});

describe('severity', () => {
  const source = `
static mut N: u32 = 0;
fn main() {
    loop { Box::leak(Box::new(1)); }
}
fn paired() {
    let p = Box::into_raw(Box::new(1));
    unsafe { drop(Box::from_raw(p)) };
}
`;

  it('derives severity from kind, and keeps static-mut a warning though it is an intentional static', () => {
    const findings = analyzeText('a.rs', source);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.kind, f.severity]),
      [
        ['static-mut', 'intentional-static', 'warning'],
        ['box-leak', 'real-leak', 'warning'],
        ['into-raw', 'reclaimed', 'hint'],
      ],
    );
  });

  it('raises a denied rule to error and drops an allowed one', () => {
    const findings = analyzeText('a.rs', source, { ...DEFAULT_SETTINGS, rules: { 'box-leak': 'deny', 'static-mut': 'allow' } });
    assert.deepEqual(findings.map((f) => [f.rule, f.severity]), [['box-leak', 'error'], ['into-raw', 'hint']]);
  });

  it('drops findings below the minimum severity', () => {
    const findings = analyzeText('a.rs', source, { ...DEFAULT_SETTINGS, minimumSeverity: 'warning' });
    assert.deepEqual(findings.map((f) => f.rule), ['static-mut', 'box-leak']);
  });
});

describe('bad input', () => {
  it('analyzes text that is not Rust at all without throwing', () => {
    const junk = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join('');
    assert.doesNotThrow(() => analyzeText('junk.rs', `${junk} Box::leak( static mut {{{ `));
  });

  it('analyzes a very large generated file', () => {
    const big = 'fn f() { let x = 1; }\n'.repeat(200_000) + 'fn main() { loop { Box::leak(Box::new(1)); } }\n';
    const findings = analyzeText('big.rs', big);
    assert.deepEqual(findings.map((f) => [f.rule, f.kind, f.range.start.line]), [['box-leak', 'real-leak', 200_000]]);
  });

  it('reports findings with UTF-16 columns after non-ASCII text, as editors count them', () => {
    const f = only(analyzeText('a.rs', 'fn main() { let é = "日本"; loop { Box::leak(Box::new(é)); } }\n'), 'box-leak');
    assert.equal(f.range.start.character, 'fn main() { let é = "日本"; loop { '.length);
  });
});

describe('classification with a memo', function () {
  this.timeout(20_000);
  before(() => initParser());
  const text = "fn leaky() -> &'static mut u8 {\n    Box::leak(Box::new(1))\n}\nfn main() {\n    loop { *leaky() = 2; }\n}\nfn other() {\n    std::mem::forget(vec![1]);\n}\n";

  it("classifies only the sites it has not classified before, to the same findings", () => {
    const facts = [extractFacts('a.rs', text)];
    const asked: string[] = [];
    const counting = (inner: CallSiteProvider): CallSiteProvider => ({ callSites: (fn) => (asked.push(fn.name), inner.callSites(fn)) });
    const memo: ClassifyMemo = new WeakMap();
    const first = classifyWorkspace(facts, counting(textCallSiteProvider([{ path: 'a.rs', text }])), DEFAULT_SETTINGS, memo);
    assert.ok(asked.includes('leaky'), 'the first classification asks for the callers of `leaky`');
    asked.length = 0;
    const again = classifyWorkspace(facts, counting(textCallSiteProvider([{ path: 'a.rs', text }])), DEFAULT_SETTINGS, memo);
    assert.deepEqual(asked, [], 'the second asks for nothing');
    assert.deepEqual(again, first);
    assert.deepEqual(again, classifyWorkspace(facts, textCallSiteProvider([{ path: 'a.rs', text }]), DEFAULT_SETTINGS));
  });
});
