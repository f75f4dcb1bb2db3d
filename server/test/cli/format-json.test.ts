import * as assert from 'node:assert/strict';
import { formatJson } from '../../src/cli/format-json';
import { finding, report } from './helpers';

describe('JSON output', () => {
  const related = { file: 'src/lib.rs', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 4 } }, message: 'loop' };

  it('has exactly the top-level keys of the version 1 contract', () => {
    const doc = JSON.parse(formatJson(report()));
    assert.deepEqual(Object.keys(doc), ['version', 'filesScanned', 'errors', 'findings']);
    assert.equal(doc.version, 1);
    assert.equal(doc.filesScanned, 1);
  });

  it('prints each finding with exactly the contract keys, dropping anything internal', () => {
    const internal = { ...finding({ related: [{ ...related, extra: 1 } as typeof related] }), facts: { secret: true }, suppressed: false };
    const doc = JSON.parse(formatJson(report({ findings: [internal] })));
    const f = doc.findings[0];
    assert.deepEqual(Object.keys(f), ['file', 'range', 'rule', 'kind', 'severity', 'message', 'reasons', 'related']);
    assert.deepEqual(Object.keys(f.range), ['start', 'end']);
    assert.deepEqual(Object.keys(f.range.start), ['line', 'character']);
    assert.deepEqual(Object.keys(f.related[0]), ['file', 'range', 'message']);
  });

  it('keeps positions 0-based, exactly as the engine reports them', () => {
    const doc = JSON.parse(formatJson(report()));
    assert.deepEqual(doc.findings[0].range, { start: { line: 1, character: 12 }, end: { line: 1, character: 34 } });
  });

  it('lists errors as file and message only', () => {
    const error = { file: 'bad.rs', message: 'binary file', code: 'EBIN' } as { file: string; message: string };
    const doc = JSON.parse(formatJson(report({ errors: [error] })));
    assert.deepEqual(doc.errors, [{ file: 'bad.rs', message: 'binary file' }]);
  });

  it('stays valid JSON for messages with quotes, backslashes and control characters', () => {
    const f = finding({ message: 'a "quoted" \\ path\u0000\n', reasons: ['\t'] });
    assert.equal(JSON.parse(formatJson(report({ findings: [f] }))).findings[0].message, 'a "quoted" \\ path\u0000\n');
  });

  it('is pretty-printed with two spaces and ends with a newline', () => {
    const text = formatJson(report({ findings: [] }));
    assert.equal(text, '{\n  "version": 1,\n  "filesScanned": 1,\n  "errors": [],\n  "findings": []\n}\n');
  });
});
