/**
 * When the language server frees what its analyses dropped (`MemoryBound`): only near the memory
 * bound, and only when something was dropped since it last did. Counts collections, not memory.
 */
import * as assert from 'node:assert/strict';
import { MemoryBound, memoryBoundStats } from '../../src/lsp/memory-bound';

describe('language server memory bound', () => {
  it('is 100 MB plus 20 bytes per character of the files it holds, each counted once', () => {
    const bound = new MemoryBound();
    bound.input('file:///a.rs', 1_000);
    bound.input('file:///b.rs', 500);
    bound.input('file:///a.rs', 2_000);
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

  it('never frees them far below the bound', () => {
    const bound = new MemoryBound();
    // 20 GB of bound.
    bound.input('file:///huge.rs', 1_000_000_000);
    bound.analysed(10_000_000);
    assert.equal(bound.nearBound(), false);
  });
});
