// Scenario 5 — the Leak Insights view lists the workspace's findings grouped by kind (then file), and
// "Leak Lens: Scan Workspace" shows progress and completes.
import { check, indent } from '../lib/expect.mjs';
import { readTreeByKeyboard, sleep, waitFor } from '../lib/ui.mjs';

export const title = '5. Leak Insights view grouped by kind; Scan Workspace shows progress and completes';

/** Group titles, as a person reads them, in the view's order. */
const KIND_GROUPS = ['Intentional static', 'Real leak', 'Reclaimed', 'Ownership transfer'];

const PANE = '.pane:has(.pane-header[aria-label*="Leak Insights"])';

async function treeRows(page) {
  return readTreeByKeyboard(page, PANE);
}

export async function run({ wb, page, shared, shot }) {
  await wb.runCommand('Focus on Leak Insights View');
  const rows = await waitFor(async () => {
    const r = await treeRows(page);
    return r.filter((x) => x.level === 1).length >= KIND_GROUPS.length ? r : undefined;
  }, 'the Leak Insights view to list the kinds', 20000).catch(async (e) => {
    throw new Error(`${e.message}; rows: ${JSON.stringify(await treeRows(page))}`);
  });
  await wb.screenshot(shot('insights'));
  const top = rows.filter((r) => r.level === 1);
  const listing = rows.map((r) => `${'  '.repeat(r.level)}${r.text}`).join('\n');
  check(
    top.map((r) => r.text.replace(/\s*\d+$/, '')).join('|') === KIND_GROUPS.join('|'),
    `top-level groups should be ${KIND_GROUPS.join(', ')}; the view shows:\n${indent(listing)}`,
  );
  // Each group shows its count; those of the two kinds the status bar counts must agree with it.
  const countOf = (title) => Number(/(\d+)$/.exec(top.find((r) => r.text.startsWith(title))?.text ?? '')?.[1]);
  if (shared.status) {
    check(countOf('Real leak') === shared.status.leaks, `"Real leak" group count ${countOf('Real leak')} != status bar ${shared.status.leaks}`);
    check(
      countOf('Intentional static') === shared.status.statics,
      `"Intentional static" group count ${countOf('Intentional static')} != status bar ${shared.status.statics}`,
    );
  }
  // Groups open onto files: src/main.rs holds two real leaks (the loop and the thread).
  const realLeakAt = rows.findIndex((r) => r.level === 1 && r.text.startsWith('Real leak'));
  const nextGroup = rows.findIndex((r, i) => i > realLeakAt && r.level === 1);
  const realLeakFiles = rows.slice(realLeakAt + 1, nextGroup < 0 ? undefined : nextGroup).filter((r) => r.level === 2);
  check(
    realLeakFiles.some((r) => /^main\.rs src · 2$/.test(r.text)),
    `the "Real leak" group should list main.rs (src, 2 findings); it lists:\n${indent(realLeakFiles.map((r) => r.text).join('\n'))}`,
  );

  // Scan Workspace: record what the status bar and notifications show while it runs.
  await page.evaluate(() => {
    const seen = [];
    window.__leakLensSeen = seen;
    const targets = [document.querySelector('.part.statusbar'), document.querySelector('.notifications-toasts'), document.querySelector('.notifications-center')].filter(Boolean);
    const snap = () => {
      for (const t of targets) {
        const text = t.innerText.replace(/\s+/g, ' ').trim();
        if (text && seen[seen.length - 1] !== text) seen.push(text);
      }
      for (const el of document.querySelectorAll('.statusbar-item[aria-label], .notification-list-item')) {
        const label = el.getAttribute('aria-label') ?? '';
        if (/leak lens|scann/i.test(label) && !seen.includes(label)) seen.push(label);
      }
    };
    window.__leakLensObserver = new MutationObserver(snap);
    for (const t of targets) window.__leakLensObserver.observe(t, { subtree: true, childList: true, characterData: true, attributes: true });
    snap();
  });
  const t0 = Date.now();
  await wb.runCommand('Leak Lens: Scan Workspace');
  const done = await waitFor(async () => {
    const seen = await page.evaluate(() => window.__leakLensSeen);
    return seen.map((s) => /Leak Lens: scanned (\d+) file\(s\)/.exec(s)).find(Boolean);
  }, 'the "Leak Lens: scanned N file(s)" message', 60000);
  const ms = Date.now() - t0;
  await sleep(100);
  const seen = await page.evaluate(() => {
    window.__leakLensObserver.disconnect();
    return window.__leakLensSeen;
  });
  await wb.screenshot(shot('scan-done'));
  const progress = seen.find((s) => /scanning workspace/i.test(s));
  check(progress, `no progress was shown while scanning; the status bar and notifications showed:\n${indent(seen.slice(0, 20).join('\n'))}`);
  check(Number(done[1]) > 0, `the scan should cover the workspace's files: "${done[0]}"`);
  return `groups ${top.map((r) => r.text).join(', ')}; progress "${progress.slice(0, 80)}"; ${done[0]} in ${ms} ms`;
}
