/**
 * Effective settings per workspace folder: `leak-lens.toml` in the folder (shared with the CLI and
 * CI) overlaid with the editor's `leakLens.*` settings (the user's own preferences):
 *   - `rules`: per rule, the editor's level wins over the file's;
 *   - `exclude`: both lists apply;
 *   - `minimumSeverity`: the editor's when set (its default is unset), else the file's.
 */
import * as path from 'node:path';
import { Connection } from 'vscode-languageserver/node';
import { RuleId, Severity, isRuleId, isSeverity } from '../../../shared/src/findings';
import { DEFAULT_SETTINGS, LeakLensSettings, RULE_LEVELS, RuleLevel } from '../../../shared/src/settings';
import { CONFIG_FILE_NAME } from '../config/config-file';
import { compileExclude, usableExcludes } from '../config/exclude';
import { WorkspaceFiles, isUriLocation } from './files';
import { pathToUri, uriToPath } from './host';
import { CLIENT_ANSWER_MS, NO_ANSWER, answerWithin } from './client-answers';
import { Logger, shownValue } from './logger';

export { pathToUri, uriToPath };

export const SETTINGS_SECTION = 'leakLens';

/** What the editor sends for the `leakLens` section; anything may be missing or of the wrong type. */
export interface EditorSettings {
  rules: Partial<Record<RuleId, RuleLevel>>;
  exclude: string[];
  minimumSeverity?: Severity;
  trace?: 'off' | 'messages' | 'verbose';
}

export interface FolderSettings {
  root: string | undefined;
  settings: LeakLensSettings;
  isExcluded(fsPath: string): boolean;
}

/** Past this many, entries of `leakLens.rules` that mean nothing are counted, not each logged. */
const MAX_IGNORED_SHOWN = 20;

/** Validates the editor's section, dropping (and logging) what is not understood. */
export function parseEditorSettings(raw: unknown, logger: Logger): EditorSettings {
  const out: EditorSettings = { rules: {}, exclude: [] };
  if (!raw || typeof raw !== 'object') return out;
  const section = raw as Record<string, unknown>;
  if (section.rules && typeof section.rules === 'object') {
    let ignored = 0;
    for (const [rule, level] of Object.entries(section.rules as Record<string, unknown>)) {
      if (isRuleId(rule) && typeof level === 'string' && (RULE_LEVELS as readonly string[]).includes(level)) {
        out.rules[rule] = level as RuleLevel;
      } else if (++ignored <= MAX_IGNORED_SHOWN) {
        logger.warn(`ignoring setting leakLens.rules.${shownValue(rule).slice(1, -1)} = ${shownValue(level)} (expected allow, warn or deny for a known rule)`);
      }
    }
    if (ignored > MAX_IGNORED_SHOWN) logger.warn(`ignoring ${ignored - MAX_IGNORED_SHOWN} more entries of leakLens.rules`);
  }
  if (Array.isArray(section.exclude)) {
    const { patterns, problems } = usableExcludes(section.exclude.filter((e): e is string => typeof e === 'string'));
    for (const problem of problems) logger.warn(`ignoring setting leakLens.exclude: ${problem}`);
    out.exclude = patterns;
  }
  if (typeof section.minimumSeverity === 'string' && isSeverity(section.minimumSeverity)) out.minimumSeverity = section.minimumSeverity;
  const trace = (section.trace as Record<string, unknown> | undefined)?.server;
  if (trace === 'off' || trace === 'messages' || trace === 'verbose') out.trace = trace;
  return out;
}

export function mergeSettings(file: LeakLensSettings, editor: EditorSettings): LeakLensSettings {
  return {
    rules: { ...file.rules, ...editor.rules },
    exclude: [...file.exclude, ...editor.exclude],
    minimumSeverity: editor.minimumSeverity ?? file.minimumSeverity,
  };
}

export class Configuration {
  private folders: string[] = [];
  /**
   * The reading per folder, not its result: a keystroke's analysis and the scan may ask while the
   * client's answer is on its way, and each asking anew made its own settings object, the last one
   * kept — which made the first keystroke after a document opened classify every site of it again
   * (classification memos hold for one settings object).
   */
  private readonly cache = new Map<string, Promise<FolderSettings>>();
  /** Settings pushed with `didChangeConfiguration` by clients without `workspace/configuration`. */
  private pushed: unknown;
  /** Called when the client answers `workspace/configuration` after the server stopped waiting. */
  lateAnswer: () => void = () => undefined;
  /** The client has answered `workspace/configuration` at least once. */
  private answers = false;

  constructor(
    private readonly connection: Connection,
    private readonly logger: Logger,
    private readonly canPull: boolean,
    private readonly files: Pick<WorkspaceFiles, 'loadConfig'>,
  ) {}

  setFolders(roots: string[]): void {
    // Longest first so nested folders win when mapping a file to its folder.
    this.folders = [...new Set(roots)].sort((a, b) => b.length - a.length);
    this.cache.clear();
  }

  roots(): string[] {
    return [...this.folders];
  }

  setPushed(settings: unknown): void {
    this.pushed = settings;
  }

  /** Forgets everything; the next `forFile` re-reads the editor settings and `leak-lens.toml`. */
  invalidate(): void {
    this.cache.clear();
  }

  isConfigFile(fsPath: string): boolean {
    return path.basename(fsPath) === CONFIG_FILE_NAME;
  }

  rootOf(fsPath: string | undefined): string | undefined {
    if (!fsPath) return undefined;
    return this.folders.find((root) => fsPath === root || fsPath.startsWith(root + separator(root)));
  }

  forRoot(root: string | undefined): Promise<FolderSettings> {
    const key = root ?? '';
    let reading = this.cache.get(key);
    if (!reading) {
      const started = (reading = this.read(root));
      this.cache.set(key, started);
      // A reading that failed is not kept: the next one asks again.
      started.catch(() => this.cache.get(key) === started && this.cache.delete(key));
    }
    return reading;
  }

  private async read(root: string | undefined): Promise<FolderSettings> {
    const editor = parseEditorSettings(await this.editorSection(root), this.logger);
    if (editor.trace === 'verbose') this.logger.level = 'debug';
    let fileSettings = DEFAULT_SETTINGS;
    if (root) {
      const loaded = await this.files.loadConfig(root);
      for (const error of loaded.errors) this.logger.warn(`${error.file}: ${error.message}`);
      fileSettings = loaded.settings;
    }
    const settings = mergeSettings(fileSettings, editor);
    const matcher = settings.exclude.length > 0 ? compileExclude(settings.exclude).matches : undefined;
    const folder: FolderSettings = {
      root,
      settings,
      isExcluded: (fsPath) => {
        if (!matcher || !root) return false;
        const relative = relativeTo(root, fsPath);
        // Like the CLI's walker: a file is excluded when it or any directory above it matches.
        const parts = relative.split('/');
        for (let i = 1; i <= parts.length; i++) if (matcher(parts.slice(0, i).join('/'))) return true;
        return false;
      },
    };
    return folder;
  }

  private async editorSection(root: string | undefined): Promise<unknown> {
    if (!this.canPull) {
      const pushed = this.pushed as Record<string, unknown> | undefined;
      return pushed?.[SETTINGS_SECTION] ?? pushed;
    }
    try {
      const scopeUri = root ? pathToUri(root) : undefined;
      const request = this.connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION });
      // Once the client has answered, late or not, it is waited for: a slow one is not a silent one.
      if (this.answers) return await request;
      // Settings that come after all are applied by reading everything again (`lateAnswer`).
      const answer = await answerWithin(request, () => {
        this.answers = true;
        this.lateAnswer();
      });
      if (answer !== NO_ANSWER) {
        this.answers = true;
        return answer;
      }
      this.logger.warn(`workspace/configuration not answered within ${CLIENT_ANSWER_MS} ms; using the defaults until it is`);
      return undefined;
    } catch (e) {
      this.logger.warn(`workspace/configuration failed, using defaults: ${(e as Error).message}`);
      return undefined;
    }
  }
}

/** A URI location's parts are separated by `/` on every platform. */
function separator(root: string): string {
  return isUriLocation(root) ? '/' : path.sep;
}

/** `location` relative to `root` (which holds it), `/`-separated, as exclude globs are written. */
function relativeTo(root: string, location: string): string {
  if (!isUriLocation(root)) return path.relative(root, location).split(path.sep).join('/');
  return location
    .slice(root.length + 1)
    .split('/')
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    })
    .join('/');
}
