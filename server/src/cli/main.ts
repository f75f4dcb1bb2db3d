/** Entry point of the `leak-lens` executable (bundled to `dist/cli.js`, launched by `bin/leak-lens.js`). */
import { processIo } from './io';
import { run } from './program';

// `leak-lens check | head` closes the pipe early; that is the reader's choice, not a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

run(process.argv.slice(2), processIo()).then(
  (status) => {
    // Set rather than exit: exiting now could cut off output still being flushed to a pipe.
    process.exitCode = status;
  },
  (e: unknown) => {
    process.stderr.write(`leak-lens: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 3;
  },
);
