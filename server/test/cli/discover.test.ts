import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverFiles } from '../../src/config';
import { isRoot, makeTree, permissionTest, removeTree } from './helpers';

describe('file discovery', () => {
  let root: string;
  afterEach(() => removeTree(root));

  /** Discovered files relative to the tree, for readable assertions. */
  function discover(paths: string[] = [root], exclude: string[] = []) {
    const result = discoverFiles(paths, { exclude, root });
    return {
      files: result.files.map((f) => path.relative(root, f).split(path.sep).join('/')),
      errors: result.errors.map((e) => ({ file: path.relative(root, e.file).split(path.sep).join('/'), message: e.message })),
    };
  }

  it('finds .rs files in nested directories, in sorted order', () => {
    root = makeTree({ 'src/main.rs': '', 'src/a/z.rs': '', 'src/a/b.rs': '', 'build.rs': '', 'README.md': '' });
    assert.deepEqual(discover().files, ['build.rs', 'src/a/b.rs', 'src/a/z.rs', 'src/main.rs']);
  });

  it('skips target/, .git/ and node_modules/', () => {
    root = makeTree({ 'src/lib.rs': '', 'target/debug/build/out.rs': '', '.git/hooks/x.rs': '', 'node_modules/pkg/a.rs': '' });
    assert.deepEqual(discover().files, ['src/lib.rs']);
  });

  it('honours .gitignore patterns', () => {
    root = makeTree({ '.gitignore': 'generated/\n*.gen.rs\n', 'src/lib.rs': '', 'src/x.gen.rs': '', 'generated/a.rs': '' });
    assert.deepEqual(discover().files, ['src/lib.rs']);
  });

  it('applies a nested .gitignore relative to its own directory', () => {
    root = makeTree({ 'a/.gitignore': '/skip.rs\n', 'a/skip.rs': '', 'skip.rs': '', 'a/b/skip.rs': '' });
    assert.deepEqual(discover().files, ['a/b/skip.rs', 'skip.rs']);
  });

  it('lets a nested .gitignore re-include what a parent ignored', () => {
    root = makeTree({ '.gitignore': '*.rs\n', 'keep/.gitignore': '!wanted.rs\n', 'keep/wanted.rs': '', 'keep/other.rs': '', 'top.rs': '' });
    assert.deepEqual(discover().files, ['keep/wanted.rs']);
  });

  it("honours the enclosing repository's .gitignore when analyzing a subdirectory", () => {
    root = makeTree({ '.git/HEAD': '', '.gitignore': 'src/gen/\n', 'src/lib.rs': '', 'src/gen/a.rs': '' });
    assert.deepEqual(discover([path.join(root, 'src')]).files, ['src/lib.rs']);
  });

  it('analyzes an explicitly named directory that an enclosing .gitignore ignores, as it does a named file', () => {
    // An editor workspace folder or a CI path inside an ignored area (a checkout under `.cache/`)
    // is what the user asked for; its own .gitignore files still apply.
    root = makeTree({ '.git/HEAD': '', '.gitignore': 'scratch/\n', 'scratch/ws/src/lib.rs': '', 'scratch/ws/.gitignore': 'gen.rs\n', 'scratch/ws/gen.rs': '' });
    assert.deepEqual(discover([path.join(root, 'scratch/ws')]).files, ['scratch/ws/src/lib.rs']);
    assert.deepEqual(discover([root]).files, []);
  });

  it('skips files matching exclude globs relative to the root', () => {
    root = makeTree({ 'vendor/x/lib.rs': '', 'src/lib.rs': '', 'src/generated/a.rs': '' });
    assert.deepEqual(discover([root], ['vendor/**', 'src/generated/**']).files, ['src/lib.rs']);
  });

  it('matches an exclude glob without a slash against names at any depth', () => {
    root = makeTree({ 'src/a/bindings.rs': '', 'src/lib.rs': '' });
    assert.deepEqual(discover([root], ['bindings.rs']).files, ['src/lib.rs']);
  });

  it('treats an exclude written as a directory (`./vendor/`) as everything below it', () => {
    root = makeTree({ 'vendor/x/lib.rs': '', 'src/lib.rs': '' });
    assert.deepEqual(discover([root], ['./vendor/']).files, ['src/lib.rs']);
  });

  it('ignores exclude patterns that match nothing instead of failing on them', () => {
    root = makeTree({ 'vendor/x/lib.rs': '', 'src/lib.rs': '' });
    assert.deepEqual(discover([root], ['', './', 'vendor/**']).files, ['src/lib.rs']);
  });

  it('analyzes an explicitly named .rs file even when ignored or excluded', () => {
    root = makeTree({ '.gitignore': 'gen.rs\n', 'gen.rs': '' });
    assert.deepEqual(discover([path.join(root, 'gen.rs')], ['gen.rs']).files, ['gen.rs']);
  });

  it('reports an explicitly named file that is not Rust source', () => {
    root = makeTree({ 'notes.txt': '' });
    assert.deepEqual(discover([path.join(root, 'notes.txt')]).errors, [{ file: 'notes.txt', message: 'not a Rust file (expected a .rs extension)' }]);
  });

  it('lists a file whose name is not valid UTF-8 under its shown name, with its bytes to open it by', () => {
    root = makeTree({ 'lib.rs': '' });
    const bytes = Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0xff, 0xfe]), Buffer.from('.rs')]);
    fs.writeFileSync(bytes, 'fn main() {}\n');
    const result = discoverFiles([root], { exclude: [], root });
    assert.deepEqual(discover().files, [String.raw`\xFF\xFE.rs`, 'lib.rs']);
    assert.deepEqual([...result.bytes], [[path.join(root, String.raw`\xFF\xFE.rs`), bytes]]);
    assert.deepEqual(result.errors, []);
  });

  it('lists a file with a name that is not valid UTF-8 and a symlink to it only once', () => {
    root = makeTree({});
    const bytes = Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0xff]), Buffer.from('.rs')]);
    fs.writeFileSync(bytes, 'fn main() {}\n');
    fs.symlinkSync(bytes, Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0xfe]), Buffer.from('.rs')]));
    assert.deepEqual(discover().files, [String.raw`\xFE.rs`]);
  });

  it('walks a directory whose name is not valid UTF-8 by its bytes, with its .gitignore', () => {
    root = makeTree({ 'lib.rs': '' });
    const dir = Buffer.concat([Buffer.from(`${root}/d`), Buffer.from([0xff])]);
    fs.mkdirSync(dir);
    for (const name of ['a.rs', 'skip.rs']) fs.writeFileSync(Buffer.concat([dir, Buffer.from(`/${name}`)]), 'fn main() {}\n');
    fs.writeFileSync(Buffer.concat([dir, Buffer.from('/.gitignore')]), 'skip.rs\n');
    const result = discoverFiles([root], { exclude: [], root });
    assert.deepEqual(discover().files, [String.raw`d\xFF/a.rs`, 'lib.rs']);
    assert.deepEqual([...result.bytes], [[path.join(root, String.raw`d\xFF/a.rs`), Buffer.concat([dir, Buffer.from('/a.rs')])]]);
    assert.deepEqual(result.errors, []);
  });

  it('reports a nonexistent path and still discovers the others', () => {
    root = makeTree({ 'lib.rs': '' });
    const result = discover([path.join(root, 'missing'), path.join(root, 'lib.rs')]);
    assert.deepEqual(result.files, ['lib.rs']);
    assert.deepEqual(result.errors, [{ file: 'missing', message: 'no such file or directory' }]);
  });

  it('lists a file named twice, or reached through a symlink, only once', () => {
    root = makeTree({ 'src/lib.rs': '' });
    fs.symlinkSync(path.join(root, 'src'), path.join(root, 'alias'));
    const lib = path.join(root, 'src/lib.rs');
    assert.deepEqual(discover([root, lib, lib]).files, ['alias/lib.rs']);
  });

  it('lists a file and a file symlink pointing at it only once', () => {
    root = makeTree({ 'src/lib.rs': '' });
    fs.symlinkSync('lib.rs', path.join(root, 'src/again.rs'));
    assert.deepEqual(discover().files, ['src/again.rs']);
  });

  it('resolves files below a symlinked directory to their real paths, however deep', () => {
    root = makeTree({ 'a/deep/lib.rs': '' });
    fs.mkdirSync(path.join(root, 'b'));
    fs.symlinkSync(path.join(root, 'a'), path.join(root, 'b/inner'));
    fs.symlinkSync(path.join(root, 'b'), path.join(root, 'c'));
    assert.deepEqual(discover().files, ['a/deep/lib.rs']);
  });

  it('reports a directory symlink loop instead of hanging', () => {
    root = makeTree({ 'a/lib.rs': '' });
    fs.symlinkSync(path.join(root, 'a'), path.join(root, 'a/loop'));
    const result = discover();
    assert.deepEqual(result.files, ['a/lib.rs']);
    assert.equal(result.errors.length, 1);
    assert.equal(result.errors[0].file, 'a/loop');
    assert.match(result.errors[0].message, /^symlink loop/);
  });

  it('reports a self-referencing symlink', () => {
    root = makeTree({ 'lib.rs': '' });
    fs.symlinkSync('self.rs', path.join(root, 'self.rs'));
    const result = discover();
    assert.deepEqual(result.files, ['lib.rs']);
    assert.deepEqual(result.errors, [{ file: 'self.rs', message: 'symlink loop; not followed' }]);
  });

  it('reports a broken symlink named .rs', () => {
    root = makeTree();
    fs.symlinkSync('gone.rs', path.join(root, 'dangling.rs'));
    assert.deepEqual(discover().errors, [{ file: 'dangling.rs', message: 'broken symlink' }]);
  });

  it(permissionTest('reports an unreadable directory and walks the rest'), function () {
    if (isRoot()) this.skip();
    root = makeTree({ 'locked/a.rs': '', 'open/b.rs': '' });
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    try {
      const result = discover();
      assert.deepEqual(result.files, ['open/b.rs']);
      assert.deepEqual(result.errors, [{ file: 'locked', message: 'cannot read directory: permission denied' }]);
    } finally {
      fs.chmodSync(path.join(root, 'locked'), 0o755);
    }
  });
});
