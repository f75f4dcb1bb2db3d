/**
 * The fix matrix: every rewrite the engine offers, for every finding of every fixture, in
 * generated variants of each fixture (inside a `mod`, under inner attributes, both), in each
 * edition the fixture itself compiles in, must type-check with rustc (`--emit=metadata`). Code
 * using `once_cell` or `lazy_static` is checked against the stub crates in `stubs/`, built for the
 * test and passed with `--extern`, as clippy's UI tests do. The fixtures in `matrix/` also say,
 * with `//@ fixes RULE: word, word` (or `none`), exactly which rewrites a finding must get.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Finding } from '../../../shared/src/findings';
import { Fix, applyEdits } from '../../../shared/src/fixes';
import { analyzeText, extractFacts } from '../../src/analysis/engine';
import { Edition, Toolchain } from '../../src/analysis/toolchain';
import { computeFixes } from '../../src/fixes';
import { parseRust } from '../../src/parsing/parser';
import { RUSTC, ROOT_ONLY, check, firstErrors, flush, typeCheck } from './rustc';

const REPO = path.resolve(__dirname, '../../../..');
const HERE = path.join(REPO, 'server/test/fixes');
/**
 * 2015 is left out: its `use` paths are relative to the crate root, which batching moves. 2018
 * resolves the rewrites' paths as 2021 does; 2024 differs (it denies `static mut` references).
 */
const ALL_EDITIONS: Edition[] = ['2021', '2024'];

interface Source {
  name: string;
  text: string;
  editions: Edition[];
  /** The fix fixtures get every variant; `test-fixtures/` the ones marked `everyFixture`. */
  everyVariant: boolean;
  /** Hand-written `//@ fixes` expectations, and the one-by-one check, apply. */
  annotated: boolean;
}

function rsFiles(dir: string, skip: (rel: string) => boolean = () => false): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.rs') && !skip(f))
    .sort()
    .map((f) => path.join(dir, f));
}

const SOURCES: Source[] = [
  ...rsFiles(path.join(HERE, 'matrix')).map((f) => ({ file: f, editions: ALL_EDITIONS, annotated: true, everyVariant: true })),
  ...rsFiles(path.join(HERE, 'fixtures'), (f) => /\.(fixed|hoisted)\.rs$/.test(f)).map((f) => ({ file: f, editions: ALL_EDITIONS, annotated: false, everyVariant: true })),
  ...rsFiles(path.join(REPO, 'test-fixtures'), (f) => f.startsWith('cli/')).map((f) => ({ file: f, editions: ['2021' as Edition], annotated: false, everyVariant: false })),
].map(({ file, ...rest }) => ({ name: path.relative(REPO, file), text: fs.readFileSync(file, 'utf8'), ...rest }));

interface Variant {
  name: string;
  /** Checked for `test-fixtures/` too, not only for the fix fixtures. */
  everyFixture: boolean;
  /** The variant's text and how many lines it adds above the original, or undefined if it does not apply. */
  make(text: string): { text: string; offset: number } | undefined;
}

const indent = (text: string) => text.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n');
const INNER_ATTRIBUTES = '#![allow(dead_code)]\n#![warn(unused)]\n';

const VARIANTS: Variant[] = [
  { name: 'as written', everyFixture: true, make: (text) => ({ text, offset: 0 }) },
  { name: 'with inner attributes', everyFixture: false, make: (text) => ({ text: INNER_ATTRIBUTES + text, offset: 2 }) },
  {
    name: 'inside a module',
    everyFixture: false,
    make: (text) => (ROOT_ONLY.test(text) ? undefined : { text: `pub mod wrapped {\n${indent(text)}\n}\n`, offset: 1 }),
  },
  {
    name: 'inside a module with inner attributes',
    everyFixture: true,
    make: (text) => (ROOT_ONLY.test(text) ? undefined : { text: `pub mod wrapped {\n${indent(INNER_ATTRIBUTES + text)}\n}\n`, offset: 3 }),
  },
];

const isAllow = (fix: Fix) => fix.title.startsWith('Allow `');

/**
 * Rewrites known not to compile in a variant, left to the area that owns them. Each is a bug: the
 * entry goes when it is fixed (the test then checks that variant too).
 */
const KNOWN_GAPS: { rule: string; variant: RegExp; why: string }[] = [];

/** The rewrites offered for `finding`, given the toolchain as the file's facts carry it (its own attributes included). */
function rewritesOf(text: string, finding: Finding, toolchain: Toolchain): Fix[] {
  const { tree, fileToolchain } = parsed(text, toolchain);
  return computeFixes(text, tree, finding, (e) => assert.fail(e as Error), fileToolchain).filter((f) => !isAllow(f));
}

/** One parse per text and toolchain, as the language server keeps one tree per document version. */
const PARSED = new Map<string, { tree: ReturnType<typeof parseRust>; fileToolchain: Toolchain }>();
function parsed(text: string, toolchain: Toolchain): { tree: ReturnType<typeof parseRust>; fileToolchain: Toolchain } {
  const key = `${JSON.stringify(toolchain)}\0${text}`;
  let entry = PARSED.get(key);
  if (!entry) {
    const tree = parseRust(text);
    entry = { tree, fileToolchain: extractFacts('lib.rs', text, tree, toolchain).toolchain };
    PARSED.set(key, entry);
  }
  return entry;
}

function findingsOf(name: string, text: string, toolchain: Toolchain): Finding[] {
  return analyzeText(name, text, undefined, parsed(text, toolchain).tree, toolchain);
}

// ---- expectations --------------------------------------------------------------------------

const EXPECT = /\/\/@(\^*)\s+fixes\s+([a-z-]+):\s*([^/\n]*)/g;

/** `//@ fixes RULE: w1, w2` on a line (`//@^` for the line above): the rewrites offered there, by a word of their title. */
function expectations(text: string): { line: number; rule: string; words: string[] }[] {
  const out: { line: number; rule: string; words: string[] }[] = [];
  text.split('\n').forEach((lineText, i) => {
    for (const m of lineText.matchAll(EXPECT)) {
      const words = m[3].trim() === 'none' ? [] : m[3].split(',').map((w) => w.trim()).filter(Boolean);
      out.push({ line: i - m[1].length, rule: m[2], words });
    }
  });
  return out;
}

/** The word of a title an expectation names it by: its first word, or the type it introduces. */
function matchesWord(title: string, word: string): boolean {
  return new RegExp(`(^|\\W)${word}(\\W|$)`).test(title);
}

// ---- the matrix ----------------------------------------------------------------------------

interface Checked {
  label: string;
  result: Promise<string | undefined>;
}

describe('fix matrix: every rewrite offered type-checks', function () {
  this.timeout(600_000);
  const checks = new Map<string, { baselines: Checked[]; rewrites: Checked[] }>();

  before(async function () {
    if (!RUSTC) this.skip(); // rustc is not installed on this machine: nothing to check against
    const pending: { entry: { rewrites: Checked[] }; label: string; baseline: Promise<string | undefined>; edition: Edition; make: () => { label: string; text: string }[] }[] = [];
    for (const source of SOURCES) {
      const entry = { baselines: [] as Checked[], rewrites: [] as Checked[] };
      checks.set(source.name, entry);
      for (const variant of VARIANTS) {
        const made = variant.everyFixture || source.everyVariant ? variant.make(source.text) : undefined;
        if (!made) continue;
        for (const edition of source.editions) {
          const label = `${variant.name}, edition ${edition}`;
          const baseline = typeCheck(made.text, edition);
          entry.baselines.push({ label, result: baseline });
          const toolchain: Toolchain = { edition };
          pending.push({
            entry,
            label,
            baseline,
            edition,
            make: () =>
              findingsOf(source.name, made.text, toolchain)
                .filter((finding) => !KNOWN_GAPS.some((gap) => gap.rule === finding.rule && gap.variant.test(variant.name)))
                .flatMap((finding) =>
                rewritesOf(made.text, finding, toolchain).map((fix) => ({
                  label: `line ${finding.range.start.line + 1 - made.offset} ${finding.rule}: "${fix.title}" (${label})`,
                  text: applyEdits(made.text, fix.edits),
                })),
              ),
          });
        }
      }
    }
    await flush();
    // A variant that does not compile before the fix (edition 2024 denies `static mut` references;
    // a fixture that needs a crate the test has no stub for) says nothing about the fix.
    for (const p of pending) {
      if (await p.baseline) continue;
      for (const rewrite of p.make()) {
        const result = typeCheck(rewrite.text, p.edition);
        p.entry.rewrites.push({ label: rewrite.label, result: result.then((errors) => errors && `${firstErrors(errors)}\n--- result:\n${rewrite.text}`) });
      }
    }
    await flush();
  });

  for (const source of SOURCES) {
    it(`${source.name}: every rewrite, in every variant and edition the file compiles in`, async function () {
      const entry = checks.get(source.name)!;
      if (source.annotated || source.name.startsWith('server/test/fixes/fixtures')) {
        const asWritten = entry.baselines.find((b) => b.label === 'as written, edition 2021')!;
        assert.equal(await asWritten.result, undefined, `${source.name} itself must compile as written (edition 2021)`);
      }
      const failures: string[] = [];
      for (const rewrite of entry.rewrites) {
        const errors = await rewrite.result;
        if (errors) failures.push(`${rewrite.label} does not compile:\n${errors}`);
      }
      assert.ok(failures.length === 0, `\n${failures.join('\n\n')}`);
    });
  }
});

describe('fix matrix: the rewrites offered are exactly the annotated ones', function () {
  for (const source of SOURCES.filter((s) => s.annotated)) {
    for (const variant of VARIANTS) {
      it(`${source.name} (${variant.name})`, function () {
        const made = variant.make(source.text);
        if (!made) this.skip(); // a file written for the crate root
        const toolchain: Toolchain = { edition: '2021' };
        const findings = findingsOf(source.name, made.text, toolchain);
        const problems: string[] = [];
        for (const expected of expectations(source.text)) {
          const finding = findings.find((f) => f.rule === expected.rule && f.range.start.line === expected.line + made.offset);
          if (!finding) {
            problems.push(`line ${expected.line + 1}: no ${expected.rule} finding`);
            continue;
          }
          const titles = rewritesOf(made.text, finding, toolchain).map((f) => f.title);
          const unmatched = titles.filter((t) => !expected.words.some((w) => matchesWord(t, w)));
          const missing = expected.words.filter((w) => !titles.some((t) => matchesWord(t, w)));
          if (unmatched.length > 0 || missing.length > 0 || titles.length !== expected.words.length) {
            problems.push(`line ${expected.line + 1} ${expected.rule}: expected [${expected.words.join(', ')}], offered [${titles.join(' | ')}]`);
          }
        }
        assert.deepEqual(problems, []);
      });
    }
  }
});

describe('fix matrix: preferred rewrites applied one by one', function () {
  this.timeout(120_000);
  before(function () {
    if (!RUSTC) this.skip(); // rustc is not installed on this machine: nothing to check against
  });

  for (const source of SOURCES.filter((s) => s.annotated)) {
    it(`${source.name}: the file compiles after each preferred rewrite, until none is left`, async function () {
      const toolchain: Toolchain = { edition: '2021' };
      let text = source.text;
      const applied: string[] = [];
      for (let step = 0; ; step++) {
        assert.ok(step < 40, `still offering rewrites after 40 steps: ${applied.join(' → ')}`);
        const next = findingsOf(source.name, text, toolchain)
          .map((finding) => ({ finding, fix: rewritesOf(text, finding, toolchain).find((f) => f.isPreferred) }))
          .find((c) => c.fix);
        if (!next) break;
        text = applyEdits(text, next.fix!.edits);
        applied.push(`line ${next.finding.range.start.line + 1}: ${next.fix!.title}`);
        const errors = await check(text, '2021');
        assert.equal(errors, undefined, `after ${applied.join(' → ')}:\n${errors}\n--- result:\n${text}`);
      }
    });
  }
});

describe('fix matrix: what the crate\'s Rust version can compile', function () {
  /** APIs the rewrites introduce, with the Rust version that stabilised them (in a `static`). */
  const INTRODUCED: { pattern: RegExp; since: [number, number] }[] = [
    { pattern: /\bLazyLock\b/, since: [1, 80] },
    { pattern: /\bOnceLock\b/, since: [1, 70] },
    { pattern: /=\s*(std::sync::)?Mutex::new\(/, since: [1, 63] },
  ];
  const below = (version: string, since: [number, number]) => {
    const [major, minor] = version.split('.').map(Number);
    return major < since[0] || (major === since[0] && minor < since[1]);
  };

  for (const version of ['1.62', '1.69', '1.79', '1.80']) {
    it(`with rust-version ${version}, no rewrite uses an API stabilised later`, function () {
      const toolchain: Toolchain = { edition: '2021', rustVersion: version };
      const offending: string[] = [];
      let offered = 0;
      for (const source of SOURCES) {
        for (const finding of findingsOf(source.name, source.text, toolchain)) {
          for (const fix of rewritesOf(source.text, finding, toolchain)) {
            offered++;
            const added = fix.edits.map((e) => e.newText).join('\n');
            for (const api of INTRODUCED) {
              if (api.pattern.test(added) && below(version, api.since)) offending.push(`${source.name}:${finding.range.start.line + 1}: ${fix.title}`);
            }
            assert.doesNotMatch(fix.title, /needs Rust/, 'a known version needs no warning in the title');
          }
        }
      }
      assert.ok(offered > 0, 'some rewrites are still offered');
      assert.deepEqual(offending, []);
    });
  }

  it('with the Rust version unknown, a rewrite to a newer API says which version it needs', function () {
    const toolchain: Toolchain = { edition: '2021' };
    let checked = 0;
    for (const source of SOURCES) {
      for (const finding of findingsOf(source.name, source.text, toolchain)) {
        for (const fix of rewritesOf(source.text, finding, toolchain)) {
          const added = fix.edits.map((e) => e.newText).join('\n');
          for (const api of INTRODUCED) {
            if (!api.pattern.test(added)) continue;
            checked++;
            assert.match(fix.title, new RegExp(`needs Rust ${api.since.join('\\.')}`), `${source.name}:${finding.range.start.line + 1}: ${fix.title}`);
          }
        }
      }
    }
    assert.ok(checked > 0);
  });
});
