/**
 * The client's copy of the workspace's findings, fed by the server's `leakLens/fileFindings`
 * notifications. The status bar and the Leak Insights view read it; nothing here analyses code.
 * Of a file with more findings than the editor shows, the server sends the ones shown and the
 * counts of all: the counts are exact, the lists are those of the Problems panel.
 */
import * as vscode from 'vscode';
import { Finding, Kind } from '../../shared/src/findings';
import { FileFindingsParams } from '../../shared/src/protocol';

type FileEntry = Pick<FileFindingsParams, 'findings' | 'counts'>;

export class FindingsModel implements vscode.Disposable {
  private readonly byUri = new Map<string, FileEntry>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  update(params: FileFindingsParams): void {
    if (params.findings.length === 0) this.byUri.delete(params.uri);
    else this.byUri.set(params.uri, { findings: params.findings, counts: params.counts });
    this.changed.fire();
  }

  replaceAll(files: FileFindingsParams[]): void {
    this.byUri.clear();
    for (const f of files) if (f.findings.length > 0) this.byUri.set(f.uri, { findings: f.findings, counts: f.counts });
    this.changed.fire();
  }

  clear(): void {
    this.byUri.clear();
    this.changed.fire();
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
}
