/**
 * `leak-lens check`: config → discovery → reading → analysis → report → exit status.
 *
 * Input problems (unreadable files, bad config entries) are collected, printed and carried into
 * every output format; they never abort the run nor decide its exit status. Only findings at or
 * above `--fail-on` do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeSources, SourceInput } from '../analysis/engine';
import { parseSuppressions } from '../analysis/suppress';
import { FileError, Finding, RULE_IDS, atLeast } from '../../../shared/src/findings';
import { LeakLensSettings } from '../../../shared/src/settings';
import { FailOn, LoadedConfig, discoverFiles, findConfig, loadConfig, loadConfigFile, readSource } from '../config';
import { closest } from '../config/suggest';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import { CliIo, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './io';
import { commonDirectory, displayPath } from './paths';
import { CheckReport, OutputFormat } from './report';
import { ANSI, PLAIN, Style, wantsColor } from './style';
import { packageVersion } from './version';

export interface CheckOptions {
  paths: string[];
  format: OutputFormat;
  /** From `--fail-on`; when absent the config's `fail-on`, then `warning`. */
  failOn?: FailOn;
  config?: string;
  maxFileSize: number;
  /** False with `--no-color`. */
  color: boolean;
  output?: string;
  quiet: boolean;
}

export function runCheck(options: CheckOptions, io: CliIo): number {
  const cwd = io.cwd;
  const targets = (options.paths.length > 0 ? options.paths : ['.']).map((p) => path.resolve(cwd, p));
  const errStyle = wantsColor(options.color, io.stderr.isTTY, io.env) ? ANSI : PLAIN;

  if (options.config !== undefined && !fs.existsSync(path.resolve(cwd, options.config))) {
    io.stderr.write(`${errStyle.severity('error', 'error')}: config file not found: ${options.config}\n`);
    return EXIT_USAGE;
  }
  const config = readConfig(options.config, targets, cwd);
  const root = config.path ? path.dirname(config.path) : cwd;
  const show = (file: string) => displayPath(file, cwd);

  const discovery = discoverFiles(targets, { exclude: config.settings.exclude, root });
  const errors: FileError[] = [...config.errors, ...discovery.errors].map((e) => ({ file: show(e.file), message: e.message }));
  const warnings: FileError[] = [];
  const inputs: SourceInput[] = [];
  for (const file of discovery.files) {
    const read = readSource(file, options.maxFileSize);
    if (read.ok) {
      inputs.push({ path: show(file), text: read.text });
      warnings.push(...unknownSuppressions(show(file), read.text));
    } else {
      errors.push({ file: show(file), message: read.message });
    }
  }

  const analysis = analyze(inputs, config.settings);
  const report: CheckReport = {
    filesScanned: inputs.length,
    findings: analysis.findings,
    errors: [...errors, ...analysis.errors],
    warnings,
    sources: new Map(inputs.map((i) => [i.path, i.text])),
  };

  if (!options.quiet) {
    for (const w of report.warnings) io.stderr.write(`${errStyle.severity('warning', 'warning')}: ${w.file}: ${w.message}\n`);
  }
  for (const e of report.errors) io.stderr.write(`${errStyle.severity('error', 'error')}: ${e.file}: ${e.message}\n`);

  if (options.output === undefined) {
    const style = wantsColor(options.color, io.stdout.isTTY, io.env) ? ANSI : PLAIN;
    io.stdout.write(render(report, options, style, cwd));
  } else {
    try {
      fs.writeFileSync(path.resolve(cwd, options.output), render(report, options, PLAIN, cwd));
    } catch (e) {
      io.stderr.write(`${errStyle.severity('error', 'error')}: cannot write report to ${options.output}: ${(e as Error).message}\n`);
      return EXIT_USAGE;
    }
  }
  return fails(report.findings, options.failOn ?? config.failOn ?? 'warning') ? EXIT_FINDINGS : EXIT_OK;
}

function readConfig(explicit: string | undefined, targets: string[], cwd: string): LoadedConfig {
  if (explicit !== undefined) return loadConfigFile(path.resolve(cwd, explicit));
  // Look where the code is, not only where the command runs: `leak-lens check ../other` should
  // use `../other`'s config.
  const start = commonDirectory(targets, isDirectory);
  const found = findConfig(start) ?? findConfig(cwd);
  return found ? loadConfig(path.dirname(found)) : loadConfig(cwd);
}

/**
 * The engine promises not to throw, but a crash on one odd file must not cost the user the whole
 * report: retry file by file, and name the file that still fails.
 */
function analyze(inputs: SourceInput[], settings: LeakLensSettings): { findings: Finding[]; errors: FileError[] } {
  try {
    return analyzeSources(inputs, settings);
  } catch {
    const findings: Finding[] = [];
    const errors: FileError[] = [];
    for (const input of inputs) {
      try {
        const result = analyzeSources([input], settings);
        findings.push(...result.findings);
        errors.push(...result.errors);
      } catch (e) {
        errors.push({ file: input.path, message: `internal error, file not analyzed: ${(e as Error).message}` });
      }
    }
    return { findings, errors };
  }
}

function unknownSuppressions(file: string, text: string): FileError[] {
  return parseSuppressions(text).comments.flatMap((comment) =>
    comment.unknownRules.map((name) => {
      const guess = closest(name, RULE_IDS);
      const hint = guess ? ` (did you mean \`${guess}\`?)` : '';
      return { file, message: `line ${comment.line + 1}: unknown rule \`${name}\` in suppression comment${hint}; it has no effect` };
    }),
  );
}

function render(report: CheckReport, options: CheckOptions, style: Style, cwd: string): string {
  switch (options.format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report, { toolVersion: packageVersion(), cwd });
    case 'text':
      return formatText(report, { style, summary: !options.quiet });
  }
}

function fails(findings: readonly Finding[], failOn: FailOn): boolean {
  return failOn !== 'none' && findings.some((f) => atLeast(f.severity, failOn));
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
