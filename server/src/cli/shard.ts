/**
 * `--shard i/n`: splits one workspace across several `leak-lens check` runs (CI jobs, machines).
 *
 * A file belongs to shard `1 + hash(path) mod n`, where `path` is the path as printed in the
 * report (relative to the working directory, `/`-separated). A hash rather than a position in the
 * sorted file list keeps a file in its shard when other files are added or removed, so a shard's
 * results, and the code-scanning alerts uploaded from it, do not churn; and it needs no agreement
 * between the runs beyond the same working directory and arguments.
 *
 * Cross-file facts stay exact: every shard reads every file, and files of other shards still
 * contribute what a finding in this shard can depend on (reclaims such as `from_raw`, methods
 * that shadow a leaking std name, call sites of leaking functions). Only their own sites are not
 * analyzed or reported. The union of all shards' findings is the unsharded run's findings.
 */
import { InvalidArgumentError } from 'commander';

export interface Shard {
  /** 1-based, as written on the command line. */
  index: number;
  count: number;
}

/** Parses `i/n` (1 ≤ i ≤ n) for commander. */
export function parseShard(value: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (!match) throw new InvalidArgumentError('expected i/n, e.g. 2/4 for the second of four shards');
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) throw new InvalidArgumentError('the number of shards must be at least 1');
  if (index < 1 || index > count) throw new InvalidArgumentError(`the shard number must be between 1 and ${count}`);
  return { index, count };
}

/** The 1-based shard of a display path among `count` shards. */
export function shardOf(displayPath: string, count: number): number {
  return 1 + (fnv1a(displayPath) % count);
}

export function inShard(displayPath: string, shard: Shard | undefined): boolean {
  return !shard || shardOf(displayPath, shard.count) === shard.index;
}

/**
 * 32-bit FNV-1a over the UTF-8 bytes: tiny, well distributed on short similar strings such as
 * paths, and easy to reproduce in any language should a CI script need to predict a shard.
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
