import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileExclude, findConfig, loadConfig, loadConfigFile, parseConfig } from '../../src/config';
import { makeTree, removeTree } from './helpers';

const FULL = `exclude = ["generated/**", "vendor/**"]
minimum-severity = "information"
fail-on = "error"

[rules]
box-leak = "deny"
static-mut = "allow"
`;

describe('leak-lens.toml', () => {
  describe('parsing', () => {
    it('reads exclude globs, minimum severity, fail-on and rule levels', () => {
      const config = parseConfig(FULL, 'leak-lens.toml');
      assert.deepEqual(config.errors, []);
      assert.deepEqual(config.settings, {
        exclude: ['generated/**', 'vendor/**'],
        minimumSeverity: 'information',
        rules: { 'box-leak': 'deny', 'static-mut': 'allow' },
      });
      assert.equal(config.failOn, 'error');
    });

    it('yields the defaults for an empty file', () => {
      const config = parseConfig('', 'leak-lens.toml');
      assert.deepEqual(config.settings, { exclude: [], minimumSeverity: 'hint', rules: {} });
      assert.equal(config.failOn, undefined);
      assert.deepEqual(config.errors, []);
    });

    it('reports a TOML syntax error with its line and falls back to the defaults', () => {
      const config = parseConfig('exclude = ["a"]\n[rules\nbox-leak = "deny"\n', 'leak-lens.toml');
      assert.equal(config.errors.length, 1);
      assert.match(config.errors[0].message, /^line 2: invalid TOML: /);
      assert.equal(config.errors[0].file, 'leak-lens.toml');
      assert.deepEqual(config.settings.rules, {});
    });

    it('reports an unknown rule id with its line and a suggestion, keeping the valid rules', () => {
      const config = parseConfig('[rules]\nbox-leek = "deny"\nstatic-mut = "allow"\n', 'leak-lens.toml');
      assert.deepEqual(config.settings.rules, { 'static-mut': 'allow' });
      assert.equal(config.errors.length, 1);
      assert.match(config.errors[0].message, /^line 2: unknown rule `box-leek`.*did you mean `box-leak`/);
    });

    it('reports a bad rule level and names the accepted levels', () => {
      const config = parseConfig('[rules]\nbox-leak = "error"\n', 'leak-lens.toml');
      assert.deepEqual(config.settings.rules, {});
      assert.match(config.errors[0].message, /^line 2: level of `box-leak` must be one of "allow", "warn", "deny", got "error"/);
    });

    it('reports a bad minimum severity and keeps the default', () => {
      const config = parseConfig('minimum-severity = "loud"\n', 'leak-lens.toml');
      assert.equal(config.settings.minimumSeverity, 'hint');
      assert.match(config.errors[0].message, /^line 1: `minimum-severity` must be one of/);
    });

    it('reports a bad fail-on value', () => {
      const config = parseConfig('fail-on = 3\n', 'leak-lens.toml');
      assert.equal(config.failOn, undefined);
      assert.match(config.errors[0].message, /`fail-on` must be one of .*"none", got 3/);
    });

    it('accepts fail-on = "none"', () => {
      assert.equal(parseConfig('fail-on = "none"\n', 'leak-lens.toml').failOn, 'none');
    });

    it('reports an exclude that is not a list of strings', () => {
      const config = parseConfig('exclude = "vendor/**"\n', 'leak-lens.toml');
      assert.deepEqual(config.settings.exclude, []);
      assert.match(config.errors[0].message, /`exclude` must be an array of glob strings/);
    });

    it('reports and drops exclude patterns that match nothing (empty, blank, `./`), keeping the others', () => {
      const config = parseConfig('exclude = ["", "vendor/**", "./", "  "]\n', 'leak-lens.toml');
      assert.deepEqual(config.settings.exclude, ['vendor/**']);
      assert.deepEqual(
        config.errors.map((e) => e.message),
        ['line 1: exclude pattern "" matches nothing; ignored', 'line 1: exclude pattern "./" matches nothing; ignored', 'line 1: exclude pattern "  " matches nothing; ignored'],
      );
    });

    it('reports unknown top-level keys with a suggestion', () => {
      const config = parseConfig('exclud = ["a"]\n', 'leak-lens.toml');
      assert.match(config.errors[0].message, /^line 1: unknown key `exclud` \(did you mean `exclude`\?\)/);
    });

    it('reports a [rules] that is not a table', () => {
      const config = parseConfig('rules = ["box-leak"]\n', 'leak-lens.toml');
      assert.match(config.errors[0].message, /`rules` must be a table/);
    });
  });

  describe('loading', () => {
    let root: string;
    afterEach(() => removeTree(root));

    it('reads leak-lens.toml from the given root and records its path', () => {
      root = makeTree({ 'leak-lens.toml': '[rules]\nbox-leak = "deny"\n' });
      const config = loadConfig(root);
      assert.equal(config.path, path.join(root, 'leak-lens.toml'));
      assert.deepEqual(config.settings.rules, { 'box-leak': 'deny' });
    });

    it('yields the defaults without error when the root has no config', () => {
      root = makeTree();
      const config = loadConfig(root);
      assert.equal(config.path, undefined);
      assert.deepEqual(config.errors, []);
    });

    it('reports an explicitly named config file that does not exist', () => {
      root = makeTree();
      const config = loadConfigFile(path.join(root, 'missing.toml'));
      assert.match(config.errors[0].message, /cannot read config: no such file/);
    });

    it('is found in an ancestor directory of the analyzed code', () => {
      root = makeTree({ 'leak-lens.toml': '', 'crates/a/src/lib.rs': '' });
      assert.equal(findConfig(path.join(root, 'crates/a/src')), path.join(root, 'leak-lens.toml'));
    });

    it('is not searched for above the repository root', () => {
      root = makeTree({ 'leak-lens.toml': '', 'repo/src/lib.rs': '' });
      fs.mkdirSync(path.join(root, 'repo/.git'));
      assert.equal(findConfig(path.join(root, 'repo/src')), undefined);
    });
  });

  describe('a generated exclude list', () => {
    const patterns = (n: number) => Array.from({ length: n }, (_, i) => `dir${i}/**`);

    it('applies the first 1,000 distinct patterns and reports that the others are ignored', () => {
      const config = parseConfig(`exclude = [${patterns(1500).map((p) => JSON.stringify(p)).join(', ')}]\n`, 'leak-lens.toml');
      assert.equal(config.settings.exclude.length, 1000);
      assert.deepEqual(config.errors.map((e) => e.message), ['line 1: 1500 exclude patterns, more than the 1000 Leak Lens reads: the first 1000 apply, the others are ignored']);
      const { matches, problems } = compileExclude(patterns(1500));
      assert.equal(problems.length, 1);
      assert.ok(matches('dir999/a.rs'));
      assert.ok(!matches('dir1000/a.rs'));
    });

    it('counts a pattern written many times once', () => {
      const config = parseConfig(`exclude = [${Array(5000).fill('"gen/**"').join(', ')}]\n`, 'leak-lens.toml');
      assert.deepEqual(config.settings.exclude, ['gen/**']);
      assert.deepEqual(config.errors, []);
    });
  });
});
