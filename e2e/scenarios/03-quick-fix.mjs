// Scenario 3 — quick fixes with Ctrl+.: the `static mut` rewrite (offered first), applied and saved,
// then "allow with a comment" on the leak in the loop. The file on disk must become the hand-written
// texts in e2e/expected/, and each fixed diagnostic must leave the Problems panel and the editor.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check, indent, lineDiff } from '../lib/expect.mjs';
import { readProblems, waitFor } from '../lib/ui.mjs';

export const title = '3. Quick fix: static mut -> atomic (first, applied, saved), allow comment';

const FILE = 'src/quickfix.rs';

async function markersOf(wb, page) {
  await wb.problems(FILE);
  const group = (await readProblems(page)).find((g) => g.file === 'quickfix.rs' && g.folder === 'src');
  return group?.markers ?? [];
}

export async function waitForDisk(file, expected, what) {
  try {
    await waitFor(() => fs.readFileSync(file, 'utf8') === expected, what, 10000, 50);
  } catch (e) {
    throw new Error(`${e.message}; ${path.basename(file)} on disk differs from the expected text:\n${indent(lineDiff(expected, fs.readFileSync(file, 'utf8')))}`);
  }
}

export async function run({ wb, page, workspace, root, shot }) {
  const onDisk = path.join(workspace, FILE);
  const afterAtomic = fs.readFileSync(path.join(root, 'e2e', 'expected', 'quickfix.after-atomic.rs'), 'utf8');
  const afterAllow = fs.readFileSync(path.join(root, 'e2e', 'expected', 'quickfix.after-allow.rs'), 'utf8');

  await wb.openFile(FILE);
  const before = await waitFor(async () => {
    const m = await markersOf(wb, page);
    return m.some((x) => x.code === 'static-mut') && m.some((x) => x.code === 'box-leak') ? m : undefined;
  }, 'the static-mut and box-leak problems of src/quickfix.rs', 30000);
  check(before.find((m) => m.code === 'static-mut').line === 4, 'the static-mut problem should be on line 4');

  // Ctrl+. on the name of `static mut REQUESTS` (line 4, column 12).
  await wb.goTo(4, 12);
  const offered = await wb.quickFixes();
  await wb.screenshot(shot('static-mut-menu'));
  check(
    /^Replace `static mut REQUESTS` with an? `(AtomicU64|LazyLock)/.test(offered[0] ?? ''),
    `the first quick fix should be the atomic/LazyLock rewrite; offered:\n${indent(offered.join('\n'))}`,
  );
  check(offered.some((t) => /allow\(static-mut\)/.test(t)), `"allow with a comment" should be offered too: ${offered}`);
  await wb.chooseQuickFix((t) => t === offered[0]);
  await wb.save();
  await waitForDisk(onDisk, afterAtomic, 'the saved file to be the atomic rewrite');
  await waitFor(async () => {
    const m = await markersOf(wb, page);
    return !m.some((x) => x.code === 'static-mut') && m.some((x) => x.code === 'box-leak' && x.line === 17) ? m : undefined;
  }, 'the static-mut problem to disappear (and the leak, now on line 17, to stay)', 15000);
  await wb.revealLine(5);
  const decl = (await wb.squiggles()).filter((s) => s.line === 5);
  check(decl.length === 0, `no squiggle expected on the rewritten static (line 5): ${JSON.stringify(decl)}`);

  // "Allow with a comment" on the leak in the loop (line 17, `Box::leak` at column 34).
  await wb.goTo(17, 34);
  const leakFixes = await wb.quickFixes();
  await wb.screenshot(shot('box-leak-menu'));
  const chosen = await wb.chooseQuickFix((t) => /^Allow `box-leak` here with a `\/\/ leak-lens: allow\(box-leak\)` comment$/.test(t));
  await wb.save();
  await waitForDisk(onDisk, afterAllow, 'the saved file to carry the allow comment');
  await waitFor(async () => ((await markersOf(wb, page)).length === 0 ? true : undefined), 'src/quickfix.rs to have no problem left', 15000);
  await wb.revealLine(18);
  const leakLine = (await wb.squiggles()).filter((s) => s.line === 18);
  check(leakLine.length === 0, `no squiggle expected on the allowed leak (line 18): ${JSON.stringify(leakLine)}`);
  return `first fix "${offered[0]}"; then "${chosen}" (of ${leakFixes.length} offered)`;
}
