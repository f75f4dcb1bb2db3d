// Scenario 8 — the web extension: the same VSIX, run by VS Code's web worker extension host (as on
// vscode.dev / github.dev). code-server runs an extension there when its extension kind is `web`
// (the user setting below; the VSIX has both a `main` and a `browser` entry, and VS Code prefers the
// Node host for such an extension when a remote is there). The client then starts the language
// server in a Web Worker, and the workspace's files come through `vscode.workspace.fs`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check, checkMatch, indent } from '../lib/expect.mjs';
import { pgrep } from '../lib/codeserver.mjs';
import { checkFileProblems } from '../lib/problems.mjs';
import { waitFor } from '../lib/ui.mjs';
import { EXPECTED } from './01-problems-panel.mjs';
import { waitForDisk } from './03-quick-fix.mjs';

export const title = '8. Web extension: in the web worker extension host, findings, hover, quick fix and status bar, no Node server';

export const profile = {
  settings: { 'remote.extensionKind': { 'leak-lens-team.leak-lens': ['web'] } },
};

export async function run({ wb, page, shot, shared, workspace, root, profile: codeServerProfile }) {
  await wb.openFile('src/main.rs');
  await checkFileProblems(wb, page, 'src/main.rs', EXPECTED);
  await wb.screenshot(shot('problems'));

  const hover = await wb.hover(34, 'Box::leak');
  checkMatch(hover, /Leak Lens: real leak/, 'hover on the leak in the loop, in the web worker');
  checkMatch(hover, /definitely lost/, 'hover on the leak in the loop, in the web worker');
  await wb.screenshot(shot('hover'));

  // The `static mut` rewrite, computed by the worker, applied and saved (scenario 3's first step).
  await wb.openFile('src/quickfix.rs');
  await checkFileProblems(wb, page, 'src/quickfix.rs', [
    { line: 4, severity: 'Warning', code: 'static-mut', message: /^`static mut REQUESTS: u64` is a mutable global/ },
    { line: 16, severity: 'Warning', code: 'box-leak', message: /^real leak: `Box::leak`/ },
  ]);
  await wb.goTo(4, 12);
  const offered = await wb.quickFixes();
  check(/^Replace `static mut REQUESTS` with an? `AtomicU64`/.test(offered[0] ?? ''), `the first quick fix should be the atomic rewrite; offered:\n${indent(offered.join('\n'))}`);
  await wb.chooseQuickFix((t) => t === offered[0]);
  await wb.save();
  await waitForDisk(path.join(workspace, 'src', 'quickfix.rs'), fs.readFileSync(path.join(root, 'e2e', 'expected', 'quickfix.after-atomic.rs'), 'utf8'), 'the saved file to be the atomic rewrite');
  await wb.screenshot(shot('quick-fix'));

  // The background scan read the closed files through the client: the status bar counts are the
  // CLI's for the whole workspace.
  const { counts } = shared.cli();
  const status = await waitFor(async () => {
    const s = await wb.leakStatus();
    const m = /Leak Lens: (\d+) real leaks?, (\d+) intentional statics?/.exec(s.label);
    return m && Number(m[1]) === counts['real-leak'] && Number(m[2]) === counts['intentional-static'] ? s : undefined;
  }, `the status bar to show the CLI's ${counts['real-leak']} real leaks and ${counts['intentional-static']} intentional statics`, 90000).catch(async (e) => {
    throw new Error(`${e.message}; it shows "${(await wb.leakStatus()).label}"`);
  });

  // No Node language server was started from the installed extension: the findings came from the worker.
  const nodeServers = pgrep(`${codeServerProfile.extensions}`).filter((pid) => {
    try {
      return /dist\/server\.js/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      return false;
    }
  });
  check(nodeServers.length === 0, `a Node language server is running (pids ${nodeServers.join(', ')}): the extension did not run in the web worker host`);
  return `status bar ${status.text.replace(/\s+/g, ' ')}; no Node language server process`;
}
