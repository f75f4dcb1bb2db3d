/**
 * The status bar item: real leaks and intentional statics in the workspace. Clicking it opens the
 * Problems panel, where the diagnostics themselves are.
 */
import * as vscode from 'vscode';
import { FindingsModel } from './findings-model';

export type ServerState = 'starting' | 'running' | 'stopped';

export class LeakStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('leakLens.status', vscode.StatusBarAlignment.Left, 10);
  private state: ServerState = 'starting';
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: FindingsModel) {
    this.item.name = 'Leak Lens';
    this.item.command = 'workbench.actions.view.problems';
    this.subscription = model.onDidChange(() => this.render());
    this.render();
    this.item.show();
  }

  setState(state: ServerState): void {
    this.state = state;
    this.render();
  }

  private render(): void {
    if (this.state !== 'running') {
      this.item.text = this.state === 'starting' ? '$(sync~spin) Leak Lens' : '$(error) Leak Lens';
      this.item.tooltip = this.state === 'starting' ? 'Leak Lens: starting the language server' : 'Leak Lens: the language server is not running (Leak Lens: Restart Server)';
      this.item.command = this.state === 'stopped' ? 'leakLens.restartServer' : 'workbench.actions.view.problems';
      return;
    }
    const leaks = this.model.count('real-leak');
    const statics = this.model.count('intentional-static');
    this.item.text = `$(warning) ${leaks} $(pinned) ${statics}`;
    const refused = this.model.refusedFiles().length;
    const unknown = refused > 0 ? ` ${plural(refused, 'file')} not analysed (the Leak Insights view says why).` : '';
    this.item.tooltip = `Leak Lens: ${plural(leaks, 'real leak')}, ${plural(statics, 'intentional static')}.${unknown} Click to open the Problems panel.`;
    this.item.accessibilityInformation = { label: `Leak Lens: ${plural(leaks, 'real leak')}, ${plural(statics, 'intentional static')}` };
    this.item.command = 'workbench.actions.view.problems';
    this.item.backgroundColor = leaks > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
