/**
 * Entry point of the `leak-lens` executable (bundled to `dist/cli.js`, launched by
 * `bin/leak-lens.js`), and of the worker threads `check --jobs N` starts from the same file.
 */
import { isMainThread, workerData } from 'node:worker_threads';
import { keepYoungGenerationSmall } from './young-generation';
import { EXIT_USAGE, processIo } from './io';
import { run } from './program';
import { recoverRawArgs } from './raw-args';
import { isFactsWorker, runFactsWorker } from './worker';

if (!isMainThread && isFactsWorker(workerData)) {
  // A rejection here is unhandled, which ends the worker with an `error` event in the main
  // thread; that fails the run with status 3, as any internal error does.
  void runFactsWorker();
} else {
  main();
}

function main(): void {
  keepYoungGenerationSmall();
  // `leak-lens check | head` closes the pipe early: the reader's choice, not a crash, and the
  // exit status still says what was found (io.ts drops the rest of the report). Any other failure
  // (a full disk, a device that refuses writes) loses the report, as an `--output` that cannot
  // be written does.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') return;
    process.stderr.write(`error: cannot write report to standard output: ${e.message}\n`);
    process.exit(EXIT_USAGE);
  });

  const { args, bytes } = recoverRawArgs(process.argv.slice(2));
  run(args, processIo(__filename, bytes)).then(
    (status) => {
      // Set rather than exit: exiting now could cut off output still being flushed to a pipe.
      process.exitCode = status;
    },
    (e: unknown) => {
      process.stderr.write(`leak-lens: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
