import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiskFiles } from '../../src/lsp/disk-files';
import { makeTree, removeTree } from '../cli/helpers';

describe('the language server’s disk files', () => {
  let root: string;
  afterEach(() => removeTree(root));

  it('leaves out a file whose name is not valid UTF-8, saying so, instead of reading it under a wrong name', async () => {
    root = makeTree({ 'lib.rs': '' });
    fs.writeFileSync(Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0xff]), Buffer.from('.rs')]), 'fn main() {}\n');
    const listing = await new DiskFiles(undefined).list(root, [], () => false);
    assert.deepEqual(listing.files, [path.join(root, 'lib.rs')]);
    assert.deepEqual(listing.errors, [
      { file: path.join(root, String.raw`\xFF.rs`), message: 'the name is not valid UTF-8; the language server names files by UTF-8 paths and leaves this one out (the CLI analyzes it)' },
    ]);
  });
});
