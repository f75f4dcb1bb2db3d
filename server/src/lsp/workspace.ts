/**
 * The workspace index: per-file facts for every `.rs` file (open documents from their live text and
 * tree, closed files from disk), the background scan that fills it, and the classification pass
 * that turns all facts into findings and hands them to the publisher.
 *
 * As you type, the changed document is analysed at once (no debounce: `DEBOUNCE_MS` is 0), after
 * the changes already received are applied (`coalesce`): its tree is reparsed incrementally, its facts re-extracted, and its sites classified against the facts of
 * every other file of its folder, which are kept in memory. Its diagnostics go out first; in the
 * next turn of the event loop the whole folder is classified again (cheap: call sites come from
 * `CallSiteCache`, nothing is read from disk or parsed) and the files whose findings moved are
 * republished. What is published is therefore always what a from-scratch `analyzeSources` over the
 * same texts reports.
 *
 * The background scan works in slices of about `SCAN_SLICE_MS` of CPU time, so requests and
 * `didOpen` are served between two slices. Closed files keep only their facts: their text and tree
 * are dropped as soon as the facts (and cached call sites) are extracted.
 */
import * as path from 'node:path';
import { CancellationToken, CancellationTokenSource, Connection, FileChangeType, FileEvent } from 'vscode-languageserver/node';
import { Finding } from '../../../shared/src/findings';
import { LeakLensSettings } from '../../../shared/src/settings';
import { FileFindingsParams, ScanWorkspaceResult } from '../../../shared/src/protocol';
import { FileFacts, classifyWorkspace, extractFacts } from '../analysis/engine';
import type { ClassifyMemo } from '../analysis/classify';
import { FactsCache } from '../analysis/chunks';
import { mayContainSites } from '../analysis/facts';
import { Tree, parseRust, releaseTree } from '../parsing/parser';
import { TreeCache } from '../parsing/trees';
import { CrateToolchains } from '../manifest/cargo';
import { CallSiteCache } from './call-sites';
import { Configuration, pathToUri, uriToPath } from './configuration';
import { DiagnosticsPublisher, sameData } from './diagnostics';
import { DocumentStore } from './documents';
import { WorkspaceFiles, isUriLocation } from './files';
import { WordCounts, admission, afterParse, afterReading, analysisFailed, beforeWholeParse, sitesToExpect } from './input-limits';
import { Logger } from './logger';
import { MemoryBound } from './memory-bound';
import { letMessagesIn } from './step-aside';
import { NO_ANSWER, answerWithin } from './client-answers';

/** CPU time the background scan spends before yielding to pending requests and notifications. */
const SCAN_SLICE_MS = 3;
/** Minimum time between two work-done progress reports of the scan. */
const PROGRESS_INTERVAL_MS = 100;
/**
 * Deliberate delay between a document change and its reanalysis: none. The edited document is
 * analysed and published as soon as its change is applied; other files whose findings depend on it
 * are republished in the following turn of the event loop.
 */
const DEBOUNCE_MS = 0;

interface FileEntry {
  uri: string;
  root: string | undefined;
  facts: FileFacts;
  /** `facts` without sites: what this file contributes when another file's sites are classified. */
  context: FileFacts;
}

/** Map key of a workspace folder; loose files (outside every folder) share the empty key. */
type RootKey = string;
const rootKey = (root: string | undefined): RootKey => root ?? '';
const rootOfKey = (key: RootKey): string | undefined => (key === '' ? undefined : key);

export class Workspace {
  private readonly files = new Map<string, FileEntry>();
  /** Files not analysed for a reason of their own (input-limits.ts): each is published as that reason. */
  private readonly refused = new Set<string>();
  private readonly callSiteCaches = new Map<RootKey, CallSiteCache>();
  /** Each open document's last reading: an edit re-reads only the parts of it that can change. */
  private readonly readings = new Map<string, FactsCache>();
  /** How many lines each open document had at its last reading: where its sites were (`sitesToExpect`). */
  private readonly linesRead = new Map<string, number>();
  /** The site words of the open documents without a tree, counted again around each edit. */
  private readonly wordCounts = new WordCounts();
  /**
   * Each open document's findings by site (`ClassifyMemo`), valid while the folder's generation
   * and settings are what they were classified against: a keystroke that changed one site
   * classifies that site, not every one of the document's thousands.
   */
  private readonly memos = new Map<string, { generation: number; settings: LeakLensSettings; memo: ClassifyMemo }>();
  /** Counts the changes in a folder that findings read besides a document's own sites. */
  private readonly generations = new Map<RootKey, number>();
  /** Documents and files changed since the last flush. */
  private readonly pending = new Set<string>();
  private flushScheduled = false;
  /** Changes received so far: the flush waits until a turn of the event loop brings none. */
  private touches = 0;
  private flushing: Promise<void> = Promise.resolve();
  /** Settles when the latest scheduled flush has run (see `whenCurrent`). */
  private analysed: Promise<void> = Promise.resolve();
  /** Folders whose files' findings may have moved since they were last classified as a whole. */
  private readonly staleRoots = new Set<RootKey>();
  private crossFileScheduled = false;
  private scans = 0;
  private scanSource: CancellationTokenSource | undefined;
  private canShowProgress = false;
  private readonly toolchains = new CrateToolchains((file) => this.workspaceFiles.readManifest(file));

  /** `memory`: the input held (every analysed file's text) and what it allows the process's memory. */
  constructor(
    private readonly connection: Connection,
    private readonly documents: DocumentStore,
    private readonly trees: TreeCache,
    private readonly config: Configuration,
    private readonly publisher: DiagnosticsPublisher,
    private readonly logger: Logger,
    private readonly workspaceFiles: WorkspaceFiles,
    private readonly memory = new MemoryBound(),
  ) {}

  enableProgress(enabled: boolean): void {
    this.canShowProgress = enabled;
  }

  /** An open document changed (or was opened): reanalyse it now. */
  touch(uri: string): void {
    this.touches++;
    this.pending.add(uri);
    this.scheduleFlush();
  }

  /** A document was closed: its facts now come from disk, and its tree is already gone. */
  closed(uri: string): void {
    this.readings.delete(uri);
    this.linesRead.delete(uri);
    this.wordCounts.forget(uri);
    this.memos.delete(uri);
    this.touch(uri);
  }

  watchedFilesChanged(changes: FileEvent[]): boolean {
    let configChanged = false;
    for (const change of changes) {
      const fsPath = uriToPath(change.uri);
      if (!fsPath) continue;
      if (this.config.isConfigFile(fsPath) || isManifest(fsPath)) {
        configChanged = true;
        continue;
      }
      if (!fsPath.endsWith('.rs') || this.documents.get(change.uri)) continue;
      if (change.type === FileChangeType.Deleted) this.removeEntry(change.uri);
      else this.pending.add(change.uri);
    }
    this.scheduleFlush();
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
    this.scans++;
    const token = this.canShowProgress ? await answerWithin(this.connection.window.createWorkDoneProgress()).catch(() => undefined) : undefined;
    const progress = token === NO_ANSWER ? undefined : token;
    const cancelled = () => source.token.isCancellationRequested || !!requestToken?.isCancellationRequested || !!progress?.token.isCancellationRequested;
    let scanned = 0;
    try {
      const targets: { fsPath: string; root: string }[] = [];
      for (const root of this.config.roots()) {
        const { settings, isExcluded } = await this.config.forRoot(root);
        const discovery = await this.workspaceFiles.list(root, settings.exclude, isExcluded);
        for (const error of discovery.errors) this.logger.warn(`${error.file}: ${error.message}`);
        for (const fsPath of discovery.files) targets.push({ fsPath, root });
      }
      progress?.begin('Leak Lens: scanning workspace', 0, `0/${targets.length} files`, true);
      const seen = new Set<string>();
      let sliceStart = performance.now();
      let reported = sliceStart;
      for (let i = 0; i < targets.length; i++) {
        if (cancelled()) break;
        const { fsPath, root } = targets[i];
        const uri = pathToUri(fsPath);
        seen.add(uri);
        if (!this.documents.get(uri)) await this.analyseFromDisk(uri, fsPath, root);
        scanned++;
        const now = performance.now();
        if (now - sliceStart >= SCAN_SLICE_MS) {
          if (now - reported >= PROGRESS_INTERVAL_MS) {
            progress?.report(Math.round((100 * scanned) / targets.length), `${scanned}/${targets.length} files`);
            reported = now;
          }
          await this.yieldToRequests();
          sliceStart = performance.now();
        }
      }
      if (!cancelled()) {
        // Files that vanished or became excluded since the last scan.
        for (const uri of [...this.files.keys(), ...this.refused]) {
          if (!seen.has(uri) && !this.documents.get(uri)) this.removeEntry(uri);
        }
      }
      for (const document of this.documents.all()) await this.analyseOpen(document.uri);
      await this.classifyAll();
      this.logger.info(`scanned ${scanned} file(s)${cancelled() ? ' (cancelled)' : ''}`);
      return { filesScanned: scanned, cancelled: cancelled() };
    } finally {
      this.scans--;
      progress?.done();
      if (this.scanSource === source) this.scanSource = undefined;
    }
  }

  /**
   * Lets pending messages be handled between two slices of the scan (`letMessagesIn`). A change
   * handled meanwhile is analysed and published right away, but the transport writes the
   * notification in later turns: the diagnostics leave before the next slice starts.
   */
  private async yieldToRequests(): Promise<void> {
    await letMessagesIn();
    await this.flushing;
    await this.publisher.whenWritten();
  }

  /** Drops every cached fact and settings, then rescans (settings or `leak-lens.toml` changed). */
  async reset(): Promise<ScanWorkspaceResult> {
    this.config.invalidate();
    this.toolchains.invalidate();
    this.files.clear();
    for (const cache of this.callSiteCaches.values()) cache.clear();
    this.callSiteCaches.clear();
    return this.scan();
  }

  /**
   * Settles once every document change received so far is analysed and its diagnostics, with
   * their fixes, are published: what a hover or a code action must answer from. (An editor opens
   * a closed file to ask for its quick fixes and asks at once.) Other files' cross-file
   * reclassification is not waited for.
   */
  whenCurrent(): Promise<void> {
    return this.analysed;
  }

  findings(): FileFindingsParams[] {
    return this.publisher.allFileFindings();
  }

  /**
   * Reanalyses the pending documents and files: right away, in the turn that delivered the change
   * (after the flush already running, if any), unless a debounce is configured.
   */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.pending.size === 0) return;
    this.flushScheduled = true;
    let started = () => {};
    this.analysed = new Promise<void>((resolve) => (started = resolve)).then(() => this.flushing);
    const run = () => {
      this.flushing = this.flushing
        .then(async () => {
          await this.coalesce();
          this.flushScheduled = false;
          return this.flush();
        })
        .catch((e) => this.logger.error('reanalysis failed', e));
      started();
    };
    if (DEBOUNCE_MS > 0) setTimeout(run, DEBOUNCE_MS);
    else run();
  }

  /**
   * Lets the changes the transport has already received be applied before analysing. It hands
   * over one message per turn of the event loop; analysed one version at a time, changes that come
   * faster than a large document is analysed would queue up without end (each keystroke waiting
   * for the analysis of every one before it), where now the next analysis takes them all at once.
   */
  private async coalesce(): Promise<void> {
    for (let seen = -1; seen !== this.touches; ) {
      seen = this.touches;
      await nextTurn();
    }
  }

  private async flush(): Promise<void> {
    const uris = [...this.pending];
    this.pending.clear();
    const changedDocuments: string[] = [];
    for (const uri of uris) {
      try {
        if (this.documents.get(uri)) {
          await this.analyseOpen(uri, true);
          changedDocuments.push(uri);
        } else {
          const fsPath = uriToPath(uri);
          const root = this.config.rootOf(fsPath);
          if (fsPath && root && !(await this.config.forRoot(root)).isExcluded(fsPath)) await this.analyseFromDisk(uri, fsPath, root);
          // A loose file outside every folder: nothing to watch once it is closed.
          else this.removeEntry(uri);
        }
      } catch (e) {
        this.logger.error(`analysis of ${uri} failed`, e);
      }
    }
    // The edited documents first: what the user is looking at must not wait for other files.
    for (const uri of changedDocuments) await this.publishDocument(uri);
    if (changedDocuments.length > 0 && this.memory.nearBound()) {
      // Once the diagnostics are out, not while they are being written. Waiting for the client to
      // read them also holds the next analysis back while it does not: its messages would only
      // pile up in memory.
      await this.publisher.whenWritten();
      await this.memory.collect();
    }
    this.scheduleCrossFile();
  }

  /** Classifies the sites of one open document against its folder and publishes them. */
  private async publishDocument(uri: string): Promise<void> {
    const entry = this.files.get(uri);
    if (!entry) {
      if (!this.refused.has(uri)) this.publisher.clear(uri);
      return;
    }
    const { settings } = await this.config.forRoot(entry.root);
    let findings: Finding[];
    try {
      const key = rootKey(entry.root);
      const facts = this.entriesOf(key).map((e) => (e === entry ? e.facts : e.context));
      const generation = this.generations.get(key) ?? 0;
      let held = this.memos.get(uri);
      if (held?.generation !== generation || held.settings !== settings) this.memos.set(uri, (held = { generation, settings, memo: new WeakMap() }));
      findings = classifyWorkspace(facts, this.callSitesOf(entry.root).provider(), settings, held.memo);
    } catch (e) {
      this.logger.error(`classification of ${uri} failed`, e);
      this.publisher.refuse(uri, analysisFailed(e), this.documents.get(uri)?.version ?? null);
      return;
    }
    this.publish(uri, findings);
  }

  /** The cross-file pass for the folders touched since the last one, in the next event-loop turn. */
  private scheduleCrossFile(): void {
    if (this.crossFileScheduled || this.staleRoots.size === 0) return;
    this.crossFileScheduled = true;
    setImmediate(() => {
      this.crossFileScheduled = false;
      // A running scan classifies every folder when it ends.
      if (this.scans > 0) return;
      this.flushing = this.flushing.then(() => this.classifyStale()).catch((e) => this.logger.error('classification failed', e));
    });
  }

  private async classifyStale(): Promise<void> {
    const keys = [...this.staleRoots];
    this.staleRoots.clear();
    for (const key of keys) await this.classifyRoot(key);
  }

  /** Every folder, plus clearing what is no longer analysed (the end of a scan). */
  private async classifyAll(): Promise<void> {
    const keys = new Set<RootKey>(this.staleRoots);
    this.staleRoots.clear();
    for (const entry of this.files.values()) keys.add(rootKey(entry.root));
    for (const key of keys) await this.classifyRoot(key);
    for (const uri of this.publisher.knownUris()) if (!this.files.has(uri) && !this.refused.has(uri)) this.publisher.clear(uri);
  }

  /** The cross-file pass over one folder (folders do not see each other's code). */
  private async classifyRoot(key: RootKey): Promise<void> {
    const root = rootOfKey(key);
    const entries = this.entriesOf(key);
    if (entries.length === 0) return;
    const { settings } = await this.config.forRoot(root);
    let findings: Finding[];
    try {
      findings = classifyWorkspace(
        entries.map((e) => e.facts),
        this.callSitesOf(root).provider(),
        settings,
      );
    } catch (e) {
      this.logger.error(`classification of ${root ?? 'loose files'} failed`, e);
      return;
    }
    const byUri = new Map<string, Finding[]>();
    for (const finding of findings) {
      const list = byUri.get(finding.file);
      if (list) list.push(finding);
      else byUri.set(finding.file, [finding]);
    }
    for (const entry of entries) this.publish(entry.uri, byUri.get(entry.uri) ?? []);
  }

  /**
   * The tree of an open document, never parsed whole here: a document without one (kept without,
   * or not analysed since a whole replacement) gets one only through its admission (`analyseOpen`).
   */
  private treeOf(uri: string): ReturnType<TreeCache['get']> {
    return this.documents.get(uri) && !this.trees.parsesWhole(uri) ? this.trees.get(uri) : undefined;
  }

  /** Unknown for a file read through the client (no manifest read): fixes then say what they require. */
  private toolchainOf(fsPath: string | undefined) {
    return fsPath && !isUriLocation(fsPath) ? this.toolchains.forFile(fsPath) : {};
  }

  private publish(uri: string, findings: Finding[]): void {
    try {
      const document = this.documents.get(uri);
      const current = this.treeOf(uri);
      const source = current && { text: current.text, tree: current.tree, toolchain: this.files.get(uri)?.facts.toolchain };
      // A document analysed without a tree has no findings, and no fixes to compute, but its version.
      this.publisher.publish(uri, findings, document?.version ?? null, source);
    } catch (e) {
      this.logger.error(`publishing diagnostics for ${uri} failed`, e);
    }
  }

  /** `published`: the caller publishes the document's own findings itself (`publishDocument`). */
  private async analyseOpen(uri: string, published = false): Promise<void> {
    const document = this.documents.get(uri);
    if (!document) return;
    const fsPath = uriToPath(uri);
    const root = this.config.rootOf(fsPath);
    const { isExcluded } = await this.config.forRoot(root);
    if (fsPath && isExcluded(fsPath)) {
      this.logger.debug(`${uri} is excluded by leakLens.exclude / leak-lens.toml`);
      this.removeEntry(uri);
      return;
    }
    const costs = this.memory.costsFor(uri);
    const text = document.getText();
    const admitted = await admission(this.trees, uri, text, (t) => this.callSitesOf(root).mayCallAny(t), costs, this.wordCounts);
    if ('refused' in admitted) return this.refuse(uri, admitted.refused, document.version);
    if (!admitted.tree) return this.analyseWithoutTree(uri, root, fsPath, text, published);
    try {
      const damage = this.trees.takeDamage(uri);
      const current = this.trees.get(uri);
      if (!current) return;
      // The tree it replaced waits for a collection (memory-bound.ts), and so does this one if refused.
      const nodes = current.tree.rootNode.descendantCount;
      this.memory.analysed(nodes);
      const sites = this.files.get(uri)?.facts.sites;
      const lines = this.linesRead.get(uri);
      const last = sites && lines !== undefined ? { sites, lines } : undefined;
      const dense = afterParse(current.tree, current.text, sitesToExpect(current.text, damage, last, document, costs), costs);
      if (dense) {
        this.trees.refuse(uri);
        return this.refuse(uri, dense, current.version);
      }
      let reading = this.readings.get(uri);
      if (!reading) this.readings.set(uri, (reading = new FactsCache()));
      const facts = extractFacts(uri, current.text, current.tree, this.toolchainOf(fsPath), undefined, reading, damage);
      // The sites its words did not promise (a `static mut`'s name mentioned in the edit).
      const found = afterReading(current.tree, current.text, facts.sites.length, costs);
      if (found) {
        this.trees.refuse(uri);
        return this.refuse(uri, found, current.version);
      }
      this.setEntry(uri, root, facts, current.text, current.tree, published);
      this.linesRead.set(uri, document.lineCount);
      this.memory.holds(uri, current.text.length, nodes, facts.sites.length);
    } catch (e) {
      this.logger.error(`analysis of ${uri} failed`, e);
      // Its reading too: one that failed half way is not one to build the next on.
      this.refuse(uri, analysisFailed(e), document.version);
    }
  }

  /** An open document without a leak word (input-limits.ts, `admission`): its facts from its text, as a closed file's. */
  private analyseWithoutTree(uri: string, root: string | undefined, fsPath: string | undefined, text: string, published: boolean): void {
    try {
      this.readings.delete(uri);
      this.linesRead.delete(uri);
      const facts = extractFacts(uri, text, undefined, this.toolchainOf(fsPath));
      this.setEntry(uri, root, facts, text, undefined, published);
      this.memory.holds(uri, text.length, 0, 0);
    } catch (e) {
      this.logger.error(`analysis of ${uri} failed`, e);
      this.refuse(uri, analysisFailed(e), this.documents.get(uri)?.version ?? null);
    }
  }

  /** A closed file, read from disk or through the client (`WorkspaceFiles`). */
  private async analyseFromDisk(uri: string, fsPath: string, root: string | undefined): Promise<void> {
    const read = await this.workspaceFiles.read(fsPath);
    if (!read.ok) {
      // A file gone since it was listed is no file's fault.
      if (read.missing) this.removeEntry(uri);
      else this.refuse(uri, read.message, null);
      return;
    }
    let tree: Tree | undefined;
    try {
      // As `extractFacts(uri, text)` would, but with the tree in hand so that the call-site cache
      // can reuse it and it can be freed right after.
      if (mayContainSites(read.text)) {
        const costs = this.memory.costsFor(uri);
        const sites = sitesToExpect(read.text, undefined, undefined, undefined, costs);
        const refusal = (await beforeWholeParse(read.text, sites, costs)) ?? afterParse((tree = parseRust(read.text)), read.text, sites, costs);
        if (refusal) return this.refuse(uri, refusal, null);
      }
      const facts = extractFacts(uri, read.text, tree, this.toolchainOf(fsPath));
      this.setEntry(uri, root, facts, read.text, tree, false);
      // Its tree is freed below; its facts are kept.
      this.memory.holds(uri, read.text.length, 0, facts.sites.length);
    } catch (e) {
      this.logger.error(`analysis of ${fsPath} failed`, e);
      this.refuse(uri, analysisFailed(e), null);
    } finally {
      releaseTree(tree);
    }
  }

  /**
   * Records a file's new facts and call sites, and marks its folder for the cross-file pass unless
   * nothing another file's classification reads from this one moved — its reclaims, the methods it
   * defines, its calls of the functions asked about — and its own findings are published already.
   * (A document with `callers` sites always gets the folder pass: classified alone, its sites do not
   * share the repetition memo of the whole pass, so that pass has the last word.)
   */
  private setEntry(uri: string, root: string | undefined, facts: FileFacts, text: string, tree: Tree | undefined, published: boolean): void {
    const previous = this.files.get(uri);
    this.refused.delete(uri);
    if (previous && previous.root !== root) {
      this.callSitesOf(previous.root).remove(uri);
      this.staleRoots.add(rootKey(previous.root));
      this.folderChanged(previous.root);
    }
    this.files.set(uri, { uri, root, facts, context: { ...facts, sites: [] } });
    const callsMoved = this.callSitesOf(root).update(uri, text, tree);
    const othersMayMove =
      !previous ||
      previous.root !== root ||
      callsMoved ||
      !sameData(previous.facts.owners, facts.owners) ||
      !sameData(previous.facts.definedMethods, facts.definedMethods);
    // The document's own findings, callers and all, were just classified against the whole folder
    // (`publishDocument`); other files read it only through what `othersMayMove` compares.
    if (othersMayMove || !published) this.staleRoots.add(rootKey(root));
    // What its own findings read beyond its sites (new sites are new to the memo: an analysis not
    // published yet, as at the end of a scan, leaves the memo as good as the facts it kept).
    if (othersMayMove || !sameData(previous?.facts.cycles, facts.cycles)) this.folderChanged(root);
  }

  /** `uri` is not analysed, for a reason of its own (input-limits.ts) the user is shown in place of its findings. */
  private refuse(uri: string, reason: string, version: number | null): void {
    this.logger.warn(`${uri} is not analysed: ${reason}`);
    this.forgetEntry(uri);
    this.refused.add(uri);
    this.publisher.refuse(uri, reason, version);
  }

  /** `uri` is no longer analysed (deleted, excluded, closed outside every folder). */
  private removeEntry(uri: string): void {
    this.forgetEntry(uri);
    this.refused.delete(uri);
    this.publisher.clear(uri);
  }

  private forgetEntry(uri: string): void {
    this.readings.delete(uri);
    this.linesRead.delete(uri);
    this.memos.delete(uri);
    const entry = this.files.get(uri);
    this.memory.forget(uri);
    if (entry) {
      this.files.delete(uri);
      const location = uriToPath(uri);
      if (location) this.workspaceFiles.forget(location);
      this.callSitesOf(entry.root).remove(uri);
      this.staleRoots.add(rootKey(entry.root));
      this.folderChanged(entry.root);
    }
  }

  /** Something every document's findings in `root` may read changed: their memos are stale. */
  private folderChanged(root: string | undefined): void {
    const key = rootKey(root);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
  }

  /** The folder's files in the order the cross-file pass sees them. */
  private entriesOf(key: RootKey): FileEntry[] {
    const out: FileEntry[] = [];
    for (const entry of this.files.values()) if (rootKey(entry.root) === key) out.push(entry);
    return out;
  }

  private callSitesOf(root: string | undefined): CallSiteCache {
    const key = rootKey(root);
    let cache = this.callSiteCaches.get(key);
    if (!cache) {
      cache = new CallSiteCache(
        {
          uris: () => this.entriesOf(key).map((e) => e.uri),
          load: (uri) => {
            // An open document's text is the editor's, with its tree or without.
            const open = this.treeOf(uri);
            if (open) return { text: open.text, tree: open.tree };
            const document = this.documents.get(uri);
            if (document) return { text: document.getText(), unparsed: true };
            const fsPath = uriToPath(uri);
            const read = fsPath ? this.workspaceFiles.readNow(fsPath) : undefined;
            return read?.ok ? { text: read.text } : undefined;
          },
          wantsTree: (uri) => this.touch(uri),
        },
        (message, e) => this.logger.error(message, e),
      );
      this.callSiteCaches.set(key, cache);
    }
    return cache;
  }
}

/** The manifests the crate toolchain facts come from: a change re-reads them and reanalyses. */
function isManifest(fsPath: string): boolean {
  const name = path.basename(fsPath);
  return name === 'Cargo.toml' || name === 'clippy.toml' || name === '.clippy.toml';
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function displayPath(uri: string): string {
  const fsPath = uriToPath(uri);
  return fsPath ? path.basename(fsPath) : uri;
}
