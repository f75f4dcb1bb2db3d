/** Shared scaffolding for the CLI tests: the built executable, throw-away file trees and hand-written findings. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Finding } from '../../../shared/src/findings';
import { CheckReport } from '../../src/cli/report';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const CLI = path.join(REPO_ROOT, 'bin', 'leak-lens.js');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A run that takes this long is hung: it is killed and its status is null, so a test of a hang
 * fails instead of hanging the suite.
 */
export const HANG_MS = 30_000;

/** Runs the built `leak-lens` in `cwd`, colours off, and returns what it printed. */
export function leakLens(cwd: string, ...args: string[]): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '' },
    timeout: HANG_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 30,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * `leakLens` with arguments that may be bytes (file names that are not valid UTF-8), after
 * `nodeOptions`. `spawn` would decode a Buffer argument to a string, U+FFFD for each bad byte, so
 * a shell makes the bytes: `printf` of one octal escape per byte.
 */
export function leakLensBytes(cwd: string, nodeOptions: string[], ...args: (string | Uint8Array)[]): Run {
  const all = [process.execPath, ...nodeOptions, CLI, ...args];
  const words = all.map((a, i) => (typeof a === 'string' ? `"\${${i + 1}}"` : `"$(printf "\${${i + 1}}")"`));
  const params = all.map((a) => (typeof a === 'string' ? a : [...a].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('')));
  const result = spawnSync('/bin/sh', ['-c', `exec ${words.join(' ')}`, 'sh', ...params], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '' },
    timeout: HANG_MS,
    killSignal: 'SIGKILL',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Creates a fresh temporary directory holding `files` (relative path → content); returns its realpath. */
export function makeTree(files: Record<string, string | Uint8Array> = {}): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'leak-lens-cli-')));
  for (const [relative, content] of Object.entries(files)) {
    const full = path.join(root, relative);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return root;
}

export function removeTree(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Title for a permission test. Root reads any file or directory regardless of its mode, so such a
 * test cannot observe the error and is skipped; the title says why in the pending list.
 */
export function permissionTest(title: string): string {
  return isRoot() ? `${title} (skipped: running as root, which can read anything)` : title;
}

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    file: 'src/main.rs',
    range: { start: { line: 1, character: 12 }, end: { line: 1, character: 34 } },
    rule: 'box-leak',
    kind: 'real-leak',
    severity: 'warning',
    message: 'real leak: `Box::leak` leaks on every iteration of the `loop` at line 1',
    reasons: ['`Box::leak` happens inside the `loop` at line 1', 'every iteration leaks a new allocation'],
    related: [],
    ...overrides,
  };
}

export const MAIN_RS = 'fn main() {\n    let s = Box::leak(Box::new(x));\n}\n';

export function report(overrides: Partial<CheckReport> = {}): CheckReport {
  return {
    filesScanned: 1,
    findings: [finding()],
    errors: [],
    warnings: [],
    sources: new Map([['src/main.rs', MAIN_RS]]),
    ...overrides,
  };
}
