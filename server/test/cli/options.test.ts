import * as assert from 'node:assert/strict';
import { parseByteSize, parseJobs } from '../../src/cli/program';
import { fnv1a, inShard, parseShard, shardOf } from '../../src/cli/shard';
import { wantsColor } from '../../src/cli/style';

describe('--max-file-size values', () => {
  for (const [text, bytes] of [
    ['5242880', 5242880],
    ['512K', 512 * 1024],
    ['10M', 10 * 1024 * 1024],
    ['10MiB', 10 * 1024 * 1024],
    ['10mb', 10 * 1024 * 1024],
    ['1.5G', 1.5 * 1024 ** 3],
    ['100b', 100],
  ] as const) {
    it(`reads ${text} as ${bytes} bytes`, () => assert.equal(parseByteSize(text), bytes));
  }

  for (const text of ['', 'big', '10T', '-1', '0', '10 MB extra']) {
    it(`rejects ${JSON.stringify(text)}`, () => assert.throws(() => parseByteSize(text)));
  }
});

describe('colour', () => {
  it('is used on a terminal', () => assert.equal(wantsColor(true, true, {}), true));
  it('is not used when output is not a terminal', () => assert.equal(wantsColor(true, false, {}), false));
  it('is not used when NO_COLOR is set', () => assert.equal(wantsColor(true, true, { NO_COLOR: '1' }), false));
  it('is used when NO_COLOR is set but empty, as no-color.org specifies', () => assert.equal(wantsColor(true, true, { NO_COLOR: '' }), true));
  it('is not used with --no-color', () => assert.equal(wantsColor(false, true, {}), false));
});

describe('--jobs values', () => {
  it('reads a whole number of threads', () => assert.equal(parseJobs('4'), 4));
  it('accepts 1, a single thread', () => assert.equal(parseJobs('1'), 1));
  for (const text of ['0', '-2', '1.5', 'all', '']) {
    it(`rejects ${JSON.stringify(text)}`, () => assert.throws(() => parseJobs(text)));
  }
});

describe('--shard values and assignment', () => {
  it('reads i/n with a 1-based shard number', () => assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 }));
  for (const text of ['0/4', '5/4', '1/0', '2', '1/2/3', 'a/b', '']) {
    it(`rejects ${JSON.stringify(text)}`, () => assert.throws(() => parseShard(text)));
  }
  it('hashes with standard 32-bit FNV-1a, so other tools can predict a shard', () => {
    assert.equal(fnv1a(''), 0x811c9dc5);
    assert.equal(fnv1a('a'), 0xe40c292c);
    assert.equal(fnv1a('foobar'), 0xbf9cf968);
  });
  it('puts every path in exactly one shard', () => {
    const paths = Array.from({ length: 200 }, (_, i) => `crates/c${i % 7}/src/m${i}.rs`);
    for (const path of paths) {
      const owners = [1, 2, 3].filter((index) => inShard(path, { index, count: 3 }));
      assert.deepEqual(owners, [shardOf(path, 3)]);
    }
  });
  it('spreads paths over all shards', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 400; i++) counts[shardOf(`src/module_${i}.rs`, 4) - 1]++;
    for (const count of counts) assert.ok(count > 60, `uneven shards: ${counts.join(', ')}`);
  });
  it('keeps every file in the unsharded run without --shard', () => assert.equal(inShard('src/main.rs', undefined), true));
});
