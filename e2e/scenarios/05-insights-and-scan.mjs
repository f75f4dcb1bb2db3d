// Scenario 5 — the Leak Insights view lists the workspace's findings grouped by kind (then file), and
// "Leak Lens: Scan Workspace" shows progress and completes.
import { check, indent } from '../lib/expect.mjs';
import { sleep, waitFor } from '../lib/ui.mjs';

export const title = '5. Leak Insights view grouped by kind; Scan Workspace shows progress and completes';

/** Group titles, as a person reads them, in the view's order (a kind with no finding has no group). */
const KIND_GROUPS = [
  ['Intentional static', 'intentional-static'],
  ['Real leak', 'real-leak'],
  ['Possible leak', 'possible-leak'],
  ['Reclaimed', 'reclaimed'],
  ['Ownership transfer', 'ownership-transfer'],
];

const PANE = '.pane:has(.pane-header[aria-label*="Leak Insights"])';

const rowsInDom = (page) =>
  page.locator(`${PANE} .monaco-list-row`).evaluateAll((els) =>
    els.map((r) => ({
      text: (r.innerText ?? '').replace(/\s+/g, ' ').trim(),
      level: Number(r.getAttribute('aria-level') ?? 0),
      expanded: r.getAttribute('aria-expanded'),
      index: Number(r.getAttribute('data-index')),
    })).sort((a, b) => a.index - b.index),
  );

/**
 * The groups, then the files of one group, read as a keyboard user: Home, Left folds a group, Down
 * moves to the next; Right unfolds the chosen one. (The list is virtualised: only what fits is
 * rendered, so the groups are folded first.)
 */
async function treeRows(page, open) {
  await waitFor(async () => {
    await page.keyboard.press('Home');
    return (await page.locator(`${PANE} .monaco-list-row.focused`).count()) > 0 || undefined;
  }, 'keyboard focus in the Leak Insights tree', 10000);
  const focusedText = async () => (await page.locator(`${PANE} .monaco-list-row.focused`).first().innerText()).replace(/\s+/g, ' ').trim();
  await page.keyboard.press('Home');
  for (let i = 0; i < 8; i++) {
    const row = page.locator(`${PANE} .monaco-list-row.focused`).first();
    if ((await row.getAttribute('aria-expanded')) === 'true') await page.keyboard.press('ArrowLeft');
    const before = await focusedText();
    await page.keyboard.press('ArrowDown');
    await sleep(50);
    if ((await focusedText()) === before) break;
  }
  const groups = await rowsInDom(page);
  await page.keyboard.press('Home');
  for (let i = 0; i < 8 && !(await focusedText()).startsWith(open); i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await sleep(300);
  return { groups, opened: await rowsInDom(page) };
}

export async function run({ wb, page, shared, shot, log }) {
  // The first scan of the workspace is over when the status bar shows the engine's counts.
  const { counts } = shared.cli();
  await waitFor(async () => {
    const label = (await wb.leakStatus()).label;
    return label === `Leak Lens: ${counts['real-leak']} real leaks, ${counts['intentional-static']} intentional statics` || undefined;
  }, 'the first workspace scan to finish', 60000).catch(async (e) => {
    throw new Error(`${e.message}: the status bar shows "${(await wb.leakStatus()).label}", the CLI counts ${JSON.stringify(counts)}`);
  });
  // The folders section of the Explorer takes all the height; fold it so Leak Insights has room.
  await wb.runCommand('Focus on Leak Insights View');
  const folders = page.locator('.pane-header[aria-label^="Explorer Section"]').first();
  if ((await folders.getAttribute('aria-expanded')) === 'true') await folders.click();
  const insightsHeader = page.locator('.pane-header[aria-label^="Leak Insights"]').first();
  if ((await insightsHeader.getAttribute('aria-expanded')) !== 'true') await insightsHeader.click();
  await wb.runCommand('Focus on Leak Insights View');
  await page.locator(`${PANE} .monaco-list-row`).first().waitFor({ state: 'visible', timeout: 20000 });
  log('  Leak Insights focused');
  const { groups, opened: rows } = await treeRows(page, 'Real leak');
  check(groups.every((g) => g.level === 1), `after folding, only groups should show: ${JSON.stringify(groups)}`);
  log(`  Leak Insights read (${rows.length} rows)`);
  await wb.screenshot(shot('insights'));
  const top = groups;
  const listing = rows.map((r) => `${'  '.repeat(r.level)}${r.text}`).join('\n');
  const expectedGroups = KIND_GROUPS.filter(([, kind]) => counts[kind] > 0).map(([title]) => title);
  check(
    top.map((r) => r.text.replace(/\s*\d+$/, '')).join('|') === expectedGroups.join('|'),
    `top-level groups should be ${expectedGroups.join(', ')}; the view shows:\n${indent(listing)}`,
  );
  // Each group shows its count; those of the two kinds the status bar counts must agree with it.
  const countOf = (title) => Number(/(\d+)$/.exec(top.find((r) => r.text.startsWith(title))?.text ?? '')?.[1]);
  for (const [title, kind] of KIND_GROUPS.filter(([, k]) => counts[k] > 0)) {
    check(countOf(title) === counts[kind], `"${title}" group count ${countOf(title)} != the engine's ${counts[kind]}`);
  }
  // Groups open onto files, each row a file with its folder and its count. (The list is virtual:
  // only the rows in view are in the page, so which files show depends on the fixtures' number.)
  const realLeakAt = rows.findIndex((r) => r.level === 1 && r.text.startsWith('Real leak'));
  const nextGroup = rows.findIndex((r, i) => i > realLeakAt && r.level === 1);
  const realLeakFiles = rows.slice(realLeakAt + 1, nextGroup < 0 ? undefined : nextGroup).filter((r) => r.level === 2);
  const shown = realLeakFiles.reduce((n, r) => n + Number(/· (\d+)$/.exec(r.text)?.[1] ?? NaN), 0);
  check(
    realLeakFiles.length > 0 && realLeakFiles.every((r) => /^[\w.-]+\.rs.* · \d+$/.test(r.text)) && shown <= countOf('Real leak'),
    `the "Real leak" group should list files with their folder and count, no more than its ${countOf('Real leak')}; it lists:\n${indent(realLeakFiles.map((r) => r.text).join('\n'))}`,
  );

  // Scan Workspace: record what the status bar and notifications show while it runs.
  await page.evaluate(() => {
    const seen = [];
    window.__leakLensSeen = seen;
    const targets = [document.querySelector('.part.statusbar'), document.querySelector('.notifications-toasts'), document.querySelector('.notifications-center')].filter(Boolean);
    const snap = () => {
      for (const t of targets) {
        const text = t.innerText.replace(/\s+/g, ' ').trim();
        if (text && !seen.some((x) => x.endsWith(` ${text}`))) seen.push(`${Math.round(performance.now())} ${text}`);
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
  const progress = seen.map((s) => /Leak Lens: scanning workspace[^A-Z]*?files/i.exec(s)?.[0] ?? (/scanning workspace/i.test(s) ? s : undefined)).find(Boolean);
  check(progress, `no progress was shown while scanning; the status bar and notifications showed:\n${indent(seen.slice(0, 20).join('\n'))}`);
  check(Number(done[1]) > 0, `the scan should cover the workspace's files: "${done[0]}"`);
  return `groups ${top.map((r) => r.text).join(', ')}; progress "${progress.slice(0, 80)}"; "${done[0]}" after ${ms} ms`;
}
