/**
 * Quick fixes applied to Rust fixtures: the result must equal the hand-written `*.fixed.rs` and
 * must type-check with rustc (`--emit=metadata`, so no linking and no `main` needed), against the
 * stub crates of `stubs/` where it uses `once_cell` or `lazy_static`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Finding, RuleId } from '../../../shared/src/findings';
import { Fix, applyEdits } from '../../../shared/src/fixes';
import { analyzeText } from '../../src/analysis/engine';
import { computeFixes } from '../../src/fixes';
import { parseRust } from '../../src/parsing/parser';
import { RUSTC, check } from './rustc';

const FIXTURES = path.resolve(__dirname, '../../../../server/test/fixes/fixtures');

interface Case {
  fixture: string;
  rule: RuleId;
  /** 0-based line of the finding to fix. */
  line: number;
  fix: RegExp;
  expected: string;
}

const CASES: Case[] = [
  { fixture: 'static_mut_atomic.rs', rule: 'static-mut', line: 0, fix: /AtomicU64/, expected: 'static_mut_atomic.fixed.rs' },
  { fixture: 'static_mut_mutex.rs', rule: 'static-mut', line: 2, fix: /Mutex/, expected: 'static_mut_mutex.fixed.rs' },
  { fixture: 'once_static_mut.rs', rule: 'once-static-mut', line: 7, fix: /OnceLock/, expected: 'once_static_mut.fixed.rs' },
  { fixture: 'once_cell_lazy.rs', rule: 'lazy-global', line: 3, fix: /LazyLock/, expected: 'once_cell_lazy.fixed.rs' },
  { fixture: 'lazy_static.rs', rule: 'lazy-global', line: 4, fix: /lazy_static/, expected: 'lazy_static.fixed.rs' },
  { fixture: 'box_leak_loop.rs', rule: 'box-leak', line: 2, fix: /Keep the value owned/, expected: 'box_leak_loop.fixed.rs' },
  { fixture: 'box_leak_loop.rs', rule: 'box-leak', line: 2, fix: /Hoist/, expected: 'box_leak_loop.hoisted.rs' },
  { fixture: 'into_raw.rs', rule: 'into-raw', line: 6, fix: /from_raw/, expected: 'into_raw.fixed.rs' },
  { fixture: 'mem_forget.rs', rule: 'mem-forget', line: 3, fix: /ManuallyDrop/, expected: 'mem_forget.fixed.rs' },
  { fixture: 'rc_cycle.rs', rule: 'rc-cycle', line: 13, fix: /Weak/, expected: 'rc_cycle.fixed.rs' },
  { fixture: 'rc_cycle_types.rs', rule: 'rc-cycle', line: 8, fix: /Weak/, expected: 'rc_cycle_types.fixed.rs' },
  { fixture: 'rc_cycle_registry.rs', rule: 'rc-cycle', line: 14, fix: /Weak/, expected: 'rc_cycle_registry.fixed.rs' },
];

function read(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

function fixesFor(text: string, rule: RuleId, line: number): { finding: Finding; fixes: Fix[] } {
  const finding = analyzeText('fixture.rs', text).find((f) => f.rule === rule && f.range.start.line === line);
  assert.ok(finding, `no ${rule} finding on line ${line + 1}`);
  return { finding, fixes: computeFixes(text, parseRust(text), finding, (e) => assert.fail(e as Error)) };
}

async function typeCheck(text: string, label: string): Promise<void> {
  const errors = await check(text, '2021');
  if (errors) assert.fail(`${label} does not compile:\n${errors}`);
}

describe('quick fixes', function () {
  for (const c of CASES) {
    describe(`${c.fixture}: ${c.rule} → ${c.expected}`, function () {
      it('produces the hand-written fixed text', function () {
        const text = read(c.fixture);
        const { fixes } = fixesFor(text, c.rule, c.line);
        const fix = fixes.find((f) => c.fix.test(f.title));
        assert.ok(fix, `no fix matching ${c.fix} among: ${fixes.map((f) => f.title).join(' | ')}`);
        assert.equal(applyEdits(text, fix.edits), read(c.expected));
      });

      it('type-checks with rustc', async function () {
        if (!RUSTC) this.skip(); // rustc is not installed on this machine: nothing to check against
        await typeCheck(read(c.expected), c.expected);
      });
    });
  }

  it('orders fixes with exactly one preferred first and always ends with the allow comment', function () {
    for (const c of CASES) {
      const { fixes } = fixesFor(read(c.fixture), c.rule, c.line);
      assert.ok(fixes[0].isPreferred, `${c.fixture}: first fix is preferred`);
      assert.equal(fixes.filter((f) => f.isPreferred).length, 1, `${c.fixture}: one preferred fix`);
      assert.match(fixes[fixes.length - 1].title, new RegExp(`allow\\(${c.rule}\\)`));
    }
  });

  it('never offers from_raw for memory leaked to a static reference', function () {
    const text = read('box_leak_loop.rs');
    const { fixes } = fixesFor(text, 'box-leak', 2);
    for (const fix of fixes) for (const edit of fix.edits) assert.doesNotMatch(edit.newText, /from_raw/);
  });

  it('keeps the comment after a lazy_static! item on its line, without the \\r of the line it came from', function () {
    const crlf = (t: string) => t.replace(/\n/g, '\r\n');
    const text = crlf(read('lazy_static.rs').replace('format!("hello {}", 1);', 'format!("hello {}", 1); // built once'));
    const fix = fixesFor(text, 'lazy-global', 4).fixes.find((f) => /lazy_static/.test(f.title));
    assert.ok(fix);
    assert.equal(applyEdits(text, fix.edits), crlf(read('lazy_static.fixed.rs').replace('format!("hello {}", 1));', 'format!("hello {}", 1)); // built once')));
  });

  describe('in a file whose last line holds its last `use` and no line break', () => {
    const fixed = (text: string, rule: RuleId, line: number, title: RegExp) => {
      const fix = fixesFor(text, rule, line).fixes.find((f) => title.test(f.title));
      assert.ok(fix, `no fix matching ${title}`);
      const lines = text.split(/\r\n|\r|\n/);
      for (const { range } of fix.edits) {
        for (const p of [range.start, range.end]) assert.ok(p.line < lines.length && p.character <= lines[p.line].length, `${JSON.stringify(p)} is outside the text`);
      }
      return applyEdits(text, fix.edits);
    };

    it('adds the import after it, every edit inside the text', function () {
      const text = 'use std::fmt;\nstatic mut COUNTER: u32 = 0;\nfn bump() { unsafe { COUNTER += 1; } }\nuse std::io;';
      assert.equal(fixed(text, 'static-mut', 1, /AtomicU32/) + '\n', fixed(text + '\n', 'static-mut', 1, /AtomicU32/));
    });

    it('deletes it, every edit inside the text', function () {
      const text = 'lazy_static! {\n    static ref GREETING: String = format!("hello {}", 1);\n}\n\npub fn greet() {\n    println!("{}", *GREETING);\n}\nuse lazy_static::lazy_static;';
      assert.equal(fixed(text, 'lazy-global', 1, /lazy_static/) + '\n', fixed(text + '\n', 'lazy-global', 1, /lazy_static/));
    });
  });

  it('inserts the allow comment on the line of the finding in a file with lone CR line ends', function () {
    const text = 'fn a() {}\rfn main() {\r    loop {\r        Box::leak(Box::new(1));\r    }\r}\r';
    const [finding] = analyzeText('cr.rs', text).filter((f) => f.rule === 'box-leak');
    assert.equal(finding.range.start.line, 3);
    const fixes = computeFixes(text, parseRust(text), finding);
    const allowed = applyEdits(text, fixes[fixes.length - 1].edits);
    assert.equal(allowed, 'fn a() {}\rfn main() {\r    loop {\r        // leak-lens: allow(box-leak)\n        Box::leak(Box::new(1));\r    }\r}\r');
  });

  it('inserts the allow comment above with matching indentation, and extends an existing one', function () {
    const text = read('box_leak_loop.rs');
    const { fixes } = fixesFor(text, 'box-leak', 2);
    const allowed = applyEdits(text, fixes[fixes.length - 1].edits);
    assert.match(allowed, /\n {8}\/\/ leak-lens: allow\(box-leak\)\n {8}let banner/);
    assert.equal(analyzeText('fixture.rs', allowed).filter((f) => f.rule === 'box-leak').length, 0, 'the comment silences the finding');

    const withOther = text.replace('        let banner', '        // leak-lens: allow(into-raw)\n        let banner');
    const second = fixesFor(withOther, 'box-leak', 3).fixes;
    assert.match(applyEdits(withOther, second[second.length - 1].edits), /\/\/ leak-lens: allow\(into-raw, box-leak\)\n/);
  });

  it('offers the Weak fix on the cycle fixtures only where the result type-checks', async function () {
    if (!RUSTC) this.skip(); // rustc is not installed on this machine: nothing to check against
    const dir = path.resolve(FIXTURES, '../../../../test-fixtures/cycles');
    let offered = 0;
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.rs'))) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      for (const finding of analyzeText(name, text).filter((f) => f.rule === 'rc-cycle')) {
        for (const fix of computeFixes(text, parseRust(text), finding, (e) => assert.fail(e as Error)).filter((f) => /Weak/.test(f.title))) {
          offered++;
          await typeCheck(applyEdits(text, fix.edits), `weak-${finding.range.start.line + 1}-${name}`);
        }
      }
    }
    // parent_child.rs (both closings: the back edge `parent` is never read), broken_elsewhere.rs,
    // registry_drop.rs, types_only.rs (`Pet.owner`, `Task.scheduler`; not `State.parent`, an alias).
    assert.equal(offered, 6);
  });

  it('every fixture fixed by its preferred fix still type-checks', async function () {
    if (!RUSTC) this.skip(); // rustc is not installed on this machine: nothing to check against
    for (const c of CASES) {
      const text = read(c.fixture);
      const { fixes } = fixesFor(text, c.rule, c.line);
      await typeCheck(applyEdits(text, fixes[0].edits), `preferred-${c.fixture}`);
    }
  });
});
