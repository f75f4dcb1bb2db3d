/**
 * The workspace index: per-file facts for every `.rs` file (open documents from their live text and
 * tree, closed files from disk), the background scan that fills it, and the classification pass
 * that turns all facts into findings and hands them to the publisher.
 *
 * Per-file work (parsing, `extractFacts`) happens when a file changes; the cross-file pass
 * (`classifyWorkspace`) runs after every batch of changes over all facts, which is cheap, and the
 * publisher republishes exactly the files whose findings moved. Trees of closed files are dropped
 * as soon as their facts are extracted.
 */
import * as path from 'node:path';
import { CancellationToken, CancellationTokenSource, Connection, FileChangeType, FileEvent } from 'vscode-languageserver/node';
import { Finding } from '../../../shared/src/findings';
import { ScanWorkspaceResult } from '../../../shared/src/protocol';
import { CallSiteProvider, FileFacts, classifyWorkspace, extractFacts } from '../analysis/engine';
import { findCallSites } from '../analysis/callers';
import { DEFAULT_MAX_FILE_SIZE, discoverFiles, readSource } from '../config';
import { TreeCache } from '../parsing/trees';
import { Configuration, pathToUri, uriToPath } from './configuration';
import { DiagnosticsPublisher } from './diagnostics';
import { DocumentStore } from './documents';
import { Logger } from './logger';

/** Files per slice of the background scan before yielding to pending requests. */
const SCAN_SLICE = 25;
/** Quiet time after an edit before reanalysing, so typing does not analyse every keystroke. */
const DEBOUNCE_MS = 150;

interface FileEntry {
  uri: string;
  root: string | undefined;
  facts: FileFacts;
}

export class Workspace {
  private readonly files = new Map<string, FileEntry>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private scanSource: CancellationTokenSource | undefined;
  private canShowProgress = false;

  constructor(
    private readonly connection: Connection,
    private readonly documents: DocumentStore,
    private readonly trees: TreeCache,
    private readonly config: Configuration,
    private readonly publisher: DiagnosticsPublisher,
    private readonly logger: Logger,
  ) {}

  enableProgress(enabled: boolean): void {
    this.canShowProgress = enabled;
  }

  /** An open document changed (or was opened): reanalyse it after the debounce. */
  touch(uri: string): void {
    this.dirty.add(uri);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), DEBOUNCE_MS);
  }

  /** A document was closed: its facts now come from disk, and its tree is already gone. */
  closed(uri: string): void {
    this.touch(uri);
  }

  watchedFilesChanged(changes: FileEvent[]): boolean {
    let configChanged = false;
    for (const change of changes) {
      const fsPath = uriToPath(change.uri);
      if (!fsPath) continue;
      if (this.config.isConfigFile(fsPath)) {
        configChanged = true;
        continue;
      }
      if (!fsPath.endsWith('.rs') || this.documents.get(change.uri)) continue;
      if (change.type === FileChangeType.Deleted) {
        this.files.delete(change.uri);
        this.publisher.clear(change.uri);
      }
      this.dirty.add(change.uri);
    }
    if (this.dirty.size > 0) this.touch([...this.dirty][0]);
    return configChanged;
  }

  /**
   * Analyses every `.rs` file of the workspace folders, reporting work-done progress the user can
   * cancel. A new scan cancels the one still running.
   */
  async scan(requestToken?: CancellationToken): Promise<ScanWorkspaceResult> {
    this.scanSource?.cancel();
    const source = new CancellationTokenSource();
    this.scanSource = source;
    const progress = this.canShowProgress ? await this.connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    const cancelled = () => source.token.isCancellationRequested || !!requestToken?.isCancellationRequested || !!progress?.token.isCancellationRequested;
    let scanned = 0;
    try {
      const targets: { fsPath: string; root: string }[] = [];
      for (const root of this.config.roots()) {
        const { settings } = await this.config.forRoot(root);
        const discovery = discoverFiles([root], { root, exclude: settings.exclude });
        for (const error of discovery.errors) this.logger.warn(`${error.file}: ${error.message}`);
        for (const fsPath of discovery.files) targets.push({ fsPath, root });
      }
      progress?.begin('Leak Lens: scanning workspace', 0, `0/${targets.length} files`, true);
      const seen = new Set<string>();
      for (let i = 0; i < targets.length; i++) {
        if (cancelled()) break;
        const { fsPath, root } = targets[i];
        const uri = pathToUri(fsPath);
        seen.add(uri);
        if (!this.documents.get(uri)) this.analyseFromDisk(uri, fsPath, root);
        scanned++;
        if (i % SCAN_SLICE === SCAN_SLICE - 1) {
          progress?.report(Math.round((100 * scanned) / targets.length), `${scanned}/${targets.length} files`);
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      if (!cancelled()) {
        // Files that vanished or became excluded since the last scan.
        for (const uri of [...this.files.keys()]) {
          if (!seen.has(uri) && !this.documents.get(uri)) {
            this.files.delete(uri);
            this.publisher.clear(uri);
          }
        }
      }
      for (const document of this.documents.all()) await this.analyseOpen(document.uri);
      await this.classifyAndPublish();
      this.logger.info(`scanned ${scanned} file(s)${cancelled() ? ' (cancelled)' : ''}`);
      return { filesScanned: scanned, cancelled: cancelled() };
    } finally {
      progress?.done();
      if (this.scanSource === source) this.scanSource = undefined;
    }
  }

  /** Drops every cached fact and settings, then rescans (settings or `leak-lens.toml` changed). */
  async reset(): Promise<ScanWorkspaceResult> {
    this.config.invalidate();
    this.files.clear();
    return this.scan();
  }

  findings(): { uri: string; findings: Finding[] }[] {
    return this.publisher.allReports().map((r) => ({ uri: r.uri, findings: r.findings.map((p) => p.finding) }));
  }

  private async flush(): Promise<void> {
    const uris = [...this.dirty];
    this.dirty.clear();
    for (const uri of uris) {
      try {
        if (this.documents.get(uri)) {
          await this.analyseOpen(uri);
        } else {
          const fsPath = uriToPath(uri);
          const root = this.config.rootOf(fsPath);
          if (fsPath && root) this.analyseFromDisk(uri, fsPath, root);
          else {
            // A loose file outside every folder: nothing to watch once it is closed.
            this.files.delete(uri);
            this.publisher.clear(uri);
          }
        }
      } catch (e) {
        this.logger.error(`analysis of ${uri} failed`, e);
      }
    }
    await this.classifyAndPublish();
  }

  private async analyseOpen(uri: string): Promise<void> {
    const document = this.documents.get(uri);
    if (!document) return;
    const fsPath = uriToPath(uri);
    const root = this.config.rootOf(fsPath);
    const { isExcluded } = await this.config.forRoot(root);
    if (fsPath && isExcluded(fsPath)) {
      this.logger.debug(`${uri} is excluded by leakLens.exclude / leak-lens.toml`);
      this.files.delete(uri);
      return;
    }
    if (document.getText().length > DEFAULT_MAX_FILE_SIZE) {
      this.logger.warn(`${uri} is larger than ${DEFAULT_MAX_FILE_SIZE} characters; not analysed`);
      this.files.delete(uri);
      return;
    }
    try {
      const current = this.trees.get(uri);
      if (!current) return;
      this.files.set(uri, { uri, root, facts: extractFacts(uri, current.text, current.tree) });
    } catch (e) {
      this.files.delete(uri);
      this.logger.error(`analysis of ${uri} failed`, e);
    }
  }

  private analyseFromDisk(uri: string, fsPath: string, root: string | undefined): void {
    const read = readSource(fsPath);
    if (!read.ok) {
      this.logger.warn(`${fsPath}: ${read.message}`);
      this.files.delete(uri);
      return;
    }
    try {
      this.files.set(uri, { uri, root, facts: extractFacts(uri, read.text) });
    } catch (e) {
      this.files.delete(uri);
      this.logger.error(`analysis of ${fsPath} failed`, e);
    }
  }

  /** The cross-file pass, per workspace folder (folders do not see each other's code). */
  private async classifyAndPublish(): Promise<void> {
    const byRoot = new Map<string | undefined, FileEntry[]>();
    for (const entry of this.files.values()) byRoot.set(entry.root, [...(byRoot.get(entry.root) ?? []), entry]);
    const findingsByUri = new Map<string, Finding[]>();
    for (const [root, entries] of byRoot) {
      const { settings } = await this.config.forRoot(root);
      let findings: Finding[];
      try {
        findings = classifyWorkspace(entries.map((e) => e.facts), this.callSites(entries), settings);
      } catch (e) {
        this.logger.error(`classification of ${root ?? 'loose files'} failed`, e);
        continue;
      }
      for (const finding of findings) findingsByUri.set(finding.file, [...(findingsByUri.get(finding.file) ?? []), finding]);
    }
    for (const uri of new Set([...this.files.keys(), ...this.publisher.knownUris()])) {
      const document = this.documents.get(uri);
      const findings = findingsByUri.get(uri) ?? [];
      if (!this.files.has(uri)) {
        this.publisher.clear(uri);
        continue;
      }
      try {
        const current = document ? this.trees.get(uri) : undefined;
        this.publisher.publish(uri, findings, current?.version ?? null, current);
      } catch (e) {
        this.logger.error(`publishing diagnostics for ${uri} failed`, e);
      }
    }
  }

  /**
   * Call sites for cross-file classification: open documents from their live tree, closed files
   * read from disk only when their text mentions the function (`findCallSites` checks first).
   */
  private callSites(entries: FileEntry[]): CallSiteProvider {
    const memo = new Map<string, ReturnType<CallSiteProvider['callSites']>>();
    return {
      callSites: (fn) => {
        const key = `${fn.implType ?? ''}::${fn.name}`;
        const hit = memo.get(key);
        if (hit) return hit;
        const sites = [];
        for (const entry of entries) {
          try {
            const open = this.trees.get(entry.uri);
            if (open) {
              sites.push(...findCallSites(entry.uri, open.text, fn, open.tree));
              continue;
            }
            const fsPath = uriToPath(entry.uri);
            const read = fsPath ? readSource(fsPath) : undefined;
            if (read?.ok) sites.push(...findCallSites(entry.uri, read.text, fn));
          } catch (e) {
            this.logger.error(`looking for callers of ${fn.name} in ${entry.uri} failed`, e);
          }
        }
        memo.set(key, sites);
        return sites;
      },
    };
  }
}

export function displayPath(uri: string): string {
  const fsPath = uriToPath(uri);
  return fsPath ? path.basename(fsPath) : uri;
}
