/**
 * The client's copy of the workspace's findings, fed by the server's `leakLens/fileFindings`
 * notifications. The status bar and the Leak Insights view read it; nothing here analyses code.
 */
import * as vscode from 'vscode';
import { Finding, Kind } from '../../shared/src/findings';
import { FileFindingsParams } from '../../shared/src/protocol';

export class FindingsModel implements vscode.Disposable {
  private readonly byUri = new Map<string, Finding[]>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  update(params: FileFindingsParams): void {
    if (params.findings.length === 0) this.byUri.delete(params.uri);
    else this.byUri.set(params.uri, params.findings);
    this.changed.fire();
  }

  replaceAll(files: FileFindingsParams[]): void {
    this.byUri.clear();
    for (const f of files) if (f.findings.length > 0) this.byUri.set(f.uri, f.findings);
    this.changed.fire();
  }

  clear(): void {
    this.byUri.clear();
    this.changed.fire();
  }

  files(): [string, Finding[]][] {
    return [...this.byUri.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  count(kind: Kind): number {
    let n = 0;
    for (const findings of this.byUri.values()) for (const f of findings) if (f.kind === kind) n++;
    return n;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
