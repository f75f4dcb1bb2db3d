/**
 * The language server's memory bound (`MemoryBound`): what the files it holds allow, the headroom
 * one file's analysis has beside what the others keep, and when what the analyses dropped is
 * freed: only near the bound, and only when something was dropped since it last was. Counts
 * collections and bytes of the model, not memory.
 */
import * as assert from 'node:assert/strict';
import type { Connection } from 'vscode-languageserver/node';
import { DEFAULT_SETTINGS } from '../../../shared/src/settings';
import { FILE_FINDINGS_NOTIFICATION } from '../../../shared/src/protocol';
import { Configuration } from '../../src/lsp/configuration';
import { DiagnosticsPublisher } from '../../src/lsp/diagnostics';
import { DocumentStore } from '../../src/lsp/documents';
import type { Listing, ReadResult, WorkspaceFiles } from '../../src/lsp/files';
import type { Logger } from '../../src/lsp/logger';
import { MemoryBound, memoryBoundStats } from '../../src/lsp/memory-bound';
import { Workspace } from '../../src/lsp/workspace';
import { initParser } from '../../src/parsing/parser';
import { SERVER_COSTS } from '../../src/parsing/tree-budget';
import { TreeCache } from '../../src/parsing/trees';

const quiet = { warn: () => {}, debug: () => {}, info: () => {}, error: () => {} } as unknown as Logger;

describe('language server memory bound', () => {
  it('is 100 MB plus 20 bytes per character of the files it holds, each counted once', () => {
    const bound = new MemoryBound();
    bound.holds('file:///a.rs', 1_000, 300, 0);
    bound.holds('file:///b.rs', 500, 150, 0);
    bound.holds('file:///a.rs', 2_000, 600, 1);
    assert.equal(bound.bytes(), 100 * 1024 * 1024 + 20 * 2_500);
    bound.forget('file:///a.rs');
    bound.forget('file:///c.rs');
    assert.equal(bound.bytes(), 100 * 1024 * 1024 + 20 * 500);
  });

  it('frees dropped trees near the bound once per tree dropped, and not again with nothing dropped', async () => {
    // A bound this process is over whatever it holds.
    const bound = new MemoryBound(0);
    await bound.collect();
    assert.equal(bound.nearBound(), false, 'nothing dropped since the last collection');
    bound.analysed(100_000);
    assert.equal(bound.nearBound(), true, 'a tree of 100,000 nodes dropped');
    const before = memoryBoundStats.collections;
    await bound.collect();
    assert.equal(memoryBoundStats.collections, before + 1);
    assert.equal(bound.nearBound(), false);
  });

  it("gives a file's analysis the headroom the other files' kept trees and sites leave, and real code takes none", () => {
    const bound = new MemoryBound();
    // hashbrown's map.rs: 260,667 characters, 66,825 nodes, 99 sites.
    bound.holds('file:///map.rs', 260_667, 66_825, 99);
    assert.equal(bound.costsFor('file:///other.rs'), SERVER_COSTS);
    // 1,388 leak statements in one function: 38,870 characters, 26,382 nodes, a site each.
    bound.holds('file:///dense.rs', 38_870, 26_382, 1_388);
    const beside = bound.costsFor('file:///other.rs');
    assert.equal(beside.headroom, SERVER_COSTS.headroom - (100 * 26_382 + 2_600 * 1_388 - 40 * 38_870));
    // Not its own, nor once it is gone; never below 2 MB.
    assert.equal(bound.costsFor('file:///dense.rs'), SERVER_COSTS);
    for (let i = 0; i < 5; i++) bound.holds(`file:///dense${i}.rs`, 38_870, 26_382, 1_388);
    assert.equal(bound.costsFor('file:///other.rs').headroom, 2 * 1024 * 1024);
    for (let i = 0; i < 5; i++) bound.forget(`file:///dense${i}.rs`);
    bound.forget('file:///dense.rs');
    assert.equal(bound.costsFor('file:///other.rs'), SERVER_COSTS);
  });

  it('never frees them far below the bound', () => {
    const bound = new MemoryBound();
    // 20 GB of bound.
    bound.holds('file:///huge.rs', 1_000_000_000, 0, 0);
    bound.analysed(10_000_000);
    assert.equal(bound.nearBound(), false);
  });
});

describe('freeing what a keystroke dropped', () => {
  before(() => initParser());

  it('waits until the diagnostics it published are written, however long the client takes to read them', async () => {
    const events: string[] = [];
    const writes: (() => void)[] = [];
    const write = (what: string) => {
      events.push(`sent ${what}`);
      return new Promise<void>((resolve) => writes.push(() => (events.push(`written ${what}`), resolve())));
    };
    const connection = {
      sendDiagnostics: () => write('diagnostics'),
      sendNotification: (method: string) => write(method),
    } as unknown as Connection;
    const handlers = new Map<string, (params: unknown) => void>();
    const store = {
      onDidOpenTextDocument: (h: (params: unknown) => void) => handlers.set('open', h),
      onDidChangeTextDocument: (h: (params: unknown) => void) => handlers.set('change', h),
      onDidCloseTextDocument: (h: (params: unknown) => void) => handlers.set('close', h),
    } as unknown as Connection;
    const files: WorkspaceFiles = {
      list: async (): Promise<Listing> => ({ files: [], errors: [] }),
      read: async () => ({ error: 'no files here' }) as unknown as ReadResult,
      readNow: () => undefined,
      forget: () => {},
      readManifest: () => undefined,
      loadConfig: async () => ({ settings: DEFAULT_SETTINGS, errors: [] }),
    };
    /** A bound the process is always near, whose collections are only counted. */
    class Near extends MemoryBound {
      override nearBound(): boolean {
        return true;
      }
      override async collect(): Promise<void> {
        events.push('collect');
      }
    }
    const trees = new TreeCache();
    const documents = new DocumentStore(trees, quiet);
    const config = new Configuration(connection, quiet, false, files);
    const workspace = new Workspace(connection, documents, trees, config, new DiagnosticsPublisher(connection, quiet), quiet, files, new Near());
    documents.listen(store, () => true, { onDidOpen: (d) => workspace.touch(d.uri), onDidChange: (d) => workspace.touch(d.uri), onDidClose: () => {} });

    handlers.get('open')!({ textDocument: { uri: 'file:///loose/main.rs', languageId: 'rust', version: 1, text: 'fn main() {\n    Box::leak(Box::new(1));\n}\n' } });
    // Long enough for the analysis, and for many turns of the event loop after it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const model = FILE_FINDINGS_NOTIFICATION;
    assert.deepEqual(events, ['sent diagnostics', `sent ${model}`], 'nothing is freed while the client has not read them');
    writes.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(events, ['sent diagnostics', `sent ${model}`, 'written diagnostics'], 'nor while it has read only some');
    writes.shift()!();
    await workspace.whenCurrent();
    assert.deepEqual(events, ['sent diagnostics', `sent ${model}`, 'written diagnostics', `written ${model}`, 'collect']);
  });
});
