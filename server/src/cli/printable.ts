/**
 * Text from the input (a quoted source line, a file name, a message naming either) as the text
 * report and standard error show it. A stranger's files can hold control characters: an escape
 * sequence that moves the cursor back over the warnings above and erases them, or rewrites the
 * window title; a line feed or carriage return in a file name that breaks the `-->` line; the
 * bidirectional overrides that make a quoted line read unlike the code (Trojan Source,
 * CVE-2021-42574). As rustc's emitter does, each is shown as a visible character of the same
 * UTF-16 length, so columns and underlines stay put: a C0 control or DEL as its Control Picture
 * (`␛` for ESC, `␊` for a line feed), a C1 control or a bidirectional control as U+FFFD. Tabs
 * are left to the layout, which expands them.
 */
export function printable(text: string): string {
  return UNPRINTABLE.test(text) ? text.replace(UNPRINTABLE_ALL, shown) : text;
}

const CONTROLS = '\\x00-\\x08\\x0a-\\x1f\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const UNPRINTABLE = new RegExp(`[${CONTROLS}]`);
const UNPRINTABLE_ALL = new RegExp(`[${CONTROLS}]`, 'g');

function shown(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  return code === 0x7f ? '\u2421' : '\uFFFD';
}
