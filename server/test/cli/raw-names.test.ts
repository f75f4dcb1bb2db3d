import * as assert from 'node:assert/strict';
import { showRawName, showRawPath } from '../../src/config/raw-names';

describe('names that are not valid UTF-8', () => {
  const cases: [number[], string][] = [
    [[0xff, 0xfe, 0x2e, 0x72, 0x73], String.raw`\xFF\xFE.rs`],
    // Valid runs stay as they are, a backslash is doubled, a truncated sequence is each of its bytes.
    [[0x5c, 0xc3, 0xa9, 0xe2, 0x82, 0x2e, 0x72, 0x73], String.raw`\\é\xE2\x82.rs`],
    // What looks like an escape in the name itself shows apart from a real one.
    [[0x5c, 0x78, 0x46, 0x46, 0x80], String.raw`\\xFF\x80`],
    [[0xff, 0x80], String.raw`\xFF\x80`],
  ];
  for (const [bytes, shown] of cases) {
    it(`shows the bytes ${Buffer.from(bytes).toString('hex')} as ${JSON.stringify(shown)}`, () => {
      assert.equal(showRawName(Buffer.from(bytes)), shown);
    });
  }

  it('shows a path as bytes component by component, the valid ones as they are', () => {
    assert.equal(showRawPath(Buffer.concat([Buffer.from('/tmp/a\\b/'), Buffer.from([0xff]), Buffer.from('/c.rs')])), String.raw`/tmp/a\b/\xFF/c.rs`);
  });
});
