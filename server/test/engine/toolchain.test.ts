/**
 * What a crate compiles with, as the fixes and the findings' wording see it: the nearest
 * `Cargo.toml` with a `[package]`, workspace inheritance, `clippy.toml`, and the file's own
 * `#![clippy::msrv]` / `#![no_std]`.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeText, extractFacts } from '../../src/analysis/engine';
import { computeFixes } from '../../src/fixes';
import { CrateToolchains } from '../../src/manifest/cargo';
import { parseRust } from '../../src/parsing/parser';

/** A file system of the given files (POSIX paths under `/w`). */
function crates(files: Record<string, string>): CrateToolchains {
  return new CrateToolchains((file) => files[file.split(path.sep).join('/')]);
}

describe('crate toolchain facts', () => {
  it('reads edition and rust-version from the nearest Cargo.toml that has a [package]', () => {
    const t = crates({
      '/w/Cargo.toml': '[package]\nname = "outer"\nedition = "2018"\n',
      '/w/inner/Cargo.toml': '[package]\nname = "inner"\nedition = "2024"\nrust-version = "1.85"\n',
    });
    assert.deepEqual(t.forFile('/w/inner/src/deep/lib.rs'), { edition: '2024', rustVersion: '1.85', rustVersionSource: '`rust-version` in Cargo.toml' });
    assert.deepEqual(t.forFile('/w/src/main.rs'), { edition: '2018' });
  });

  it('takes a manifest without an edition as edition 2015, as cargo does', () => {
    assert.deepEqual(crates({ '/w/Cargo.toml': '[package]\nname = "old"\n' }).forFile('/w/src/lib.rs'), { edition: '2015' });
  });

  it('follows `edition.workspace = true` and `rust-version.workspace = true` to the workspace root', () => {
    const t = crates({
      '/w/Cargo.toml': '[workspace]\nmembers = ["crates/*"]\n[workspace.package]\nedition = "2021"\nrust-version = "1.70"\n',
      '/w/crates/a/Cargo.toml': '[package]\nname = "a"\nedition.workspace = true\nrust-version = { workspace = true }\n',
    });
    assert.deepEqual(t.forFile('/w/crates/a/src/lib.rs'), { edition: '2021', rustVersion: '1.70', rustVersionSource: '`rust-version` in Cargo.toml' });
  });

  it('follows an explicit `package.workspace` path', () => {
    const t = crates({
      '/w/root/Cargo.toml': '[workspace]\n[workspace.package]\nrust-version = "1.75"\n',
      '/w/member/Cargo.toml': '[package]\nname = "m"\nworkspace = "../root"\nedition = "2021"\nrust-version.workspace = true\n',
    });
    assert.equal(t.forFile('/w/member/src/lib.rs').rustVersion, '1.75');
  });

  it('lets `msrv` in clippy.toml win over rust-version, as clippy does', () => {
    const t = crates({
      '/w/Cargo.toml': '[package]\nname = "c"\nedition = "2021"\nrust-version = "1.80"\n',
      '/w/clippy.toml': 'msrv = "1.65"\n',
    });
    assert.deepEqual(t.forFile('/w/src/lib.rs'), { edition: '2021', rustVersion: '1.65', rustVersionSource: '`msrv` in clippy.toml' });
  });

  it('leaves the facts unknown for a Cargo.toml that does not parse, instead of using a parent crate', () => {
    const t = crates({
      '/w/Cargo.toml': '[package]\nname = "parent"\nedition = "2024"\nrust-version = "1.85"\n',
      '/w/broken/Cargo.toml': '[package\nname = ',
    });
    assert.deepEqual(t.forFile('/w/broken/src/lib.rs'), {});
  });

  it('knows nothing of a file outside every package (a virtual workspace manifest is no crate)', () => {
    assert.deepEqual(crates({ '/w/Cargo.toml': '[workspace]\nmembers = []\n' }).forFile('/w/scripts/x.rs'), {});
  });

  it("takes the file's own #![clippy::msrv] over the manifests, and notes #![no_std]", () => {
    const facts = extractFacts('lib.rs', '#![no_std]\n#![clippy::msrv = "1.69"]\nstatic mut X: u8 = 0;\n', undefined, { edition: '2021', rustVersion: '1.80' });
    assert.deepEqual(facts.toolchain, { edition: '2021', rustVersion: '1.69', rustVersionSource: '`#![clippy::msrv]` in the file', noStd: true });
  });
});

describe('static-mut findings say what the crate\'s edition does with references', () => {
  const text = 'static mut N: u32 = 0;\npub fn f() -> u32 { unsafe { let r = &N; *r } }\n';
  const reasons = (toolchain: Parameters<typeof extractFacts>[3]) =>
    analyzeText('lib.rs', text, undefined, undefined, toolchain).flatMap((f) => f.reasons).join('\n');

  it('edition 2024: references are denied in this crate', () => {
    assert.match(reasons({ edition: '2024' }), /this crate is edition 2024, which denies/);
  });

  it('edition 2021: a warning here, denied from edition 2024', () => {
    const text2021 = reasons({ edition: '2021' });
    assert.match(text2021, /edition 2021.*warns|warns.*edition 2021/);
    assert.doesNotMatch(text2021, /this crate is edition 2024/);
  });

  it('suggests addr_of! where the crate predates &raw const (Rust 1.82)', () => {
    assert.match(reasons({ edition: '2021', rustVersion: '1.70' }), /addr_of!/);
    assert.match(reasons({ edition: '2021', rustVersion: '1.82' }), /&raw const/);
  });
});

describe('#[clippy::msrv] on the code around a finding', () => {
  it('withholds a fix the item-level MSRV cannot compile, and offers it elsewhere in the file', () => {
    const text = [
      'use lazy_static::lazy_static;',
      '#[clippy::msrv = "1.79"]',
      'mod old {',
      '    lazy_static! { pub static ref A: u8 = 1; }',
      '}',
      'mod new {',
      '    #![clippy::msrv = "1.80"]',
      '    lazy_static! { pub static ref B: u8 = 2; }',
      '}',
      '',
    ].join('\n');
    const titles = (line: number) => {
      const finding = analyzeText('lib.rs', text).find((f) => f.rule === 'lazy-global' && f.range.start.line === line)!;
      return computeFixes(text, parseRust(text), finding, undefined, { edition: '2021', rustVersion: '1.85' }).map((f) => f.title);
    };
    assert.ok(!titles(3).some((t) => /LazyLock/.test(t)), titles(3).join(' | '));
    assert.ok(titles(7).some((t) => /LazyLock/.test(t) && !/needs Rust/.test(t)), titles(7).join(' | '));
  });
});
