/**
 * `leak-lens.toml`: per-rule levels, exclude globs and report thresholds.
 *
 * A broken config must never stop a CI run from reporting: every problem becomes one error entry
 * naming the line where we can find it, and every part that is valid still applies.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TomlError, parse } from 'smol-toml';
import { FileError, RULE_IDS, SEVERITIES, Severity, isRuleId, isSeverity } from '../../../shared/src/findings';
import { DEFAULT_SETTINGS, LeakLensSettings, RULE_LEVELS, RuleLevel } from '../../../shared/src/settings';
import { usableExcludes } from './exclude';
import { readRegularFile } from './read-file';
import { closest } from './suggest';

export const CONFIG_FILE_NAME = 'leak-lens.toml';

/** A config is a few lines; anything this large is not one, and is not worth parsing. */
const MAX_CONFIG_SIZE = 1024 * 1024;

/** `--fail-on` threshold: the least severe finding that fails the run, or `none` to never fail. */
export type FailOn = Severity | 'none';
export const FAIL_ON_VALUES: readonly FailOn[] = [...SEVERITIES, 'none'];

export function isFailOn(value: string): value is FailOn {
  return (FAIL_ON_VALUES as readonly string[]).includes(value);
}

export interface LoadedConfig {
  settings: LeakLensSettings;
  /** The config's `fail-on`, when it sets one; the CLI flag overrides it. */
  failOn?: FailOn;
  errors: FileError[];
  /** The file read, absent when there was none. */
  path?: string;
}

const TOP_LEVEL_KEYS = ['exclude', 'minimum-severity', 'fail-on', 'rules'];

/** Reads `leak-lens.toml` in `root`; a missing file simply yields the defaults. */
export function loadConfig(root: string): LoadedConfig {
  const file = path.join(root, CONFIG_FILE_NAME);
  if (!fs.existsSync(file)) return { settings: defaultSettings(), errors: [] };
  return loadConfigFile(file);
}

/**
 * Reads a config file the user named explicitly (opened as `bytes` when given: a name that is not
 * valid UTF-8, `file` is then its shown name). Unreadable → an error entry and the defaults.
 */
export function loadConfigFile(file: string, bytes?: Buffer): LoadedConfig {
  const read = readRegularFile(bytes ?? file, MAX_CONFIG_SIZE);
  if (!read.ok) {
    const reason = read.message.replace(/^cannot read: /, '').replace(/^no such file or directory$/, 'no such file');
    return { settings: defaultSettings(), errors: [{ file, message: `cannot read config: ${reason}` }], path: file };
  }
  return { ...parseConfig(read.bytes.toString('utf8'), file), path: file };
}

/**
 * Looks for `leak-lens.toml` in `start` and its ancestors, stopping after the first directory that
 * holds `.git` so a config in an unrelated parent project is never picked up.
 */
export function findConfig(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir || fs.existsSync(path.join(dir, '.git'))) return undefined;
    dir = parent;
  }
}

/** Parses config text. `file` only labels error entries. */
export function parseConfig(text: string, file: string): Omit<LoadedConfig, 'path'> {
  const settings = defaultSettings();
  const errors: FileError[] = [];
  const report = (message: string, line?: number) =>
    errors.push({ file, message: line === undefined ? message : `line ${line}: ${message}` });

  let doc: Record<string, unknown>;
  try {
    doc = parse(text);
  } catch (e) {
    if (e instanceof TomlError) {
      // smol-toml appends a code excerpt after a blank line; the first line is the actual message.
      report(`invalid TOML: ${e.message.split('\n')[0].replace(/^Invalid TOML document: /, '')}`, e.line);
    } else {
      report(`invalid TOML: ${(e as Error).message}`);
    }
    return { settings, errors };
  }

  const lineOf = (key: string) => findKeyLine(text, key);
  let failOn: FailOn | undefined;

  for (const [key, value] of Object.entries(doc)) {
    switch (key) {
      case 'exclude':
        if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) {
          const { patterns, problems } = usableExcludes(value);
          settings.exclude = patterns;
          for (const problem of problems) report(problem, lineOf(key));
        } else {
          report('`exclude` must be an array of glob strings', lineOf(key));
        }
        break;
      case 'minimum-severity':
        if (typeof value === 'string' && isSeverity(value)) {
          settings.minimumSeverity = value;
        } else {
          report(`\`minimum-severity\` must be one of ${list(SEVERITIES)}, got ${show(value)}`, lineOf(key));
        }
        break;
      case 'fail-on':
        if (typeof value === 'string' && isFailOn(value)) {
          failOn = value;
        } else {
          report(`\`fail-on\` must be one of ${list(FAIL_ON_VALUES)}, got ${show(value)}`, lineOf(key));
        }
        break;
      case 'rules':
        if (isTable(value)) {
          settings.rules = parseRules(value, report, lineOf);
        } else {
          report('`rules` must be a table: [rules] followed by `rule-id = "allow" | "warn" | "deny"` lines', lineOf(key));
        }
        break;
      default:
        report(`unknown key \`${key}\`${didYouMean(key, TOP_LEVEL_KEYS)} (known keys: ${list(TOP_LEVEL_KEYS)})`, lineOf(key));
    }
  }
  return { settings, failOn, errors };
}

function parseRules(
  table: Record<string, unknown>,
  report: (message: string, line?: number) => void,
  lineOf: (key: string) => number | undefined,
): LeakLensSettings['rules'] {
  const rules: LeakLensSettings['rules'] = {};
  for (const [id, level] of Object.entries(table)) {
    if (!isRuleId(id)) {
      report(`unknown rule \`${id}\` in [rules]${didYouMean(id, RULE_IDS)}; \`leak-lens rules\` lists them`, lineOf(id));
    } else if (typeof level !== 'string' || !isRuleLevel(level)) {
      report(`level of \`${id}\` must be one of ${list(RULE_LEVELS)}, got ${show(level)}`, lineOf(id));
    } else {
      rules[id] = level;
    }
  }
  return rules;
}

function isRuleLevel(value: string): value is RuleLevel {
  return (RULE_LEVELS as readonly string[]).includes(value);
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function defaultSettings(): LeakLensSettings {
  return { rules: {}, exclude: [], minimumSeverity: DEFAULT_SETTINGS.minimumSeverity };
}

/**
 * smol-toml gives values, not positions; a key is found again by scanning for `key =` (bare or
 * quoted). Good enough to point the user at the right line; undefined when the key is written in
 * an unusual form (dotted keys, inline tables).
 */
function findKeyLine(text: string, key: string): number | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^\\s*(?:${escaped}|"${escaped}"|'${escaped}')\\s*=`);
  const lines = text.split(/\r\n|\r|\n/);
  const index = lines.findIndex((line) => re.test(line));
  return index < 0 ? undefined : index + 1;
}

function didYouMean(value: string, candidates: readonly string[]): string {
  const match = closest(value, candidates);
  return match === undefined ? '' : ` (did you mean \`${match}\`?)`;
}

function list(values: readonly string[]): string {
  return values.map((v) => `"${v}"`).join(', ');
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
