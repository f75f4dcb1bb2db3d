/**
 * The client's copy of the workspace's findings, fed by the server's `leakLens/fileFindings`
 * notifications. The status bar and the Leak Insights view read it; nothing here analyses code.
 * Of a file with more findings than the editor shows, the server sends the ones shown and the
 * counts of all: the counts are exact, the lists are those of the Problems panel. A file the server
 * did not analyse (too large, too dense, unreadable) has no findings, and the reason instead.
 */
import * as vscode from 'vscode';
import { Finding, Kind } from '../../shared/src/findings';
import { FileFindingsParams } from '../../shared/src/protocol';

type FileEntry = Pick<FileFindingsParams, 'findings' | 'counts'>;

export class FindingsModel implements vscode.Disposable {
  private readonly byUri = new Map<string, FileEntry>();
  /** Files not analysed, and why. */
  private readonly refused = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  update(params: FileFindingsParams): void {
    this.set(params);
    this.changed.fire();
  }

  replaceAll(files: FileFindingsParams[]): void {
    this.byUri.clear();
    this.refused.clear();
    for (const f of files) this.set(f);
    this.changed.fire();
  }

  clear(): void {
    this.byUri.clear();
    this.refused.clear();
    this.changed.fire();
  }

  /** The files not analysed, each with why, by URI. */
  refusedFiles(): [string, string][] {
    return [...this.refused.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The findings listed per file (those shown as diagnostics). */
  files(): [string, Finding[]][] {
    return [...this.byUri.entries()].map(([uri, e]): [string, Finding[]] => [uri, e.findings]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** All findings of `kind`, listed or not; of one file when `uri` is given. */
  count(kind: Kind, uri?: string): number {
    let n = 0;
    const entries = uri === undefined ? this.byUri.values() : [this.byUri.get(uri)].filter((e): e is FileEntry => !!e);
    for (const e of entries) n += e.counts ? (e.counts[kind] ?? 0) : e.findings.filter((f) => f.kind === kind).length;
    return n;
  }

  dispose(): void {
    this.changed.dispose();
  }

  private set(params: FileFindingsParams): void {
    if (typeof params.refused === 'string') this.refused.set(params.uri, params.refused);
    else this.refused.delete(params.uri);
    if (params.findings.length === 0) this.byUri.delete(params.uri);
    else this.byUri.set(params.uri, { findings: params.findings, counts: params.counts });
  }
}
