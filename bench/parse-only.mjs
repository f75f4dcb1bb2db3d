/**
 * The physical floor: parse every file with tree-sitter (native binding, one thread) and nothing
 * else. Run as its own process by run.mjs, so its memory does not weigh on the other
 * measurements. Texts are read before the clock starts: this is parse time, not I/O.
 *
 * Usage: node bench/parse-only.mjs FILE_LIST   (one absolute path per line)
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

const start = performance.now();
let bytes = 0;
for (const text of texts) {
  // Same buffer sizing as the engine: the binding's default rejects very large inputs.
  parser.parse(text, undefined, { bufferSize: text.length * 2 + 1024 });
  bytes += Buffer.byteLength(text);
}
const ms = performance.now() - start;
process.stdout.write(JSON.stringify({ files: texts.length, bytes, ms }) + '\n');
