/**
 * Effective settings per workspace folder: `leak-lens.toml` in the folder (shared with the CLI and
 * CI) overlaid with the editor's `leakLens.*` settings (the user's own preferences):
 *   - `rules`: per rule, the editor's level wins over the file's;
 *   - `exclude`: both lists apply;
 *   - `minimumSeverity`: the editor's when set (its default is unset), else the file's.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Connection } from 'vscode-languageserver/node';
import { RuleId, Severity, isRuleId, isSeverity } from '../../../shared/src/findings';
import { DEFAULT_SETTINGS, LeakLensSettings, RULE_LEVELS, RuleLevel } from '../../../shared/src/settings';
import { CONFIG_FILE_NAME, compileExclude, loadConfig, usableExcludes } from '../config';
import { Logger } from './logger';

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

export function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/** Validates the editor's section, dropping (and logging) what is not understood. */
export function parseEditorSettings(raw: unknown, logger: Logger): EditorSettings {
  const out: EditorSettings = { rules: {}, exclude: [] };
  if (!raw || typeof raw !== 'object') return out;
  const section = raw as Record<string, unknown>;
  if (section.rules && typeof section.rules === 'object') {
    for (const [rule, level] of Object.entries(section.rules as Record<string, unknown>)) {
      if (isRuleId(rule) && typeof level === 'string' && (RULE_LEVELS as readonly string[]).includes(level)) {
        out.rules[rule] = level as RuleLevel;
      } else {
        logger.warn(`ignoring setting leakLens.rules.${rule} = ${JSON.stringify(level)} (expected allow, warn or deny for a known rule)`);
      }
    }
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
  private readonly cache = new Map<string, FolderSettings>();
  /** Settings pushed with `didChangeConfiguration` by clients without `workspace/configuration`. */
  private pushed: unknown;

  constructor(
    private readonly connection: Connection,
    private readonly logger: Logger,
    private readonly canPull: boolean,
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
    return this.folders.find((root) => fsPath === root || fsPath.startsWith(root + path.sep));
  }

  async forRoot(root: string | undefined): Promise<FolderSettings> {
    const key = root ?? '';
    const cached = this.cache.get(key);
    if (cached) return cached;
    const editor = parseEditorSettings(await this.editorSection(root), this.logger);
    if (editor.trace === 'verbose') this.logger.level = 'debug';
    let fileSettings = DEFAULT_SETTINGS;
    if (root) {
      const loaded = loadConfig(root);
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
        const relative = path.relative(root, fsPath).split(path.sep).join('/');
        // Like the CLI's walker: a file is excluded when it or any directory above it matches.
        const parts = relative.split('/');
        for (let i = 1; i <= parts.length; i++) if (matcher(parts.slice(0, i).join('/'))) return true;
        return false;
      },
    };
    this.cache.set(key, folder);
    return folder;
  }

  private async editorSection(root: string | undefined): Promise<unknown> {
    if (!this.canPull) {
      const pushed = this.pushed as Record<string, unknown> | undefined;
      return pushed?.[SETTINGS_SECTION] ?? pushed;
    }
    try {
      const scopeUri = root ? pathToUri(root) : undefined;
      return await this.connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION });
    } catch (e) {
      this.logger.warn(`workspace/configuration failed, using defaults: ${(e as Error).message}`);
      return undefined;
    }
  }
}

export function pathToUri(fsPath: string): string {
  return pathToFileURL(fsPath).href;
}
