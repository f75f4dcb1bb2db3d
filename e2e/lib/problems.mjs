// The Problems panel rows of one file against hand-written expectations ({ line, severity, code, message }).
import { check, indent } from './expect.mjs';
import { readProblems, waitFor } from './ui.mjs';

export async function checkFileProblems(wb, page, relPath, expected, timeoutMs = 60000) {
  const [folder, file] = [relPath.split('/').slice(0, -1).join('/'), relPath.split('/').pop()];
  await wb.problems(relPath);
  const group = await waitFor(async () => {
    const g = (await readProblems(page)).find((x) => x.file === file && x.folder === folder);
    return g && g.markers.length >= expected.length ? g : undefined;
  }, `the findings of ${relPath} in the Problems panel`, timeoutMs);
  const shown = group.markers.map((m) => `${m.severity} ${m.source}(${m.code}) [Ln ${m.line}] ${m.message}`).join('\n');
  check(group.markers.length === expected.length, `expected ${expected.length} problems for ${relPath}, the panel shows ${group.markers.length}:\n${indent(shown)}`);
  for (const want of expected) {
    const got = group.markers.find((m) => m.line === want.line);
    check(got, `no problem on line ${want.line}; the panel shows:\n${indent(shown)}`);
    check(got.source === 'leak-lens' && got.code === want.code && got.severity === want.severity && want.message.test(got.message), `line ${want.line}: ${got.severity} ${got.source}(${got.code}) "${got.message}", expected ${want.severity} leak-lens(${want.code}) ${want.message}`);
  }
  return group.markers;
}
