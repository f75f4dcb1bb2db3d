/**
 * The `exclude` globs of `leak-lens.toml` and the editor's `leakLens.exclude`, compiled once for
 * both the CLI's walker and the language server. A pattern that cannot mean anything (empty,
 * blank, `./`) or that picomatch rejects is reported and dropped, never allowed to throw later:
 * picomatch throws on an empty pattern, and it would throw on every file of every later run.
 */
import picomatch from 'picomatch';

export interface ExcludeMatcher {
  /** `relative` is `/`-separated and relative to the config's directory (or the workspace folder). */
  matches(relative: string): boolean;
  /** One line per pattern that was dropped, naming it and why. */
  problems: string[];
}

/**
 * No configuration needs more distinct patterns than this. Each compiled glob holds some 6 KB, and
 * a generated `exclude` of 100,000 patterns (700 KB of TOML) took 390 MB and 20 s before any file
 * was read: the first ones apply, and the rest are reported and ignored.
 */
export const MAX_EXCLUDE_PATTERNS = 1000;

/** The patterns of `raw` that `compileExclude` keeps. */
export function usableExcludes(raw: readonly string[]): { patterns: string[]; problems: string[] } {
  const patterns: string[] = [];
  const { kept, problems } = bounded(raw);
  for (const pattern of kept) {
    const { problems: found } = compileExclude([pattern]);
    if (found.length === 0) patterns.push(pattern);
    problems.push(...found);
  }
  return { patterns, problems };
}

export function compileExclude(raw: readonly string[]): ExcludeMatcher {
  const { kept, problems } = bounded(raw);
  const anchored: picomatch.Matcher[] = [];
  const names: picomatch.Matcher[] = [];
  for (const pattern of kept) {
    // `./vendor/` means the same as `vendor/**`; accept the spellings people carry over from other tools.
    const normalised = pattern.replace(/^(\.\/)+/, '').replace(/\/$/, '/**');
    if (normalised.trim() === '' || normalised === '/**') {
      problems.push(`exclude pattern ${JSON.stringify(pattern)} matches nothing; ignored`);
      continue;
    }
    try {
      // Patterns with a `/` match the whole relative path; patterns without one match a name at
      // any depth, as in `.gitignore` (picomatch's `basename` option breaks patterns with a slash).
      (normalised.includes('/') ? anchored : names).push(picomatch(normalised, { dot: true }));
    } catch (e) {
      problems.push(`exclude pattern ${JSON.stringify(pattern)} is not a valid glob (${(e as Error).message}); ignored`);
    }
  }
  return {
    problems,
    matches: (relative) => {
      if (anchored.some((m) => m(relative))) return true;
      if (names.length === 0) return false;
      const name = relative.slice(relative.lastIndexOf('/') + 1);
      return names.some((m) => m(name));
    },
  };
}

/** `raw` without repeats, cut at `MAX_EXCLUDE_PATTERNS`, saying so when it is. */
function bounded(raw: readonly string[]): { kept: string[]; problems: string[] } {
  const unique = [...new Set(raw)];
  if (unique.length <= MAX_EXCLUDE_PATTERNS) return { kept: unique, problems: [] };
  return {
    kept: unique.slice(0, MAX_EXCLUDE_PATTERNS),
    problems: [`${unique.length} exclude patterns, more than the ${MAX_EXCLUDE_PATTERNS} Leak Lens reads: the first ${MAX_EXCLUDE_PATTERNS} apply, the others are ignored`],
  };
}
