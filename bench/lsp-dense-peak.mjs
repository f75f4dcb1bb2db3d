// The language server's peak resident size for one open document of N `Box::leak(Box::new(1));`
// statements in one function, against the bound of 20 times the input plus 100 MB. One fresh
// server per N, no workspace folder, so the peak is the document's: open it, wait for its
// diagnostics, read VmHWM. (bench/lsp-allowance.mjs has the bench rows: every dense shape at the
// server's allowance, opened and edited.)
//
//   node bench/lsp-dense-peak.mjs [N ...]     (default: 0 1000 2000; dist/server.js must be built)
//
// About 1,400 statements are the most the server's allowance admits; 2,000 are refused.
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LspSession } from './lsp.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const server = process.env.SERVER ?? path.join(here, '..', 'dist', 'server.js');
const counts = process.argv.slice(2).map(Number);
const MB = 1024 * 1024;

for (const n of counts.length > 0 ? counts : [0, 1_000, 2_000]) {
  const text = `fn main() {\n${'    Box::leak(Box::new(1));\n'.repeat(n)}}\n`;
  const session = LspSession.start(server);
  try {
    await session.initialize();
    const started = performance.now();
    const uri = session.open(path.join('/tmp', `dense-${n}.rs`), text);
    const { params } = await session.diagnosticsFor(uri, 1, 600_000);
    const seconds = (performance.now() - started) / 1000;
    const peak = session.peakRss() / MB;
    const bound = (20 * text.length) / MB + 100;
    const refused = params.diagnostics.length === 1 && /did not analyse/.test(params.diagnostics[0].message);
    const what = refused ? 'refused' : `${params.diagnostics.length} diagnostics`;
    console.log(
      `${String(n).padStart(7)} statements  ${(text.length / MB).toFixed(2)} MB  ${what.padEnd(16)}  ${seconds.toFixed(1)} s  peak ${peak.toFixed(0)} MB  bound ${bound.toFixed(0)} MB  ${peak <= bound ? 'holds' : 'exceeds'}`,
    );
  } finally {
    await session.stop();
  }
}
