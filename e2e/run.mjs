#!/usr/bin/env node
// `npm run test:e2e`: Leak Lens end to end in a real VS Code workbench (code-server 4.100.3 = VS Code
// 1.100.3) driven by Debian's Chromium through playwright-core, as a person uses it.
//
//   1. builds the VSIX (`npm run package`), installs code-server (pinned, cached outside the project)
//      and Chromium (Debian's, installed when root), installs the VSIX into a throwaway profile;
//   2. copies test-fixtures/ plus e2e/workspace/ (a Cargo.toml and the scenario files) to a workspace;
//   3. starts code-server on 127.0.0.1 in its own process group and runs the UI scenarios of
//      e2e/scenarios/, then the extension-host mocha suite through the workbench `payload` route;
//   4. always stops everything it started, checks that no process is left, prints a summary and
//      `N passed, N failed`, and exits non-zero on any failure or missing prerequisite.
//
// Options: --update-docs  also copies the hover screenshot to docs/hover-and-problems.png
//          --only=a,b     runs only the named scenarios (by file name prefix, e.g. --only=01,03)
//          --skip-package reuses the existing VSIX (for iterating on the scenarios)
// Screenshots and logs: .e2e/ (git-ignored). Cache: ~/.cache/leak-lens-e2e (LEAK_LENS_E2E_CACHE).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import {
  describePids,
  freePort,
  installExtension,
  killStragglers,
  makeProfile,
  pgrep,
  startCodeServer,
  stopProcessGroup,
} from './lib/codeserver.mjs';
import { CODE_SERVER_VERSION, PrerequisiteError, cacheRoot, ensureChromium, ensureCodeServer } from './lib/setup.mjs';
import { Workbench, sleep } from './lib/ui.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, '.e2e');
// The run's profile, workspace and browser profile live outside the repository: a workspace inside
// it would sit in a git-ignored folder (.e2e/), and Leak Lens honours .gitignore up to the repository
// root, so its background scan would skip the whole workspace.
const RUN = path.join(os.tmpdir(), `leak-lens-e2e-run-${process.pid}`);
const SHOTS = path.join(OUT, 'screenshots');
const args = process.argv.slice(2);
const updateDocs = args.includes('--update-docs');
const skipPackage = args.includes('--skip-package');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const SCENARIO_TIMEOUT_MS = 180000;
const EXTHOST_TIMEOUT_MS = 240000;

const started = Date.now();
const results = [];
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (msg) => console.log(`[e2e ${elapsed()}] ${msg}`);

// ---------------------------------------------------------------- cleanup of everything we start
const cleanup = { servers: [], contexts: [], done: false };
const codeServerBefore = new Set(pgrep('code-server'));

async function stopAll() {
  if (cleanup.done) return;
  cleanup.done = true;
  for (const context of cleanup.contexts) await closeContext(context);
  for (const server of cleanup.servers) await stopProcessGroup(server.pgid);
  // Anything of ours that left the group (a detached helper), found by our own folders.
  const stray = await killStragglers([RUN, path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`)]);
  if (stray.length > 0) log(`killed ${stray.length} straggler process(es) by pid: ${stray.join(', ')}`);
}

async function closeContext(context) {
  await Promise.race([context.close().catch(() => undefined), sleep(10000)]);
}

/** Stops one code-server and its browser as soon as their scenarios are done (the machine is small). */
async function stopPhase(server, context) {
  if (context) {
    await closeContext(context);
    cleanup.contexts = cleanup.contexts.filter((c) => c !== context);
  }
  await stopProcessGroup(server.pgid);
  cleanup.servers = cleanup.servers.filter((s) => s !== server);
}

function leftovers() {
  const ours = [...new Set([...pgrep(RUN), ...pgrep(path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`))])];
  const codeServer = pgrep('code-server').filter((pid) => !codeServerBefore.has(pid));
  return [...new Set([...ours, ...codeServer])];
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n[e2e] ${signal}: stopping everything this run started`);
    stopAll().finally(() => {
      fs.rmSync(RUN, { recursive: true, force: true });
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  });
}
process.on('exit', () => {
  // Last resort if we leave without stopAll having finished (an unexpected throw).
  if (cleanup.done) return;
  for (const server of cleanup.servers) {
    try {
      process.kill(-server.pgid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

// ---------------------------------------------------------------- steps
function npmRun(script) {
  const logFile = path.join(OUT, `npm-${script}.log`);
  const fd = fs.openSync(logFile, 'w');
  const r = spawnSync('npm', ['run', script], { cwd: ROOT, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  if (r.status !== 0) {
    const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    throw new PrerequisiteError(`npm run ${script} failed (log: ${path.relative(ROOT, logFile)}):\n${tail}`);
  }
}

function findVsix() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const vsix = path.join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
  if (!fs.existsSync(vsix)) throw new PrerequisiteError(`${path.relative(ROOT, vsix)} was not built by npm run package.`);
  return vsix;
}

function loadPlaywright() {
  const require = createRequire(path.join(ROOT, 'package.json'));
  try {
    return require('playwright-core');
  } catch {
    throw new PrerequisiteError('playwright-core is not installed: run npm install in the repository first.');
  }
}

function makeWorkspace(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(path.join(ROOT, 'test-fixtures'), dir, { recursive: true });
  fs.cpSync(path.join(ROOT, 'e2e', 'workspace'), dir, { recursive: true });
  generateBulk(path.join(dir, 'generated'));
  return dir;
}

/**
 * Leak-free modules that still mention the leak APIs (in a comment), so the engine has to read and
 * parse each (about 4 MB of Rust): with them "Scan Workspace" lasts long enough (a second or more) for its progress to
 * be on screen, as in a real project. They add no finding.
 */
function generateBulk(dir, files = 400) {
  fs.mkdirSync(dir, { recursive: true });
  let body = '// Generated by the e2e run: no Box::leak, into_raw, mem::forget, static mut or Rc cycle here.\n';
  for (let i = 0; i < 40; i++) {
    body += `pub fn step_${i}(input: &[u32]) -> Vec<u32> {\n    let mut out = Vec::with_capacity(input.len());\n    for value in input {\n        let doubled = value.wrapping_mul(2) + ${i};\n        if doubled % 3 == 0 {\n            out.push(doubled);\n        }\n    }\n    out\n}\n\n`;
  }
  for (let f = 0; f < files; f++) fs.writeFileSync(path.join(dir, `module_${String(f).padStart(3, '0')}.rs`), body);
}

/** The engine's counts for the same workspace, through the CLI built with the VSIX. */
function cliCounts(workspace) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'leak-lens.js'), 'check', workspace, '-f', 'json', '--fail-on', 'none'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`leak-lens check failed: ${r.stderr}`);
  const counts = { 'real-leak': 0, 'intentional-static': 0, 'possible-leak': 0, reclaimed: 0, 'ownership-transfer': 0 };
  const severities = {};
  for (const f of JSON.parse(r.stdout).findings) {
    counts[f.kind] = (counts[f.kind] ?? 0) + 1;
    severities[f.severity] = (severities[f.severity] ?? 0) + 1;
  }
  return { counts, severities };
}

async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function record(name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    results.push({ name, ok: true, ms: Date.now() - t0, detail });
    log(`PASS ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${detail ? ` — ${detail}` : ''}`);
  } catch (e) {
    results.push({ name, ok: false, ms: Date.now() - t0, error: e });
    log(`FAIL ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s): ${e instanceof Error ? e.message : e}`);
  }
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The scenario modules of e2e/scenarios/ (selected by --only), in order. */
async function loadScenarios() {
  const files = fs
    .readdirSync(path.join(ROOT, 'e2e', 'scenarios'))
    .filter((f) => /^\d\d-.*\.mjs$/.test(f))
    .sort()
    .filter((f) => !only || only.some((o) => f.startsWith(o)));
  const scenarios = [];
  for (const file of files) scenarios.push({ file, module: await import(pathToFileURL(path.join(ROOT, 'e2e', 'scenarios', file)).href) });
  return scenarios;
}

async function openWorkbench({ chromium, chromiumPath, server, workspace, name }) {
  const context = await chromium.launchPersistentContext(path.join(RUN, `chromium-${name}`), {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 950 },
    deviceScaleFactor: 1,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  cleanup.contexts.push(context);
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20000);
  // The browser's console (the workbench, the web worker extension host and its workers), for diagnosis.
  const consoleLog = fs.createWriteStream(path.join(OUT, `console-${name}.log`));
  page.on('console', (message) => consoleLog.write(`${message.type()}: ${message.text()}\n`));
  page.on('pageerror', (error) => consoleLog.write(`pageerror: ${error.message}\n`));
  context.on('close', () => consoleLog.end());
  const t0 = Date.now();
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  const wb = new Workbench(page, { url: server.url, workspace });
  await wb.waitReady();
  log(`workbench ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { context, page, wb };
}

async function runScenarios({ chromium, chromiumPath, server, workspace, scenarios, name, extra = {} }) {
  const { context, page, wb } = await openWorkbench({ chromium, chromiumPath, server, workspace, name });
  // `cli()` runs the engine on the workspace as it is on disk now (scenario 3 saves edits).
  const shared = { cli: () => cliCounts(workspace), status: undefined };
  for (const { file, module: scenario } of scenarios) {
    const shot = (name) => path.join(SHOTS, `${file.replace(/\.mjs$/, '')}-${name}.png`);
    await record(scenario.title, async () => {
      try {
        return await withTimeout(
          scenario.run({ wb, page, workspace, shot, shared, root: ROOT, docsShot: updateDocs ? path.join(ROOT, 'docs', 'hover-and-problems.png') : undefined, log, ...extra }),
          SCENARIO_TIMEOUT_MS,
          scenario.title,
        );
      } finally {
        await wb.screenshot(shot('end')).catch(() => undefined);
      }
    });
  }
  return { context };
}

/**
 * A scenario that needs a VS Code set up otherwise (`export const profile = { settings,
 * workspaceTrust }`: Restricted Mode, the web worker extension host) gets a code-server of its own:
 * its own profile with the VSIX installed, its own copy of the workspace, its own browser.
 */
async function runIsolated({ chromium, chromiumPath, codeServer, vsix, scenario }) {
  const name = scenario.file.replace(/\.mjs$/, '');
  const port = await freePort();
  const profile = makeProfile(path.join(RUN, `profile-${name}`), port, scenario.module.profile.settings);
  installExtension(codeServer, profile, vsix);
  const workspace = makeWorkspace(path.join(RUN, `workspace-${name}`));
  const server = await startCodeServer(codeServer, profile, workspace, { workspaceTrust: !!scenario.module.profile.workspaceTrust });
  cleanup.servers.push(server);
  log(`${name}: code-server on ${server.url} (process group ${server.pgid})`);
  let context;
  try {
    ({ context } = await runScenarios({ chromium, chromiumPath, server, workspace, scenarios: [scenario], name, extra: { profile } }));
  } finally {
    await stopPhase(server, context);
    try {
      fs.copyFileSync(profile.log, path.join(OUT, `code-server-${name}.log`));
    } catch {
      /* never started */
    }
  }
}

/** The extension-host suite of client/test, inside code-server, through the workbench `payload` route. */
async function runExtensionHostTests({ context, server, port }) {
  const workspace = path.join(RUN, 'exthost-workspace');
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'client', 'test', 'workspace'), workspace, { recursive: true });
  const page = await context.newPage();
  const lines = [];
  let finish;
  const exited = new Promise((resolve) => (finish = resolve));
  await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
    const text = Array.isArray(logArgs) ? format(...logArgs) : String(logArgs);
    lines.push(`${type}: ${text}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => finish(code));
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(path.join(ROOT, 'e2e', 'exthost', 'index'))],
  ];
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  const code = await withTimeout(exited, EXTHOST_TIMEOUT_MS, 'the extension-host suite');
  await page.screenshot({ path: path.join(SHOTS, '06-extension-host.png') }).catch(() => undefined);
  await page.close().catch(() => undefined);
  const transcript = lines.filter((l) => !/Creating a socket|connection token|Service Worker|open-vsx|ChatSessionStore|builtin extensions cache/.test(l));
  fs.writeFileSync(path.join(OUT, 'extension-host.log'), `${lines.join('\n')}\n`);
  const summary = lines.map((l) => /leak-lens-exthost: (\d+) passing, (\d+) failing, (\d+) run/.exec(l)).find(Boolean);
  const mochaLines = transcript.filter((l) => /✔|passing|failing|^\w+:\s+\d+\)|Error|leak-lens-exthost/.test(l)).map((l) => `    ${l}`);
  if (code !== 0 || !summary) {
    throw new Error(`extension-host suite exited with ${code}${summary ? '' : ' (no summary line)'}:\n${mochaLines.join('\n')}`);
  }
  if (Number(summary[1]) === 0 || Number(summary[2]) !== 0) throw new Error(`extension-host suite: ${summary[0]}`);
  return `${summary[1]} mocha tests passed in the extension host`;
}

// ---------------------------------------------------------------- main
async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  // Folders of earlier runs that were killed before they could clean up.
  for (const name of fs.readdirSync(os.tmpdir()).filter((n) => /^leak-lens-e2e-run-\d+$/.test(n))) {
    const pid = Number(name.split('-').pop());
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      /* gone */
    }
    if (!alive) fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.rmSync(path.join(OUT, 'logs'), { recursive: true, force: true });
  fs.mkdirSync(RUN, { recursive: true });
  fs.mkdirSync(SHOTS, { recursive: true });

  const { chromium } = loadPlaywright();
  if (!skipPackage) {
    log('building the VSIX (npm run package)');
    npmRun('package');
  }
  const vsix = findVsix();
  log(`VSIX: ${path.relative(ROOT, vsix)} (${(fs.statSync(vsix).size / 1048576).toFixed(1)} MB)`);
  const chromiumPath = ensureChromium(log);
  log(`Chromium: ${chromiumPath}`);
  const codeServer = ensureCodeServer(log);
  log(`code-server ${CODE_SERVER_VERSION}: ${codeServer.cached ? 'cached' : 'installed'} in ${codeServer.dir}`);

  const port = await freePort();
  const profile = makeProfile(path.join(RUN, 'profile'), port);
  const installedAt = installExtension(codeServer, profile, vsix);
  log(`VSIX installed into the throwaway profile: ${path.relative(ROOT, installedAt)}`);
  const workspace = makeWorkspace(path.join(RUN, 'workspace'));

  const scenarios = await loadScenarios();
  const main = scenarios.filter((s) => !s.module.profile);
  const exthost = !only || only.includes('exthost');
  if (main.length > 0 || exthost) {
    const server = await startCodeServer(codeServer, profile, workspace);
    cleanup.servers.push(server);
    log(`code-server on ${server.url} (process group ${server.pgid})`);
    const { context } = await runScenarios({ chromium, chromiumPath, server, workspace, scenarios: main, name: 'main' });
    if (exthost) await record('Extension-host mocha suite (client/test) inside code-server', () => runExtensionHostTests({ context, server, port }));
    await stopPhase(server, context);
  }
  for (const scenario of scenarios.filter((s) => s.module.profile)) await runIsolated({ chromium, chromiumPath, codeServer, vsix, scenario });
}

let exitCode = 0;
try {
  await main();
} catch (e) {
  const reason = e instanceof PrerequisiteError ? 'prerequisite missing' : 'harness error';
  console.error(`\n[e2e] ${reason}: ${e instanceof Error ? e.message : e}`);
  if (!(e instanceof PrerequisiteError) && e instanceof Error) console.error(e.stack);
  results.push({ name: `setup (${reason})`, ok: false, ms: 0, error: e });
  exitCode = 1;
} finally {
  await stopAll();
}

// Nothing may be left running: code-server, its extension hosts, the language server, Chromium.
let left = leftovers();
for (let i = 0; i < 20 && left.length > 0; i++) {
  await sleep(250);
  left = leftovers();
}
try {
  fs.copyFileSync(path.join(RUN, 'profile', 'code-server.log'), path.join(OUT, 'code-server.log'));
} catch {
  /* never started */
}
// The workbench's and extension hosts' logs (the Leak Lens output channel among them), for diagnosis.
for (const profileDir of fs.existsSync(RUN) ? fs.readdirSync(RUN).filter((d) => d.startsWith('profile')) : []) {
  const logs = path.join(RUN, profileDir, 'user-data', 'logs');
  if (fs.existsSync(logs)) fs.cpSync(logs, path.join(OUT, 'logs', profileDir), { recursive: true });
}
fs.rmSync(RUN, { recursive: true, force: true });
if (left.length > 0) {
  results.push({ name: 'no process left behind', ok: false, ms: 0, error: new Error(`still running:\n${describePids(left)}`) });
} else {
  results.push({ name: 'no process left behind', ok: true, ms: 0 });
}

console.log('\nLeak Lens end-to-end summary');
for (const r of results) {
  const secs = r.ms ? ` (${(r.ms / 1000).toFixed(1)} s)` : '';
  console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.name}${secs}`);
  if (!r.ok) console.log(`        ${String(r.error instanceof Error ? r.error.message : r.error).split('\n').join('\n        ')}`);
}
console.log(`  screenshots: ${path.relative(ROOT, SHOTS)}/   total time: ${elapsed()}`);
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || exitCode !== 0 ? 1 : 0);
