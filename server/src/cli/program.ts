/**
 * The `leak-lens` command line: argument parsing and dispatch. Each command's behaviour lives in
 * its own module; this one only maps arguments to calls and every failure to an exit status.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { RULE_IDS, isRuleId } from '../../../shared/src/findings';
import { RULES } from '../../../shared/src/catalog';
import { DEFAULT_MAX_FILE_SIZE, FAIL_ON_VALUES, formatSize } from '../config';
import { closest } from '../config/suggest';
import { CheckOptions, runCheck } from './check';
import { CliIo, EXIT_OK, EXIT_USAGE } from './io';
import { OUTPUT_FORMATS } from './report';
import { parseShard } from './shard';
import { formatExplanation, formatRuleList } from './rules-command';
import { ANSI, PLAIN, wantsColor } from './style';
import { packageVersion } from './version';

const EXIT_STATUS_HELP = `
Exit status:
  0  no finding at or above the --fail-on severity
  1  at least one finding at or above it
  2  usage error (unknown option, format or rule; a path or --config file that does
     not exist), or the report could not be written
  3  internal error (a bug in leak-lens; please report it)

Files that cannot be read (binary, invalid UTF-8, too large, not a regular file,
permission denied) and problems in leak-lens.toml are printed as errors and listed in
the JSON/SARIF report, but do not by themselves change the exit status.`;

const SHARDING_HELP = `

Sharding (--shard i/n, for CI jobs that split a large workspace):
  A file belongs to shard 1 + (FNV-1a hash of its reported path) mod n, so run
  every shard from the same directory with the same paths. Each shard reports
  findings, errors and warnings only for its own files, but still reads every file
  for what those findings depend on (a from_raw in another file, a method that
  shadows a leaking std name, the callers of a function that leaks): the union of
  the shards' findings equals the unsharded run's. Problems with leak-lens.toml
  or the paths given are reported by every shard; filesScanned counts own files.`;

/** What commander parses for `check`: every option of the run but the paths, which are arguments. */
type CheckFlags = Omit<CheckOptions, 'paths'>;

/** Runs one command line (without `node` and the script) and returns the exit status. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let status = EXIT_OK;
  const program = buildProgram(io, (code) => (status = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    throw e;
  }
  return status;
}

function buildProgram(io: CliIo, setStatus: (code: number) => void): Command {
  const program = new Command('leak-lens');
  // Settings made before `.command()` are inherited by every subcommand.
  program
    .description('Find and explain memory leaks in Rust: Box::leak, into_raw, mem::forget, static mut, lazy globals, Rc cycles.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showSuggestionAfterError()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_STATUS_HELP);

  program
    .command('check')
    .description('analyze Rust files and directories (default: the current directory)')
    .argument('[paths...]', 'files or directories to analyze')
    .addOption(new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS).default('text'))
    .addOption(
      new Option('--fail-on <severity>', 'exit with status 1 if any finding is at least this severe (default: "warning", or fail-on in leak-lens.toml)').choices(
        FAIL_ON_VALUES,
      ),
    )
    .option('-c, --config <file>', 'config file (default: leak-lens.toml in the analyzed directory or an ancestor, up to the repository root)')
    .option(
      '--max-file-size <bytes>',
      `skip files larger than this; accepts K, M and G suffixes (powers of 1024) (default: ${formatSize(DEFAULT_MAX_FILE_SIZE)})`,
      parseByteSize,
      DEFAULT_MAX_FILE_SIZE,
    )
    .option('--no-color', 'never colour the output (colour is used only on a terminal and when NO_COLOR is unset)')
    .option('-o, --output <file>', 'write the report to a file instead of standard output')
    .option('-q, --quiet', 'omit the summary line and warnings; errors are still printed', false)
    .option(
      '-j, --jobs <n>',
      `threads that read and analyze files (the main thread and n - 1 workers); 1 runs in a single thread; at most one per core, ${os.availableParallelism()} here, and no more than the memory bound holds with: input dense with leak sites runs fewer, saying so (default: one per core, fewer for a handful of files, a few megabytes, or input dense with leak sites)`,
      parseJobs,
    )
    .option('--shard <i/n>', 'analyze and report only the i-th of n deterministic parts of the files (see "Sharding" below)', parseShard)
    .option('--timings', 'print where the time went (discovery, per-thread reading and analysis, cross-file pass, report) to standard error', false)
    .addHelpText('after', EXIT_STATUS_HELP + SHARDING_HELP)
    .action(async (paths: string[], flags: CheckFlags) => {
      setStatus(await runCheck({ paths, ...flags }, io));
    });

  program
    .command('rules')
    .description('list the rules with a one-line summary each')
    .action(() => {
      io.stdout.write(formatRuleList(styleFor(io)));
    });

  program
    .command('explain')
    .description('explain a rule: what it detects, what happens at run time, and how to fix it')
    .argument('<rule>', 'rule id, as listed by `leak-lens rules`')
    .action((rule: string) => {
      if (!isRuleId(rule)) {
        const guess = closest(rule, RULE_IDS);
        io.stderr.write(`error: unknown rule \`${rule}\`${guess ? `; did you mean \`${guess}\`?` : ''} (run \`leak-lens rules\` to list them)\n`);
        setStatus(EXIT_USAGE);
        return;
      }
      io.stdout.write(formatExplanation(RULES[rule], styleFor(io)));
    });

  program
    .command('lsp')
    .description('start the language server (used by editors; speaks LSP over --stdio)')
    .option('--stdio', 'communicate over standard input and output')
    // Language clients add transport flags of their own (--clientProcessId=…); they are the server's business.
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      setStatus(startLanguageServer(io));
    });

  return program;
}

/**
 * The server is a separate bundle (`dist/server.js`) beside this one. Resolving it at run time
 * keeps esbuild from inlining the whole server into the CLI.
 */
function startLanguageServer(io: CliIo): number {
  const serverPath = path.join(__dirname, 'server.js');
  if (!fs.existsSync(serverPath)) {
    io.stderr.write(`error: language server not found at ${serverPath}; build it with \`npm run build\`\n`);
    return EXIT_USAGE;
  }
  require(serverPath);
  return EXIT_OK;
}

function styleFor(io: CliIo) {
  return wantsColor(true, io.stdout.isTTY, io.env) ? ANSI : PLAIN;
}

/** `--jobs`: a whole number of threads, at least one. */
export function parseJobs(value: string): number {
  if (!/^\s*\d+\s*$/.test(value)) throw new InvalidArgumentError('expected a whole number of worker threads, e.g. 4');
  const jobs = Number(value);
  if (jobs < 1) throw new InvalidArgumentError('must be at least 1 (1 runs everything in one thread)');
  return jobs;
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `5242880`, `512K`, `5M`, `5MiB`, `1.5g` → bytes. */
export function parseByteSize(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmg])(?:i?b)?|b)?\s*$/i.exec(value);
  if (!match) throw new InvalidArgumentError('expected a number of bytes, optionally with a K, M or G suffix (e.g. 10M)');
  const bytes = Math.floor(Number(match[1]) * SIZE_UNITS[(match[2] ?? '').toLowerCase()]);
  if (bytes <= 0) throw new InvalidArgumentError('must be greater than zero');
  return bytes;
}
