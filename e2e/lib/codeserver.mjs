// code-server for the end-to-end run: a throwaway profile, the VSIX installed into it, the server on
// 127.0.0.1 in its own process group, and a stop that takes the whole group down.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** User settings that keep the workbench quiet and deterministic. */
const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.editor.enablePreview': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'git.enabled': false,
  'editor.hover.delay': 300,
  'editor.minimap.enabled': false,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.parameterHints.enabled': false,
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoSurround': 'never',
  'editor.autoIndent': 'none',
  'editor.formatOnType': false,
  'editor.formatOnSave': false,
  'editor.inlayHints.enabled': 'off',
  'editor.lightbulb.enabled': 'off',
  'files.autoSave': 'off',
  'files.insertFinalNewline': false,
  'files.trimTrailingWhitespace': false,
  'chat.commandCenter.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
};

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The profile of one run: config, user data (with settings) and extensions, all under `dir`.
 * `settings` are added to (or override) USER_SETTINGS.
 */
export function makeProfile(dir, port, settings = {}) {
  const profile = {
    dir,
    port,
    config: path.join(dir, 'config.yaml'),
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    xdgConfig: path.join(dir, 'xdg-config'),
    xdgData: path.join(dir, 'xdg-data'),
    log: path.join(dir, 'code-server.log'),
  };
  for (const d of [profile.userData, profile.extensions, profile.xdgConfig, profile.xdgData]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(profile.config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  fs.mkdirSync(path.join(profile.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(profile.userData, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2));
  return profile;
}

function env(profile) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: profile.xdgConfig,
    XDG_DATA_HOME: profile.xdgData,
    // The extension host inherits this; nothing of the developer's shell should leak in.
    VSCODE_IPC_HOOK_CLI: '',
    ELECTRON_RUN_AS_NODE: '',
  };
}

function baseArgs(entry, profile) {
  return [entry, '--config', profile.config, '--user-data-dir', profile.userData, '--extensions-dir', profile.extensions];
}

/** `code-server --install-extension <vsix>`: installs the real package into the throwaway profile. */
export function installExtension(codeServer, profile, vsix) {
  const r = spawnSync(process.execPath, [...baseArgs(codeServer.entry, profile), '--install-extension', vsix, '--force'], {
    env: env(profile),
    encoding: 'utf8',
    timeout: 120000,
  });
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  const installed = fs.readdirSync(profile.extensions).filter((d) => d.startsWith('leak-lens-team.leak-lens-'));
  if (installed.length !== 1) throw new Error(`the VSIX did not install into ${profile.extensions}: ${fs.readdirSync(profile.extensions).join(', ')}`);
  return path.join(profile.extensions, installed[0]);
}

/**
 * Starts code-server detached (its own process group) and waits for /healthz. Workspace trust is
 * off unless `workspaceTrust` (then a folder opens in Restricted Mode until trusted).
 */
export async function startCodeServer(codeServer, profile, workspace, { workspaceTrust = false } = {}) {
  const out = fs.openSync(profile.log, 'a');
  const args = [
    ...baseArgs(codeServer.entry, profile),
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    workspace,
  ];
  const child = spawn(process.execPath, args, { env: env(profile), detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const url = `http://127.0.0.1:${profile.port}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    if (exited) throw new Error(`code-server exited during start (${JSON.stringify(exited)}); log: ${profile.log}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer ${url}/healthz within 60 s; log: ${profile.log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, pgid: child.pid, url, exited: () => exited };
}

/** Kills the process group: SIGTERM, then SIGKILL for whatever is still there after a grace period. */
export async function stopProcessGroup(pgid, graceMs = 3000) {
  if (!pgid) return;
  const alive = () => {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    /* gone */
  }
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive()) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone */
    }
    const hard = Date.now() + 2000;
    while (alive() && Date.now() < hard) await new Promise((r) => setTimeout(r, 50));
  }
}

/** Pids (other than this process) whose command line contains `needle`. */
export function pgrep(needle) {
  const r = spawnSync('pgrep', ['-f', '--', needle], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((pid) => pid && pid !== process.pid);
}

export function describePids(pids) {
  return pids
    .map((pid) => {
      try {
        return `${pid}: ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 200)}`;
      } catch {
        return `${pid}: (gone)`;
      }
    })
    .join('\n');
}

/** Kills, by pid, processes whose command line names one of our own run folders. */
export async function killStragglers(needles) {
  const pids = [...new Set(needles.flatMap(pgrep))];
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  if (pids.length > 0) await new Promise((r) => setTimeout(r, 300));
  return pids;
}
