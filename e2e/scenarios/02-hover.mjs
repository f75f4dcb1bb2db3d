// Scenario 2 — hovers: the leak in a loop, the leak in the global-config example, a `static mut` name.
// Also takes the README screenshot: a hover over a leak call with the Problems panel below it.
import * as fs from 'node:fs';
import { checkMatch, checkNoMatch } from '../lib/expect.mjs';

export const title = '2. Hover: real leak with reasons, intentional static, static mut and edition 2024';

export async function run({ wb, shot, docsShot }) {
  await wb.openFile('src/main.rs');

  // `Box::leak` in `echo_lines`' for loop (line 34; the loop is on line 33).
  const loop = await wb.hover(34, 'Box::leak');
  checkMatch(loop, /Leak Lens: real leak/, 'hover on the leak in the loop');
  checkMatch(loop, /Why/, 'hover on the leak in the loop');
  checkMatch(loop, /inside the for loop at line 33/, 'hover on the leak in the loop (reason: the loop)');
  checkMatch(loop, /every iteration leaks a new allocation/, 'hover on the leak in the loop (reason: repetition)');
  checkMatch(loop, /definitely lost/, 'hover on the leak in the loop (what valgrind says)');
  checkNoMatch(loop, /Leak Lens: intentional static/, 'hover on the leak in the loop');

  // The README picture: this hover, with the Problems panel (filtered to the file) below.
  await wb.problems('src/main.rs');
  await wb.hover(34, 'Box::leak');
  await wb.screenshot(shot('hover-and-problems'));
  if (docsShot) fs.copyFileSync(shot('hover-and-problems'), docsShot);

  // `Box::leak(config)` in `setup_app_config`, stored into the `APP_CONFIG` OnceCell (line 27).
  const config = await wb.hover(27, 'Box::leak');
  checkMatch(config, /Leak Lens: intentional static/, 'hover on the global-config leak');
  checkMatch(config, /APP_CONFIG/, 'hover on the global-config leak (reason: the static keeping it)');
  checkMatch(config, /still reachable/, 'hover on the global-config leak (what valgrind says)');
  checkNoMatch(config, /Leak Lens: real leak/, 'hover on the global-config leak');
  await wb.screenshot(shot('hover-global-config'));

  // The name of `static mut HITS` (line 6).
  const hits = await wb.hover(6, 'HITS');
  checkMatch(hits, /static mut/, 'hover on the static mut name');
  checkMatch(hits, /edition 2024/, 'hover on the static mut name (the 2024-edition rule)');
  checkMatch(hits, /static_mut_refs/, 'hover on the static mut name (the lint)');
  await wb.screenshot(shot('hover-static-mut'));
  return 'three hovers checked';
}
