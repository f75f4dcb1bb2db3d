/**
 * The physical floor: parse every file with tree-sitter (native binding, one thread) and nothing
 * else. Run as its own process by run.mjs, so its memory does not weigh on the other
 * measurements. Texts are read before the clock starts: this is parse time, not I/O.
 *
 * The floor is the fastest the binding can go, so each tree is freed soon after its parse: the
 * native binding frees a tree only in a GC finalizer that runs when the event loop turns, and a
 * loop that keeps 50 MB of source's trees alive (gigabytes) parses ever slower as memory grows
 * (7.3 s instead of 6.3 s over the benchmark corpus). Hence `--expose-gc`, a minor GC and an
 * event-loop turn every few files; both cost nothing measurable.
 *
 * Usage: node --expose-gc bench/parse-only.mjs FILE_LIST   (one absolute path per line)
 * Prints: {"files":N,"bytes":N,"ms":N}
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Parser = require('tree-sitter');
const Rust = require('tree-sitter-rust');

const files = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const parser = new Parser();
parser.setLanguage(Rust);

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const FILES_PER_FREE = 16;

const start = performance.now();
let bytes = 0;
for (const [i, text] of texts.entries()) {
  if (i % FILES_PER_FREE === FILES_PER_FREE - 1) {
    globalThis.gc({ type: 'minor' });
    await new Promise((resolve) => setImmediate(resolve));
  }
  // Same buffer sizing as the engine: the binding's default rejects very large inputs.
  parser.parse(text, undefined, { bufferSize: text.length * 2 + 1024 });
  bytes += Buffer.byteLength(text);
}
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ files: texts.length, bytes, ms }) + '\n');
