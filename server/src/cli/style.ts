/**
 * ANSI styling for terminal output. Disabled styles are identity functions, so formatting code
 * never branches on whether colour is on.
 */
import { Severity } from '../../../shared/src/findings';

export interface Style {
  bold(s: string): string;
  severity(severity: Severity, s: string): string;
  /** The gutter, `-->` arrows and `=` lines, as rustc draws them. */
  frame(s: string): string;
}

const wrap = (open: string) => (s: string) => `\x1b[${open}m${s}\x1b[0m`;

// rustc's palette: red errors, yellow warnings; cyan and green for the two quieter levels.
const SEVERITY_CODES: Record<Severity, string> = {
  error: '1;31',
  warning: '1;33',
  information: '1;36',
  hint: '1;32',
};

export const PLAIN: Style = { bold: (s) => s, severity: (_, s) => s, frame: (s) => s };

export const ANSI: Style = {
  bold: wrap('1'),
  severity: (severity, s) => wrap(SEVERITY_CODES[severity])(s),
  frame: wrap('1;34'),
};

/** Colour only for a terminal, and never when the user opted out via https://no-color.org. */
export function wantsColor(flag: boolean, isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return flag && isTTY === true && !env.NO_COLOR;
}
