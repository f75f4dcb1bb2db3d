/** The CLI's view of its process, injectable so tests can run commands in-process. */
export interface OutputStream {
  /** False when the stream's buffer is full: wait for `drain` before writing more. */
  write(text: string): unknown;
  once?(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /**
   * The script this CLI runs from. Worker threads run it again: the entry dispatches on
   * `isMainThread`, so one bundle serves both and the build needs no second entry point.
   */
  entryScript: string;
  /** The bytes of arguments that are not valid UTF-8, by the name they were given as (`raw-args.ts`). */
  rawArgs?: ReadonlyMap<string, Buffer>;
}

export function processIo(entryScript: string, rawArgs?: ReadonlyMap<string, Buffer>): CliIo {
  return { stdout: readerMayLeave(process.stdout), stderr: process.stderr, cwd: process.cwd(), env: process.env, entryScript, rawArgs };
}

/**
 * Standard output whose reader may stop reading (`leak-lens check | head`): from then on the rest
 * of the report is dropped, and a writer waiting for the pipe to drain is let go, so the command
 * still finishes with the status its findings give.
 */
function readerMayLeave(out: NodeJS.WriteStream): OutputStream {
  let gone = false;
  out.on('error', (e: NodeJS.ErrnoException) => void (gone ||= e.code === 'EPIPE'));
  return {
    isTTY: out.isTTY,
    write: (text) => gone || out.write(text),
    once: (event, listener) => {
      if (gone) return listener();
      const done = () => {
        out.off(event, done);
        out.off('close', done);
        listener();
      };
      out.on(event, done);
      out.on('close', done);
    },
  };
}

/** Exit statuses; documented in `leak-lens --help`. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
