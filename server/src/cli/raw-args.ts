/**
 * Command-line arguments that are not valid UTF-8 (a file name such as `$'\xff\xfe.rs'`). Node.js
 * decodes `argv` with U+FFFD in place of each ill-formed byte, and the decoded name opens nothing.
 * On Linux the bytes themselves are in `/proc/self/cmdline`: such an argument is replaced by the
 * name reports give it (`\xFF\xFE.rs`, see `config/raw-names.ts`) and its bytes are kept, to open
 * it by. Where the bytes cannot be had (no `/proc`), the argument stays as Node.js decoded it.
 */
import * as fs from 'node:fs';
import { isUtf8Name, showRawPath } from '../config/raw-names';

export interface RawArgs {
  /** The arguments, each recovered one under its shown name. */
  args: string[];
  /**
   * Shown name → bytes, for each recovered argument and for the value of a recovered
   * `--option=value` or `-oValue`.
   */
  bytes: ReadonlyMap<string, Buffer>;
}

/** `args` is `process.argv.slice(2)`; `cmdline` reads the process's own command line, NUL-separated. */
export function recoverRawArgs(args: readonly string[], cmdline: () => Buffer | undefined = readCmdline): RawArgs {
  const unchanged = { args: [...args], bytes: new Map<string, Buffer>() };
  if (!args.some((a) => a.includes('\uFFFD'))) return unchanged;
  const raw = cmdlineEntries(cmdline());
  // The CLI's arguments are the last ones: before them come Node.js's own options (`node
  // --inspect`), which process.argv leaves out. Anything that does not line up (a command line
  // rewritten since, by setting process.title) recovers nothing.
  if (raw === undefined || raw.length < args.length) return unchanged;
  const own = raw.slice(raw.length - args.length);
  if (own.some((bytes, i) => bytes.toString('utf8') !== args[i])) return unchanged;

  const shown = own.map((bytes, i) => (isUtf8Name(bytes) ? args[i] : showRawPath(bytes)));
  const bytes = new Map<string, Buffer>();
  own.forEach((b, i) => {
    if (isUtf8Name(b)) return;
    bytes.set(shown[i], b);
    const value = optionValue(b);
    if (value) bytes.set(showRawPath(value), value);
  });
  // A valid argument that reads like a recovered one's shown name (a file really named
  // `\xFF.rs`) would be taken for it: then neither is recovered, and nothing opens the wrong file.
  for (let i = 0; i < args.length; i++) {
    if (isUtf8Name(own[i]) && bytes.has(args[i])) return unchanged;
  }
  return { args: shown, bytes };
}

/** The value of `--option=value` or `-oValue`, which commander hands over alone. */
function optionValue(arg: Buffer): Buffer | undefined {
  if (arg[0] !== 0x2d || arg.length < 3) return undefined;
  if (arg[1] !== 0x2d) return arg.subarray(2);
  const eq = arg.indexOf(0x3d);
  return eq > 0 ? arg.subarray(eq + 1) : undefined;
}

function cmdlineEntries(cmdline: Buffer | undefined): Buffer[] | undefined {
  if (cmdline === undefined || cmdline.length === 0 || cmdline[cmdline.length - 1] !== 0) return undefined;
  const entries: Buffer[] = [];
  for (let start = 0; start < cmdline.length; ) {
    const end = cmdline.indexOf(0, start);
    entries.push(cmdline.subarray(start, end));
    start = end + 1;
  }
  return entries;
}

function readCmdline(): Buffer | undefined {
  try {
    return fs.readFileSync('/proc/self/cmdline');
  } catch {
    return undefined;
  }
}
