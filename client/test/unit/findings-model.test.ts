/**
 * The client's findings model and the Leak Insights view's tree, on the `leakLens/fileFindings` of a
 * file with more findings than the editor shows: the counts stay exact, the lists are the ones shown.
 * Run by mocha outside VS Code, with the one `vscode` API these modules touch (EventEmitter) stubbed.
 */
import * as assert from 'node:assert/strict';
import Module = require('node:module');
import type { Finding, Kind } from '../../../shared/src/findings';
import type { FileFindingsParams } from '../../../shared/src/protocol';
import { finding } from '../../../server/test/cli/helpers';

class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  event = (listener: (e: T) => void) => (this.listeners.push(listener), { dispose: () => undefined });
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
(Module as unknown as { _load: typeof load })._load = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? { EventEmitter } : load.call(this, request, ...rest);
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { FindingsModel } = require('../../src/findings-model') as typeof import('../../src/findings-model');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { InsightsProvider } = require('../../src/insights-view') as typeof import('../../src/insights-view');
(Module as unknown as { _load: typeof load })._load = load;

const URI = 'file:///gen.rs';
const at = (line: number, kind: Kind): Finding => finding({ file: URI, kind, range: { start: { line, character: 0 }, end: { line, character: 1 } } });

describe('the client findings model of a file with more findings than the editor shows', () => {
  // 3 real leaks and 2 intentional statics listed, of 1,200 and 800.
  const params: FileFindingsParams = {
    uri: URI,
    findings: [at(0, 'real-leak'), at(1, 'real-leak'), at(2, 'real-leak'), at(3, 'intentional-static'), at(4, 'intentional-static')],
    counts: { 'real-leak': 1200, 'intentional-static': 800 },
  };

  it('counts every finding of each kind for the status bar, not only those listed', () => {
    const model = new FindingsModel();
    model.update(params);
    assert.deepEqual([model.count('real-leak'), model.count('intentional-static'), model.count('reclaimed')], [1200, 800, 0]);
    model.replaceAll([{ uri: URI, findings: params.findings }]);
    assert.equal(model.count('real-leak'), 3, 'without counts, the list is all there is');
  });

  it('lists the findings shown under each kind and file, then how many more there are', () => {
    const model = new FindingsModel();
    model.update(params);
    const view = new InsightsProvider(model);
    const kinds = view.getChildren();
    assert.deepEqual(kinds.map((k) => [k.type === 'kind' && k.kind, k.type === 'kind' && k.count]), [['intentional-static', 800], ['real-leak', 1200]]);
    const [file] = view.getChildren(kinds[1]);
    const children = view.getChildren(file);
    assert.deepEqual(children.map((c) => (c.type === 'finding' ? c.finding.range.start.line : c)), [0, 1, 2, { type: 'more', count: 1197 }]);
  });
});

describe('the client findings model of a file the server did not analyse', () => {
  const REASON = 'too dense to analyse within memory bounds: its syntax tree has 760,010 nodes';
  const refused: FileFindingsParams = { uri: URI, findings: [], refused: REASON };

  it('lists the file under "not analysed" with why, beside the kinds of the other files', () => {
    const model = new FindingsModel();
    model.update({ uri: 'file:///lib.rs', findings: [at(0, 'real-leak')] });
    model.update(refused);
    const view = new InsightsProvider(model);
    const roots = view.getChildren();
    assert.deepEqual(roots.map((n) => n.type), ['kind', 'refused']);
    assert.deepEqual(view.getChildren(roots[1]), [{ type: 'refused-file', uri: URI, reason: REASON }]);
  });

  it('forgets why once the file is analysed, and keeps it through a reconnection', () => {
    const model = new FindingsModel();
    model.replaceAll([refused]);
    assert.deepEqual(model.refusedFiles(), [[URI, REASON]]);
    model.update({ uri: URI, findings: [at(2, 'real-leak')] });
    assert.deepEqual(model.refusedFiles(), []);
    assert.equal(model.count('real-leak'), 1);
    assert.deepEqual(new InsightsProvider(model).getChildren().map((n) => n.type), ['kind']);
  });
});
