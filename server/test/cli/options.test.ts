import * as assert from 'node:assert/strict';
import { parseByteSize } from '../../src/cli/program';
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
