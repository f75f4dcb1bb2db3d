/**
 * What a `check` run produced, independent of how it is printed. Every formatter takes this and
 * nothing else, so the three output formats cannot disagree about what was found.
 */
import { FileError, Finding, SEVERITIES, Severity } from '../../../shared/src/findings';

export interface CheckReport {
  /** Files that were read and analyzed (not those that failed to read). */
  filesScanned: number;
  /** Sorted, with paths relative to the working directory and forward slashes. */
  findings: Finding[];
  /** Inputs that could not be analyzed, and config problems. Never fail the run by themselves. */
  errors: FileError[];
  /** Advisory problems that do not prevent analysis, such as unknown rules in suppression comments. */
  warnings: FileError[];
  /** Source text by display path, for snippets and fingerprints; a missing entry is tolerated. */
  sources: ReadonlyMap<string, string>;
  /**
   * The files opened by their bytes (a name on their path is not valid UTF-8; see
   * config/raw-names.ts): display path → the same path as bytes, which SARIF's URIs encode.
   */
  rawNames?: ReadonlyMap<string, Buffer>;
}

export type OutputFormat = 'text' | 'json' | 'sarif';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/** Splits text into lines the way LSP positions count them (`\r\n`, `\r` and `\n` all end a line). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** Caches each file's lines: findings cluster in few files, and splitting a large file per finding adds up. */
export class SourceLines {
  private readonly cache = new Map<string, string[] | undefined>();

  constructor(private readonly sources: ReadonlyMap<string, string>) {}

  line(file: string, line0: number): string | undefined {
    if (!this.cache.has(file)) {
      const text = this.sources.get(file);
      this.cache.set(file, text === undefined ? undefined : splitLines(text));
    }
    return this.cache.get(file)?.[line0];
  }
}
