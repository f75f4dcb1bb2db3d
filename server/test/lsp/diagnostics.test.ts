/**
 * The diagnostics publisher on its own: what one publication of a document costs, counted in
 * findings whose quick fixes are computed and in notifications sent (work, not time). A keystroke
 * must not pay for the fixes of every finding of the file, nor resend findings that did not move.
 */
import * as assert from 'node:assert/strict';
import type { CodeActionParams, Connection, Diagnostic } from 'vscode-languageserver/node';
import { analyzeText } from '../../src/analysis/engine';
import { codeActions } from '../../src/lsp/code-actions';
import { DiagnosticsPublisher, FileReport } from '../../src/lsp/diagnostics';
import type { Logger } from '../../src/lsp/logger';
import { initParser, parseRust } from '../../src/parsing/parser';

const URI = 'file:///doc.rs';
const LEAKS = 200;
const leaks = (n: number) => `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(n)}}\n`;

function publisher(): { publisher: DiagnosticsPublisher; sent: { method: string; params: { diagnostics?: Diagnostic[] } }[] } {
  const sent: { method: string; params: { diagnostics?: Diagnostic[] } }[] = [];
  const connection = {
    sendDiagnostics: (params: { diagnostics: Diagnostic[] }) => (sent.push({ method: 'publishDiagnostics', params }), Promise.resolve()),
    sendNotification: (method: string, params: object) => (sent.push({ method, params }), Promise.resolve()),
  } as unknown as Connection;
  const quiet = { warn: () => {}, debug: () => {}, info: () => {}, error: () => {} } as unknown as Logger;
  return { publisher: new DiagnosticsPublisher(connection, quiet), sent };
}

function publish(p: DiagnosticsPublisher, text: string, version: number): { report: FileReport; current: { tree: ReturnType<typeof parseRust>; version: number; text: string } } {
  const tree = parseRust(text);
  p.publish(URI, analyzeText(URI, text, undefined, tree), version, { text, tree });
  return { report: p.report(URI)!, current: { tree, version, text } };
}

const computed = (report: FileReport) => report.findings.filter((f) => f.fixes !== undefined).length;

describe('the diagnostics publisher', () => {
  before(() => initParser());

  it(`computes no quick fix when it publishes a document with ${LEAKS} findings, and only the asked one's on a code action`, () => {
    const { publisher: p, sent } = publisher();
    const { report, current } = publish(p, leaks(LEAKS), 1);
    const diagnostics = sent[0].params.diagnostics!;
    assert.equal(diagnostics.length, LEAKS);
    assert.equal(computed(report), 0);
    const asked = diagnostics[LEAKS / 2];
    const params: CodeActionParams = { textDocument: { uri: URI }, range: asked.range, context: { diagnostics: [asked] } };
    const actions = codeActions(params, report, { clientExplains: true, fixes: (f) => p.fixesOf(report, f, current) });
    assert.ok(actions.some((a) => a.edit), 'the asked finding gets its rewrites');
    assert.equal(computed(report), 1);
  });

  it('offers no fix computed from a tree of another version than the one published', () => {
    const { publisher: p, sent } = publisher();
    const { report, current } = publish(p, leaks(3), 1);
    const asked = sent[0].params.diagnostics![0];
    const params: CodeActionParams = { textDocument: { uri: URI }, range: asked.range, context: { diagnostics: [asked] } };
    const later = { ...current, version: 2 };
    const actions = codeActions(params, report, { clientExplains: true, fixes: (f) => p.fixesOf(report, f, later) });
    assert.deepEqual(actions.filter((a) => a.edit), []);
    assert.equal(computed(report), 0);
  });

  it('republishes the diagnostics of a new version but does not resend findings that did not move', () => {
    const { publisher: p, sent } = publisher();
    const text = leaks(LEAKS);
    publish(p, text, 1);
    // A keystroke at the end of the file: the findings stay where they were.
    publish(p, `${text}//`, 2);
    assert.deepEqual(sent.map((s) => s.method), ['publishDiagnostics', 'leakLens/fileFindings', 'publishDiagnostics']);
    // One that moves them: the client's findings model must hear of it.
    publish(p, `\n${text}`, 3);
    assert.deepEqual(sent.slice(3).map((s) => s.method), ['publishDiagnostics', 'leakLens/fileFindings']);
  });
});
