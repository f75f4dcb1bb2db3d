/**
 * The "Leak Insights" view: the workspace's findings grouped by kind, then by file, and the files
 * not analysed, with why. Selecting a finding reveals it in the editor.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { KIND_EXPLANATIONS, KIND_TITLES } from '../../shared/src/catalog';
import { Finding, KINDS, Kind } from '../../shared/src/findings';
import { FindingsModel } from './findings-model';

type Node =
  | { type: 'kind'; kind: Kind; count: number }
  | { type: 'file'; kind: Kind; uri: string; findings: Finding[] }
  | { type: 'finding'; uri: string; finding: Finding }
  /** Findings of a file that has more than the editor shows: counted, not listed. */
  | { type: 'more'; count: number }
  /** The files the server did not analyse (too large, too dense, unreadable): their findings are unknown. */
  | { type: 'refused'; count: number }
  | { type: 'refused-file'; uri: string; reason: string };

const KIND_ICONS: Record<Kind, string> = {
  'real-leak': 'warning',
  'intentional-static': 'pinned',
  'possible-leak': 'question',
  'ownership-transfer': 'arrow-right',
  reclaimed: 'pass',
};

export class InsightsProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: FindingsModel) {
    this.subscription = model.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const kinds: Node[] = KINDS.map((kind) => ({ type: 'kind' as const, kind, count: this.model.count(kind) })).filter((k) => k.count > 0);
      const refused = this.model.refusedFiles().length;
      return refused > 0 ? [...kinds, { type: 'refused', count: refused }] : kinds;
    }
    if (node.type === 'refused') return this.model.refusedFiles().map(([uri, reason]) => ({ type: 'refused-file', uri, reason }));
    if (node.type === 'kind') return this.byKind(node.kind).map(([uri, findings]) => ({ type: 'file', kind: node.kind, uri, findings }));
    if (node.type === 'file') {
      const listed: Node[] = node.findings.map((finding) => ({ type: 'finding', uri: node.uri, finding }));
      const more = this.model.count(node.kind, node.uri) - node.findings.length;
      return more > 0 ? [...listed, { type: 'more', count: more }] : listed;
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.type) {
      case 'kind': {
        const item = new vscode.TreeItem(capitalise(KIND_TITLES[node.kind]), vscode.TreeItemCollapsibleState.Expanded);
        item.description = String(node.count);
        item.tooltip = KIND_EXPLANATIONS[node.kind];
        item.iconPath = new vscode.ThemeIcon(KIND_ICONS[node.kind]);
        item.contextValue = 'kind';
        return item;
      }
      case 'file': {
        const uri = vscode.Uri.parse(node.uri);
        const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${vscode.workspace.asRelativePath(path.dirname(uri.fsPath))} · ${this.model.count(node.kind, node.uri)}`;
        item.iconPath = vscode.ThemeIcon.File;
        item.contextValue = 'file';
        return item;
      }
      case 'finding': {
        const { finding } = node;
        const item = new vscode.TreeItem(finding.message.replace(/^[^:]+:\s*/, ''), vscode.TreeItemCollapsibleState.None);
        item.description = `${finding.rule} · line ${finding.range.start.line + 1}`;
        item.tooltip = new vscode.MarkdownString([finding.message, '', ...finding.reasons.map((r) => `- ${r}`)].join('\n'));
        item.command = {
          title: 'Reveal',
          command: 'vscode.open',
          arguments: [vscode.Uri.parse(node.uri), { selection: toRange(finding) } satisfies vscode.TextDocumentShowOptions],
        };
        item.contextValue = 'finding';
        return item;
      }
      case 'refused': {
        const item = new vscode.TreeItem('Not analysed', vscode.TreeItemCollapsibleState.Expanded);
        item.description = String(node.count);
        item.tooltip = 'Files Leak Lens did not analyse: what they leak is unknown. Each says why.';
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        item.contextValue = 'refused';
        return item;
      }
      case 'refused-file': {
        const uri = vscode.Uri.parse(node.uri);
        const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.None);
        item.description = vscode.workspace.asRelativePath(path.dirname(uri.fsPath));
        item.tooltip = node.reason;
        item.iconPath = vscode.ThemeIcon.File;
        item.command = { title: 'Open', command: 'vscode.open', arguments: [uri] };
        item.contextValue = 'refused-file';
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(`${node.count.toLocaleString('en')} more, not shown`, vscode.TreeItemCollapsibleState.None);
        item.tooltip = 'The editor shows at most 1,000 diagnostics per file, and this view the same findings. `leak-lens check` on the file lists them all.';
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.contextValue = 'more';
        return item;
      }
    }
  }

  private byKind(kind: Kind): [string, Finding[]][] {
    return this.model
      .files()
      .map(([uri, findings]) => [uri, findings.filter((f) => f.kind === kind)] as [string, Finding[]])
      .filter(([uri, findings]) => findings.length > 0 || this.model.count(kind, uri) > 0);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function toRange(f: Finding): vscode.Range {
  return new vscode.Range(f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
