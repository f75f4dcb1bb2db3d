// Scenario 4 — as you type: a `Box::leak(Box::new(..))` typed inside a `for` loop is a real leak
// (a warning) before the file is saved; deleting the loop around it makes it a leak done once in
// `main`, which lives for the whole program: an intentional static (or no finding at all).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { check, indent } from '../lib/expect.mjs';
import { readProblems, sleep, waitFor } from '../lib/ui.mjs';

export const title = '4. As you type: a leak typed in a for loop warns unsaved; removing the loop clears it';

const FILE = 'src/typing.rs';
const TYPED = "let kept: &'static mut String = Box::leak(Box::new(name.to_string()));";

async function markersOf(wb, page) {
  await wb.problems(FILE);
  const group = (await readProblems(page)).find((g) => g.file === 'typing.rs' && g.folder === 'src');
  return group?.markers ?? [];
}

function leakCount(label) {
  const m = /Leak Lens: (\d+) real leaks?, (\d+) intentional statics?/.exec(label);
  return m ? { leaks: Number(m[1]), statics: Number(m[2]) } : undefined;
}

export async function run({ wb, page, workspace, shot }) {
  const onDisk = path.join(workspace, FILE);
  const original = fs.readFileSync(onDisk, 'utf8');
  await wb.openFile(FILE);
  check((await markersOf(wb, page)).length === 0, 'src/typing.rs should start without problems');
  const start = leakCount((await wb.leakStatus()).label);
  check(start, 'the status bar should show counts');

  // Line 5 is `println!("{}", name);` inside `for name in names {` (line 4): add a line after it.
  await wb.goTo(5);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(`        ${TYPED}`, { delay: 5 });
  check((await wb.lineText(6)).trim() === TYPED, `line 6 should hold the typed text, it is "${await wb.lineText(6)}"`);

  const typed = await waitFor(async () => {
    const m = (await markersOf(wb, page)).find((x) => x.line === 6 && x.code === 'box-leak');
    return m?.severity === 'Warning' ? m : undefined;
  }, 'a box-leak warning on the typed line (6)', 15000);
  check(/^real leak/.test(typed.message), `the typed leak should be a real leak: "${typed.message}"`);
  check(typed.related.some((r) => /line 4/.test(r)), `the warning should point at the loop on line 4: ${typed.related}`);
  await wb.revealLine(6);
  const squiggle = await waitFor(async () => {
    const s = (await wb.squiggles()).filter((q) => q.line === 6);
    return s.length > 0 ? s : undefined;
  }, 'a squiggle under the typed leak', 10000);
  check(squiggle.some((s) => s.severity === 'warning'), `the squiggle on line 6 should be a warning: ${JSON.stringify(squiggle)}`);
  const afterTyping = await waitFor(async () => {
    const c = leakCount((await wb.leakStatus()).label);
    return c && c.leaks === start.leaks + 1 ? c : undefined;
  }, `the status bar to count ${start.leaks + 1} real leaks`, 10000);
  // Not saved: the tab is dirty and the file on disk is what it was.
  check(await page.locator('.tabs-container .tab.active.dirty').count(), 'the editor should show unsaved changes');
  check(fs.readFileSync(onDisk, 'utf8') === original, 'the file on disk should be unchanged (nothing saved)');
  await wb.screenshot(shot('typed-leak'));

  // Delete the loop: its `for` line (4) and then its closing brace (now line 6).
  await wb.goTo(4);
  check((await wb.lineText(4)).trim() === 'for name in names {', `line 4 should be the loop, it is "${await wb.lineText(4)}"`);
  await page.keyboard.press('Control+Shift+K');
  await sleep(100);
  await wb.goTo(6);
  check((await wb.lineText(6)).trim() === '}', `line 6 should be the loop's closing brace, it is "${await wb.lineText(6)}"`);
  await page.keyboard.press('Control+Shift+K');
  check((await wb.lineText(5)).trim() === TYPED, `the leak should now be line 5 of main, it is "${await wb.lineText(5)}"`);

  const after = await waitFor(async () => {
    const m = await markersOf(wb, page);
    if (m.some((x) => x.severity === 'Warning')) return undefined;
    return m;
  }, 'the warning to go once the loop is gone', 15000).catch(async (e) => {
    throw new Error(`${e.message}; the panel shows:\n${indent(JSON.stringify(await markersOf(wb, page), null, 1))}`);
  });
  const remaining = after.filter((x) => x.code === 'box-leak');
  check(
    remaining.every((x) => x.line === 5 && x.severity === 'Info' && /^intentional static/.test(x.message)),
    `what remains should be an intentional static on line 5: ${JSON.stringify(remaining)}`,
  );
  const end = await waitFor(async () => {
    const c = leakCount((await wb.leakStatus()).label);
    return c && c.leaks === start.leaks ? c : undefined;
  }, `the status bar to count ${start.leaks} real leaks again`, 10000);
  check(fs.readFileSync(onDisk, 'utf8') === original, 'the file on disk should still be unchanged');
  await wb.screenshot(shot('loop-removed'));

  // Leave the file as it was on disk.
  await wb.runCommand('File: Revert File');
  return `typed leak: warning (${afterTyping.leaks} real leaks); without the loop: ${remaining.length ? 'intentional static' : 'no finding'} (${end.leaks})`;
}
