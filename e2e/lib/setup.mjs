// Prerequisites of the end-to-end run: Debian packages (chromium, ripgrep, libkrb5-dev) and a pinned
// code-server installed into a cache folder outside the project's own dependency tree.
//
// Every failure here is a `PrerequisiteError` with a plain reason: the run then fails, it never passes.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
/** The ripgrep build @vscode/ripgrep 1.15.11 (code-server 4.100.3's) downloads in its postinstall. */
const RIPGREP_CACHE = { dir: 'vscode-ripgrep-cache-1.15.11', file: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' };

export class PrerequisiteError extends Error {}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

let aptUpdated = false;
/** Installs Debian packages when root; otherwise fails with what to install. */
function aptInstall(packages, why, log) {
  if (!isRoot() || !which('apt-get')) {
    throw new PrerequisiteError(`${why}: install the Debian package(s) ${packages.join(' ')} (run as root to let the e2e script do it).`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`installing Debian package(s) ${packages.join(' ')} (${why})`);
  if (!aptUpdated) {
    const u = spawnSync('apt-get', ['update', '-qq'], { env, encoding: 'utf8' });
    if (u.status !== 0) throw new PrerequisiteError(`apt-get update failed:\n${u.stderr}`);
    aptUpdated = true;
  }
  const r = spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new PrerequisiteError(`apt-get install ${packages.join(' ')} failed:\n${r.stderr.slice(-2000)}`);
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Debian's Chromium (Playwright's own browser builds cannot be downloaded here). */
export function ensureChromium(log) {
  const fromEnv = process.env.LEAK_LENS_E2E_CHROMIUM;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new PrerequisiteError(`LEAK_LENS_E2E_CHROMIUM=${fromEnv} does not exist.`);
    return fromEnv;
  }
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (fs.existsSync(candidate)) return candidate;
  aptInstall(['chromium'], 'Chromium drives the VS Code workbench', log);
  if (!fs.existsSync('/usr/bin/chromium')) throw new PrerequisiteError('chromium was installed but /usr/bin/chromium is missing.');
  return '/usr/bin/chromium';
}

export function cacheRoot() {
  return process.env.LEAK_LENS_E2E_CACHE || path.join(os.homedir(), '.cache', 'leak-lens-e2e');
}

/**
 * code-server, pinned, installed once into `<cache>/code-server-<version>/` and reused. An
 * interrupted install leaves no marker and is redone from scratch.
 */
export function ensureCodeServer(log) {
  const root = cacheRoot();
  const dir = path.join(root, `code-server-${CODE_SERVER_VERSION}`);
  const marker = path.join(dir, '.installed');
  const bin = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (fs.existsSync(marker) && fs.existsSync(bin)) return { dir, entry: bin, cached: true };

  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor !== 20) throw new PrerequisiteError(`code-server ${CODE_SERVER_VERSION} needs Node 20; this is Node ${process.versions.node}.`);
  // Native modules (kerberos) build from source; @vscode/ripgrep's download is replaced by Debian's rg.
  const needed = [];
  if (!dpkgInstalled('libkrb5-dev')) needed.push('libkrb5-dev');
  if (!which('rg')) needed.push('ripgrep');
  if (!which('make') || !which('g++')) needed.push('build-essential');
  if (!which('python3')) needed.push('python3');
  if (needed.length > 0) aptInstall(needed, 'code-server builds native modules and needs ripgrep', log);
  const rg = which('rg');
  if (!rg) throw new PrerequisiteError('ripgrep (rg) is not on PATH after installing it.');

  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (once; about 1-3 minutes)`);
  const started = Date.now();
  const staging = `${dir}.partial-${process.pid}`;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const tmp = path.join(staging, '.tmp');
  fs.mkdirSync(path.join(tmp, RIPGREP_CACHE.dir), { recursive: true });
  const rgStage = path.join(tmp, 'rg-stage');
  fs.mkdirSync(rgStage);
  fs.copyFileSync(rg, path.join(rgStage, 'rg'));
  fs.chmodSync(path.join(rgStage, 'rg'), 0o755);
  execFileSync('tar', ['-czf', path.join(tmp, RIPGREP_CACHE.dir, RIPGREP_CACHE.file), '-C', rgStage, 'rg']);
  fs.writeFileSync(
    path.join(staging, 'package.json'),
    JSON.stringify(
      { name: 'leak-lens-e2e-code-server', private: true, version: '0.0.0', allowScripts: { 'code-server': true, argon2: true } },
      null,
      2,
    ),
  );
  const env = {
    ...process.env,
    npm_config_unsafe_perm: 'true', // code-server's postinstall refuses root otherwise
    npm_config_yes: 'true', // node-pty's `npx node-gyp` is cancelled by a global yes=false
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    TMPDIR: tmp, // where @vscode/ripgrep looks for its cached download
    XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
    XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
  };
  const logFile = path.join(root, `code-server-${CODE_SERVER_VERSION}-install.log`);
  const out = fs.openSync(logFile, 'w');
  const r = spawnSync('npm', ['install', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: staging,
    env,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const entry = path.join(staging, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (r.status !== 0 || !fs.existsSync(entry)) {
    const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    throw new PrerequisiteError(`installing code-server ${CODE_SERVER_VERSION} failed (log: ${logFile}):\n${tail}`);
  }
  // The VS Code inside must have its ripgrep, or search and some extension APIs fail.
  const rgInside = path.join(staging, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  if (!fs.existsSync(rgInside)) log(`warning: ${rgInside} is missing after install`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.writeFileSync(path.join(staging, '.installed'), `${new Date().toISOString()}\n`);
  fs.renameSync(staging, dir);
  log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { dir, entry: bin, cached: false };
}
