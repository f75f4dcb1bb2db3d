/**
 * The language server's memory bound (`MemoryBound`): what the files it holds allow, the headroom
 * one file's analysis has beside what the others keep, and when what the analyses dropped is
 * freed: only near the bound, and only when something was dropped since it last was. Counts
 * collections and bytes of the model, not memory.
 */
import * as assert from 'node:assert/strict';
import { MemoryBound, memoryBoundStats } from '../../src/lsp/memory-bound';
import { SERVER_COSTS } from '../../src/parsing/tree-budget';

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
