/**
 * The npm package as a user gets it: `npm pack` of this repository, installed with
 * `npm install --save-dev ./leak-lens-X.tgz` into a fresh Cargo project outside the repository,
 * then `npx leak-lens check` there. npm resolves the dependencies from its cache when it can
 * (`--prefer-offline`), else from the registry.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JsonReport } from '../../../shared/src/findings';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '', npm_config_update_notifier: 'false' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm package (packed and installed into a project outside the repository)', function () {
  this.timeout(180000);
  let temp: string;
  let tarball: string;
  let project: string;
  let packedFiles: string[];

  before(() => {
    temp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'leak-lens-pack-')));
    // `npm test` has built dist/ already; --ignore-scripts skips `prepare` (a second build).
    const packed = run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', temp], REPO_ROOT);
    assert.equal(packed.status, 0, packed.stderr);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(temp, info.filename);
    packedFiles = info.files.map((f) => f.path).sort();

    project = path.join(temp, 'demo');
    fs.mkdirSync(path.join(project, 'src'), { recursive: true });
    fs.writeFileSync(path.join(project, 'Cargo.toml'), '[package]\nname = "demo"\nversion = "0.1.0"\nedition = "2021"\n');
    fs.writeFileSync(
      path.join(project, 'src', 'main.rs'),
      [
        'fn main() {',
        '    for line in std::io::stdin().lines() {',
        '        let kept: &mut String = Box::leak(Box::new(line.unwrap()));',
        '        println!("{kept}");',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'demo', private: true }));
    // --ignore-scripts: what npm does once dependency install scripts are blocked by default. The
    // native parser loads its prebuilds at run time without them.
    const installed = run(npm, ['install', '--save-dev', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', tarball], project);
    assert.equal(installed.status, 0, `npm install of the tarball failed:\n${installed.stdout}\n${installed.stderr}`);
  });

  after(() => fs.rmSync(temp, { recursive: true, force: true }));

  it('ships the CLI, the language server, README and LICENSE, and nothing from sources, tests or fixtures', () => {
    assert.deepEqual(packedFiles, ['LICENSE', 'README.md', 'bin/leak-lens.js', 'dist/cli.js', 'dist/server.js', 'package.json']);
  });

  it('runs `npx leak-lens check` in the project and fails it on the real leak, exit status 1', () => {
    const r = run(npx, ['--no-install', 'leak-lens', 'check'], project);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /^warning\[box-leak\]: real leak: `Box::leak` leaks on every iteration of the `for` loop at line 2$/m);
    assert.match(r.stdout, /--> src\/main\.rs:3:33$/m);
  });

  it('reports the same finding as JSON, with the path relative to the project', () => {
    const r = run(npx, ['--no-install', 'leak-lens', 'check', '--format', 'json'], project);
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.equal(report.filesScanned, 1);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(
      report.findings.map((f) => [f.file, f.rule, f.kind, f.range.start.line, f.range.start.character]),
      [['src/main.rs', 'box-leak', 'real-leak', 2, 32]],
    );
  });
});
