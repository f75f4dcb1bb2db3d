/**
 * The diagnostics publisher on its own: what one publication of a document costs, counted in
 * findings whose quick fixes are computed and in notifications sent (work, not time). A keystroke
 * must not pay for the fixes of every finding of the file, nor resend findings that did not move.
 */
import * as assert from 'node:assert/strict';
import { CodeActionParams, Connection, Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import { analyzeText } from '../../src/analysis/engine';
import { codeActions } from '../../src/lsp/code-actions';
import { DiagnosticsPublisher, FileReport, MAX_DIAGNOSTICS } from '../../src/lsp/diagnostics';
import { findingsAt, hoverFor } from '../../src/lsp/hover';
import type { Finding, Kind, Severity } from '../../../shared/src/findings';
import type { FileFindingsParams } from '../../../shared/src/protocol';
import { finding } from '../cli/helpers';
import type { Logger } from '../../src/lsp/logger';
import { initParser, parseRust } from '../../src/parsing/parser';

const URI = 'file:///doc.rs';
const LEAKS = 200;
const leaks = (n: number) => `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(n)}}\n`;

type Sent = { method: string; params: { diagnostics?: Diagnostic[] } & Partial<FileFindingsParams> };

function publisher(): { publisher: DiagnosticsPublisher; sent: Sent[] } {
  const sent: Sent[] = [];
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

  describe('a file that is not analysed', () => {
    const WHY = 'its analysis failed (boom), a bug in Leak Lens';

    it('publishes why as its one warning, tells the findings model once, and is replaced by the findings of a later reading', () => {
      const { publisher: p, sent } = publisher();
      publish(p, leaks(2), 1);
      p.refuse(URI, WHY, 2);
      p.refuse(URI, WHY, 3);
      p.refuse(URI, WHY, 3);
      const refusals = sent.slice(2);
      assert.deepEqual(refusals.map((s) => s.method), ['publishDiagnostics', 'leakLens/fileFindings', 'publishDiagnostics']);
      assert.deepEqual(refusals[0].params.diagnostics, [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Warning, source: 'leak-lens', message: `Leak Lens did not analyse this file: ${WHY}.` },
      ]);
      assert.deepEqual(refusals[1].params, { uri: URI, findings: [], refused: WHY });
      assert.equal(p.report(URI), undefined, 'no finding left for a hover or a code action');
      assert.deepEqual(p.allFileFindings(), [{ uri: URI, findings: [], refused: WHY }]);
      // The same findings as before the refusal are news again to both.
      publish(p, leaks(2), 4);
      assert.deepEqual(sent.slice(5).map((s) => s.method), ['publishDiagnostics', 'leakLens/fileFindings']);
      assert.equal(sent[5].params.diagnostics!.length, 2);
      assert.equal(sent[6].params.refused, undefined);
      assert.deepEqual(p.allFileFindings().map((f) => [f.findings.length, f.refused]), [[2, undefined]]);
    });

    it('tells the findings model when a refused file turns out to have no findings', () => {
      const { publisher: p, sent } = publisher();
      p.refuse(URI, WHY, 1);
      p.publish(URI, [], 2);
      assert.deepEqual(sent.slice(2).map((s) => [s.method, s.params.diagnostics?.length ?? s.params.findings?.length]), [['publishDiagnostics', 0], ['leakLens/fileFindings', 0]]);
      assert.equal(sent[3].params.refused, undefined);
    });

    it('clears the warning of a closed file that is gone', () => {
      const { publisher: p, sent } = publisher();
      p.refuse(URI, WHY, null);
      p.clear(URI);
      assert.deepEqual(sent.slice(2).map((s) => [s.method, s.params.diagnostics?.length ?? s.params.findings?.length]), [['publishDiagnostics', 0], ['leakLens/fileFindings', 0]]);
      assert.deepEqual(p.allFileFindings(), []);
    });
  });

  describe(`at most ${MAX_DIAGNOSTICS} diagnostics per document, as VS Code shows no more`, () => {
    /** Finding `i` is on line `i`; of every 50, 1 is an error, 7 warnings, 15 information, 27 hints. */
    const SEVERITY_OF: [number, Severity, Kind][] = [[1, 'error', 'real-leak'], [8, 'warning', 'real-leak'], [23, 'information', 'intentional-static'], [50, 'hint', 'reclaimed']];
    const mixed = (n: number): Finding[] =>
      Array.from({ length: n }, (_, i) => {
        const [, severity, kind] = SEVERITY_OF.find(([below]) => i % 50 < below)!;
        return finding({ file: URI, severity, kind, range: { start: { line: i, character: 4 }, end: { line: i, character: 26 } } });
      });
    const lines = (ds: Diagnostic[]) => ds.map((d) => d.range.start.line);

    it('publishes 5,000 findings as the 999 most severe and one notice with the exact count of the rest', () => {
      const { publisher: p, sent } = publisher();
      p.publish(URI, mixed(5000), 1);
      const diagnostics = sent[0].params.diagnostics!;
      assert.equal(diagnostics.length, 1000);
      const notice = diagnostics.pop()!;
      // All 100 errors and 700 warnings, then the information findings from the top of the file.
      const firstInformation = Array.from({ length: 5000 }, (_, i) => i).filter((i) => i % 50 >= 8 && i % 50 < 23).slice(0, 199);
      const expected = Array.from({ length: 5000 }, (_, i) => i).filter((i) => i % 50 < 8 || firstInformation.includes(i));
      assert.deepEqual(lines(diagnostics), expected);
      assert.deepEqual(diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).length, 100);
      assert.equal(notice.severity, DiagnosticSeverity.Information);
      // At the first finding left out: line 23 is the first hint.
      assert.equal(notice.range.start.line, 23);
      assert.match(notice.message as string, /^4,001 more findings in this file are not shown \(1,301 information, 2,700 hints\), the first of them here: .*`leak-lens check` on the file lists all 5,000\.$/);
      assert.equal(notice.data, undefined, 'the notice is no finding: no quick fix is looked up for it');
      // The same choice whatever order the findings come in.
      p.publish(URI, mixed(5000).reverse(), 2);
      const reversed = sent[2].params.diagnostics!;
      assert.deepEqual(lines(reversed.slice(0, -1)).sort((a, b) => a - b), expected);
      assert.equal(reversed.at(-1)!.range.start.line, 23);
    });

    it('gives the client\'s findings model the findings shown and the exact counts of each kind', () => {
      const { publisher: p, sent } = publisher();
      p.publish(URI, mixed(5000), 1);
      const params = sent[1].params;
      assert.equal(sent[1].method, 'leakLens/fileFindings');
      assert.deepEqual(params.findings!.map((f) => f.range.start.line), lines(sent[0].params.diagnostics!.slice(0, -1)));
      assert.deepEqual(params.counts, { 'real-leak': 800, 'intentional-static': 1500, reclaimed: 2700 });
      assert.deepEqual(p.allFileFindings(), [params]);
    });

    it(`publishes ${MAX_DIAGNOSTICS} findings as they are, and ${MAX_DIAGNOSTICS + 1} as ${MAX_DIAGNOSTICS - 1} and a notice`, () => {
      const { publisher: p, sent } = publisher();
      p.publish(URI, mixed(MAX_DIAGNOSTICS), 1);
      assert.deepEqual(lines(sent[0].params.diagnostics!), Array.from({ length: MAX_DIAGNOSTICS }, (_, i) => i));
      assert.equal(sent[1].params.counts, undefined);
      p.publish(URI, mixed(MAX_DIAGNOSTICS + 1), 2);
      const diagnostics = sent[2].params.diagnostics!;
      assert.equal(diagnostics.length, MAX_DIAGNOSTICS);
      assert.match(diagnostics.at(-1)!.message as string, /^2 more findings in this file are not shown \(2 hints\)/);
    });

    it('keeps quick fixes and hovers working on the findings shown, and hovers on those left out', () => {
      const { publisher: p, sent } = publisher();
      const { report, current } = publish(p, leaks(1500), 1);
      const diagnostics = sent[0].params.diagnostics!;
      assert.equal(diagnostics.length, MAX_DIAGNOSTICS);
      const asked = diagnostics[500];
      const params: CodeActionParams = { textDocument: { uri: URI }, range: asked.range, context: { diagnostics: [asked] } };
      assert.ok(codeActions(params, report, { clientExplains: true, fixes: (f) => p.fixesOf(report, f, current) }).some((a) => a.edit));
      assert.ok(hoverFor(findingsAt(report, current.tree, asked.range.start)));
      const leftOut = { line: 1 + 1400, character: 8 };
      assert.ok(!diagnostics.some((d) => d.range.start.line === leftOut.line));
      assert.ok(hoverFor(findingsAt(report, current.tree, leftOut)));
    });
  });
});
