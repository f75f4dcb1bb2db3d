import * as assert from 'node:assert/strict';
import { recoverRawArgs } from '../../src/cli/raw-args';

/** A command line as /proc/self/cmdline holds it: each argument NUL-terminated. */
function cmdline(...args: (string | number[])[]): () => Buffer {
  return () => Buffer.concat(args.flatMap((a) => [Buffer.from(a), Buffer.from([0])]));
}

/** What Node.js hands over in process.argv for those bytes. */
const decoded = (bytes: number[]) => Buffer.from(bytes).toString('utf8');

const FF_FE_RS = [0xff, 0xfe, ...Buffer.from('.rs')];

describe('command-line arguments that are not valid UTF-8', () => {
  it('leaves arguments without U+FFFD as they are, without reading the command line', () => {
    const args = ['check', 'src', '--format', 'json'];
    const result = recoverRawArgs(args, () => assert.fail('read the command line'));
    assert.deepEqual(result, { args, bytes: new Map() });
  });

  it('replaces such an argument by its shown name and keeps its bytes, past the options of Node.js itself', () => {
    const result = recoverRawArgs(['check', decoded(FF_FE_RS), 'src'], cmdline('/usr/bin/node', '--no-warnings', '/x/leak-lens.js', 'check', FF_FE_RS, 'src'));
    assert.deepEqual(result.args, ['check', String.raw`\xFF\xFE.rs`, 'src']);
    assert.deepEqual([...result.bytes], [[String.raw`\xFF\xFE.rs`, Buffer.from(FF_FE_RS)]]);
  });

  for (const option of ['--config=', '-c']) {
    it(`keeps the bytes of the value of ${option}VALUE too, which commander hands over alone`, () => {
      const arg = [...Buffer.from(`${option}a/`), 0xff];
      const result = recoverRawArgs(['check', decoded(arg)], cmdline('node', 'cli.js', 'check', arg));
      assert.deepEqual(result.args, ['check', `${option}a/\\xFF`]);
      assert.deepEqual(result.bytes.get(String.raw`a/\xFF`), Buffer.from([...Buffer.from('a/'), 0xff]));
    });
  }

  it('keeps a valid name holding a U+FFFD of its own as it is', () => {
    const result = recoverRawArgs(['check', '\uFFFD.rs'], cmdline('node', 'cli.js', 'check', '\uFFFD.rs'));
    assert.deepEqual(result, { args: ['check', '\uFFFD.rs'], bytes: new Map() });
  });

  const unchanged: [string, () => Buffer | undefined][] = [
    ['there is no /proc/self/cmdline to read', () => undefined],
    ['the command line is shorter than the arguments', cmdline(FF_FE_RS)],
    ['the command line says something else (rewritten by setting process.title)', cmdline('node', 'cli.js', 'check', [0xff, ...Buffer.from('.rs')])],
    ['the command line does not end with a NUL', () => Buffer.from([...Buffer.from('node\0cli.js\0check\0'), ...FF_FE_RS])],
  ];
  for (const [when, read] of unchanged) {
    it(`recovers nothing when ${when}`, () => {
      const args = ['check', decoded(FF_FE_RS)];
      assert.deepEqual(recoverRawArgs(args, read), { args, bytes: new Map() });
    });
  }

  it('recovers nothing when a valid argument is spelled like a recovered one\'s shown name', () => {
    const args = ['check', decoded([0xff]), String.raw`\xFF`];
    assert.deepEqual(recoverRawArgs(args, cmdline('node', 'cli.js', 'check', [0xff], String.raw`\xFF`)), { args, bytes: new Map() });
  });
});
