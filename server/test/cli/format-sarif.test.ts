import * as assert from 'node:assert/strict';
import { Hash, createHash } from 'node:crypto';
import type * as sarif from 'sarif';
import { RULE_IDS } from '../../../shared/src/findings';
import { formatSarif } from '../../src/cli/format-sarif';
import { CheckReport } from '../../src/cli/report';
import { finding, report } from './helpers';

function sarifOf(r: CheckReport): sarif.Log {
  return JSON.parse(formatSarif(r, { toolVersion: '9.8.7', cwd: '/work/project' })) as sarif.Log;
}

const LEVELS = ['none', 'note', 'warning', 'error'];

/** Characters given to SHA-256 hashes (and their copies) while `run` runs. */
function hashedCharacters(run: () => void): number {
  let total = 0;
  const counted = (hash: Hash): Hash => {
    const update = hash.update.bind(hash);
    const copy = hash.copy.bind(hash);
    hash.update = ((data: string) => ((total += data.length), update(data))) as Hash['update'];
    hash.copy = () => counted(copy());
    return hash;
  };
  // The module object itself (an `import * as` is a read-only view of it), as the formatter reads it.
  const crypto = require('node:crypto') as { createHash: typeof createHash };
  const original = crypto.createHash;
  crypto.createHash = (algorithm: string) => counted(original(algorithm));
  try {
    run();
  } finally {
    crypto.createHash = original;
  }
  return total;
}

/**
 * The SARIF 2.1.0 requirements a consumer such as GitHub code scanning relies on, checked
 * structurally (the official JSON schema is not available offline).
 */
function assertValidSarif(log: sarif.Log): void {
  assert.equal(log.version, '2.1.0');
  assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0];
  const driver = run.tool.driver;
  assert.equal(typeof driver.name, 'string');
  const ruleIds = (driver.rules ?? []).map((r) => r.id);
  assert.equal(new Set(ruleIds).size, ruleIds.length, 'rule ids are unique');
  for (const result of run.results ?? []) {
    assert.equal(typeof result.message.text, 'string');
    assert.ok(LEVELS.includes(result.level!), `level ${result.level}`);
    assert.equal(driver.rules![result.ruleIndex!].id, result.ruleId, 'ruleIndex points at ruleId');
    for (const loc of [...(result.locations ?? []), ...(result.relatedLocations ?? [])]) {
      const physical = loc.physicalLocation!;
      assert.ok(!/^[a-z]+:|^\//i.test(physical.artifactLocation!.uri!), 'uri is relative');
      assert.ok(run.originalUriBaseIds![physical.artifactLocation!.uriBaseId!], 'uriBaseId is declared');
      const region = physical.region!;
      for (const n of [region.startLine, region.startColumn, region.endLine, region.endColumn]) assert.ok(Number.isInteger(n) && n! >= 1, 'regions are 1-based');
      assert.ok(region.endLine! > region.startLine! || region.endColumn! >= region.startColumn!, 'region is not reversed');
    }
    const ids = (result.relatedLocations ?? []).map((l) => l.id);
    assert.ok(ids.every((id) => Number.isInteger(id) && id! >= 0) && new Set(ids).size === ids.length, 'related ids are unique');
  }
  for (const invocation of run.invocations ?? []) {
    assert.equal(typeof invocation.executionSuccessful, 'boolean');
    for (const n of invocation.toolExecutionNotifications ?? []) {
      assert.equal(typeof n.message.text, 'string');
      assert.ok(LEVELS.includes(n.level!));
    }
  }
  for (const uri of Object.values(run.originalUriBaseIds ?? {})) assert.ok(uri.uri!.endsWith('/'), 'base URIs end with a slash');
}

describe('SARIF output', () => {
  const related = { file: 'src/main.rs', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } }, message: 'the loop' };

  it('is a structurally valid SARIF 2.1.0 log', () => {
    const log = sarifOf(report({ findings: [finding({ related: [related, related] })], errors: [{ file: 'bad.rs', message: 'binary file' }] }));
    assertValidSarif(log);
  });

  it('describes the tool with its version and every catalog rule', () => {
    const driver = sarifOf(report()).runs[0].tool.driver;
    assert.equal(driver.name, 'leak-lens');
    assert.equal(driver.version, '9.8.7');
    assert.deepEqual(
      driver.rules!.map((r) => r.id),
      [...RULE_IDS],
    );
  });

  it('gives each rule a PascalCase name, descriptions, help text and markdown, a help URI and a default level', () => {
    const rule = sarifOf(report()).runs[0].tool.driver.rules!.find((r) => r.id === 'shared-to-mut-cast')!;
    assert.equal(rule.name, 'SharedToMutCast');
    assert.ok(rule.shortDescription!.text.length > 0);
    assert.ok(rule.fullDescription!.text.length > 0);
    assert.match(rule.help!.text, /Fixes:/);
    assert.match(rule.help!.markdown!, /```rust/);
    assert.equal(rule.helpUri, 'https://github.com/leak-lens/leak-lens/blob/main/docs/rules/shared-to-mut-cast.md');
    assert.equal(rule.defaultConfiguration!.level, 'warning');
  });

  it('maps error and warning to themselves and information and hint to note', () => {
    const severities = ['error', 'warning', 'information', 'hint'] as const;
    const log = sarifOf(report({ findings: severities.map((severity) => finding({ severity })) }));
    assert.deepEqual(
      log.runs[0].results!.map((r) => r.level),
      ['error', 'warning', 'note', 'note'],
    );
  });

  it('reports 1-based regions with an exclusive end column', () => {
    const region = sarifOf(report()).runs[0].results![0].locations![0].physicalLocation!.region;
    assert.deepEqual(region, { startLine: 2, startColumn: 13, endLine: 2, endColumn: 35 });
  });

  it('locates results by relative URI against %SRCROOT%, declared as the working directory', () => {
    const run = sarifOf(report({ findings: [finding({ file: 'src/my file#1.rs' })] })).runs[0];
    assert.deepEqual(run.results![0].locations![0].physicalLocation!.artifactLocation, { uri: 'src/my%20file%231.rs', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: 'file:///work/project/' } });
  });

  it('puts the message and the classification reasons in the result text, and the kind in properties', () => {
    const result = sarifOf(report()).runs[0].results![0];
    assert.equal(
      result.message.text,
      'real leak: `Box::leak` leaks on every iteration of the `loop` at line 1 (`Box::leak` happens inside the `loop` at line 1; every iteration leaks a new allocation)',
    );
    assert.deepEqual(result.properties, { kind: 'real-leak' });
  });

  it('names the kind in front of the reasons when the message does not (rules about undefined behaviour)', () => {
    const f = finding({ rule: 'static-mut', kind: 'intentional-static', message: '`static mut X: u8` is a mutable global', reasons: ['`X` lives for the whole program'] });
    assert.equal(sarifOf(report({ findings: [f] })).runs[0].results![0].message.text, '`static mut X: u8` is a mutable global (intentional static: `X` lives for the whole program)');
  });

  it('carries related locations with their messages', () => {
    const result = sarifOf(report({ findings: [finding({ related: [related] })] })).runs[0].results![0];
    assert.equal(result.relatedLocations!.length, 1);
    assert.equal(result.relatedLocations![0].message!.text, 'the loop');
    assert.equal(result.relatedLocations![0].physicalLocation!.region!.startLine, 1);
  });

  describe('fingerprints', () => {
    const fingerprintOf = (source: string, line: number, f = finding()) =>
      sarifOf(
        report({
          findings: [{ ...f, range: { start: { line, character: 4 }, end: { line, character: 8 } } }],
          sources: new Map([['src/main.rs', source]]),
        }),
      ).runs[0].results![0].partialFingerprints!['leakLens/v1'];

    it('stay the same when the flagged line moves', () => {
      assert.equal(fingerprintOf('Box::leak(b);\n', 0), fingerprintOf('\n\n  Box::leak(b);\n', 2));
    });

    it('differ when the flagged line changes', () => {
      assert.notEqual(fingerprintOf('Box::leak(a);\n', 0), fingerprintOf('Box::leak(b);\n', 0));
    });

    it('are the SHA-256 of the rule, the file, the flagged line trimmed and its occurrence, joined by NULs', () => {
      const expected = createHash('sha256').update('box-leak\0src/main.rs\0Box::leak(b);\x000').digest('hex').slice(0, 32);
      assert.equal(fingerprintOf('  Box::leak(b);  \n', 0), expected);
    });

    it('hash a long line once for all its findings, not once for each', () => {
      const f = finding();
      const n = 2_000;
      const line = 'Box::leak(Box::new(1));'.repeat(n);
      const findings = Array.from({ length: n }, (_, i) => ({ ...f, range: { start: { line: 0, character: 23 * i }, end: { line: 0, character: 23 * i + 22 } } }));
      let log: sarif.Log | undefined;
      const hashed = hashedCharacters(() => (log = sarifOf(report({ findings, sources: new Map([['src/main.rs', `${line}\n`]]) }))));
      const prints = log!.runs[0].results!.map((r) => r.partialFingerprints!['leakLens/v1']);
      assert.equal(new Set(prints).size, n);
      assert.equal(prints[1], createHash('sha256').update(`box-leak\0src/main.rs\0${line}\x001`).digest('hex').slice(0, 32));
      // Once per finding: 2,000 × 46,000 characters.
      assert.ok(hashed < 2 * line.length + 100 * n, `${hashed} characters hashed`);
    });

    it('differ for the same rule on identical lines of one file', () => {
      const f = finding();
      const log = sarifOf(
        report({
          findings: [0, 1].map((line) => ({ ...f, range: { start: { line, character: 0 }, end: { line, character: 4 } } })),
          sources: new Map([['src/main.rs', 'Box::leak(b);\nBox::leak(b);\n']]),
        }),
      );
      const [a, b] = log.runs[0].results!.map((r) => r.partialFingerprints!['leakLens/v1']);
      assert.notEqual(a, b);
    });
  });

  it('reports unreadable inputs as error notifications of a successful invocation', () => {
    const invocation = sarifOf(report({ errors: [{ file: 'bad.rs', message: 'binary file' }] })).runs[0].invocations![0];
    assert.equal(invocation.executionSuccessful, true);
    assert.deepEqual(invocation.toolExecutionNotifications, [
      { level: 'error', message: { text: 'bad.rs: binary file' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'bad.rs', uriBaseId: '%SRCROOT%' } } }] },
    ]);
  });

  it('reports warnings such as unknown suppressed rules as warning notifications', () => {
    const invocation = sarifOf(report({ warnings: [{ file: 'a.rs', message: 'line 1: unknown rule' }] })).runs[0].invocations![0];
    assert.equal(invocation.toolExecutionNotifications![0].level, 'warning');
  });
});
