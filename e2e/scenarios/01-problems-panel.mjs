// Scenario 1 — Problems panel, status bar and squiggles for a file with the article's examples.
// Expected findings are written by hand from e2e/workspace/src/main.rs and the rules of the catalog:
// a leak that repeats (loop) or dies with its thread is a real leak (warning); a value leaked once into
// a global is an intentional static (information); `static mut` is always reported as a warning (its
// danger is undefined behaviour, so its message names no kind).
import { check, indent } from '../lib/expect.mjs';
import { readProblems, waitFor } from '../lib/ui.mjs';

export const title = '1. Problems panel: findings, rule ids, severities, status bar counts, squiggles';

export const EXPECTED = [
  { line: 5, severity: 'Info', code: 'lazy-global', message: /^intentional static: .*`APP_CONFIG`/ },
  { line: 6, severity: 'Warning', code: 'static-mut', message: /^`static mut HITS: u32` is a mutable global/ },
  { line: 27, severity: 'Info', code: 'box-leak', message: /^intentional static: `Box::leak`/ },
  { line: 34, severity: 'Warning', code: 'box-leak', message: /^real leak: `Box::leak`/ },
  { line: 42, severity: 'Warning', code: 'box-leak', message: /^real leak: `Box::leak`/ },
];
const SQUIGGLE = { Info: 'info', Warning: 'warning' };

export async function run({ wb, page, shared, shot }) {
  await wb.openFile('src/main.rs');

  // Problems panel, filtered to the file.
  await wb.problems('src/main.rs');
  const group = await waitFor(async () => {
    const g = (await readProblems(page)).find((x) => x.file === 'main.rs' && x.folder === 'src');
    return g && g.markers.length >= EXPECTED.length ? g : undefined;
  }, 'the findings of src/main.rs in the Problems panel', 30000);
  const shown = group.markers.map((m) => `${m.severity} ${m.source}(${m.code}) [Ln ${m.line}] ${m.message}`).join('\n');
  check(group.markers.length === EXPECTED.length, `expected ${EXPECTED.length} problems for src/main.rs, the panel shows ${group.markers.length}:\n${indent(shown)}`);
  for (const want of EXPECTED) {
    const got = group.markers.find((m) => m.line === want.line);
    check(got, `no problem on line ${want.line}; the panel shows:\n${indent(shown)}`);
    check(got.source === 'leak-lens', `line ${want.line}: source is ${got.source}, expected leak-lens`);
    check(got.code === want.code, `line ${want.line}: rule id ${got.code}, expected ${want.code}`);
    check(got.severity === want.severity, `line ${want.line}: severity ${got.severity}, expected ${want.severity}`);
    check(want.message.test(got.message), `line ${want.line}: message "${got.message}" does not match ${want.message}`);
  }
  const loop = group.markers.find((m) => m.line === 34);
  check(loop.related.some((r) => /repeats the leak at line 33/.test(r)), `the loop leak should point at the loop (line 33): ${loop.related}`);
  await wb.screenshot(shot('problems'));

  // Status bar: Leak Lens' own counts, and VS Code's problem counts, both agreeing with the engine
  // run on the same workspace by the CLI.
  const { counts, severities } = shared.cli();
  const status = await waitFor(async () => {
    const s = await wb.leakStatus();
    const m = /Leak Lens: (\d+) real leaks?, (\d+) intentional statics?/.exec(s.label);
    return m && Number(m[1]) === counts['real-leak'] && Number(m[2]) === counts['intentional-static'] ? s : undefined;
  }, `the Leak Lens status bar item to show ${counts['real-leak']} real leaks and ${counts['intentional-static']} intentional statics (CLI counts)`, 30000).catch(
    async (e) => {
      throw new Error(`${e.message}; it shows "${(await wb.leakStatus()).label}"`);
    },
  );
  const numbers = status.text.match(/\d+/g) ?? [];
  check(numbers.join(' ') === `${counts['real-leak']} ${counts['intentional-static']}`, `status bar text "${status.text}" should show the two counts`);
  const problemsLabel = (await page.locator('[id="status.problems"]').first().getAttribute('aria-label')) ?? '';
  const warnings = Number(/Warnings: (\d+)/.exec(problemsLabel)?.[1] ?? 0);
  const infos = Number(/Infos: (\d+)/.exec(problemsLabel)?.[1] ?? 0);
  check(
    warnings === (severities.warning ?? 0) && infos === (severities.information ?? 0),
    `VS Code's problem counts "${problemsLabel}" differ from the engine's ${JSON.stringify(severities)}`,
  );
  shared.status = { leaks: counts['real-leak'], statics: counts['intentional-static'] };

  // Squiggles on exactly the expected lines, with the severity's colour.
  for (const want of EXPECTED) {
    await wb.revealLine(want.line);
    const squiggles = await waitFor(async () => {
      const s = (await wb.squiggles()).filter((q) => q.line === want.line);
      return s.length > 0 ? s : undefined;
    }, `a squiggle on line ${want.line}`, 10000);
    check(
      squiggles.some((s) => s.severity === SQUIGGLE[want.severity]),
      `line ${want.line}: squiggle ${JSON.stringify(squiggles)}, expected squiggly-${SQUIGGLE[want.severity]}`,
    );
  }
  await wb.goTo(1);
  const clean = (await wb.squiggles()).filter((q) => q.line >= 1 && q.line <= 4);
  check(clean.length === 0, `no squiggles expected on lines 1-4, found ${JSON.stringify(clean)}`);
  return `${EXPECTED.length} findings; status bar ${status.text.replace(/\s+/g, ' ')}; ${problemsLabel}`;
}
