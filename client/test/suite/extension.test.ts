/**
 * Extension-host tests: the extension as VS Code runs it (activation, commands, and the language
 * features as seen through the `vscode` API). Run with `npm run test:extension`.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'leak-lens-team.leak-lens';

async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Leak Lens extension', function () {
  let document: vscode.TextDocument;

  before(async function () {
    const [file] = await vscode.workspace.findFiles('src/main.rs');
    document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
  });

  it('activates on a Rust file and registers its commands', async function () {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, 'extension is installed');
    await waitFor(() => (extension.isActive ? true : undefined), 'activation');
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['leakLens.scanWorkspace', 'leakLens.showOutput', 'leakLens.restartServer', 'leakLens.explainRule']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  it('reports the leak in the loop as a warning and the static mut', async function () {
    const diagnostics = await waitFor(() => {
      const ds = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'leak-lens');
      return ds.some((d) => codeOf(d) === 'box-leak') ? ds : undefined;
    }, 'leak-lens diagnostics');
    const leak = diagnostics.find((d) => codeOf(d) === 'box-leak')!;
    assert.equal(leak.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(leak.message, /^real leak/);
    assert.ok(diagnostics.some((d) => codeOf(d) === 'static-mut'));
  });

  it('explains the leak on hover', async function () {
    const position = new vscode.Position(4, 40);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /real leak/);
    assert.match(text, /definitely lost/);
  });

  it('offers the preferred quick fix first, plus allow and explain', async function () {
    const leak = vscode.languages.getDiagnostics(document.uri).find((d) => codeOf(d) === 'box-leak')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, leak.range);
    // executeCodeActionProvider does not hand back `diagnostics` on the actions; the kind identifies ours.
    const ours = actions.filter((a) => a.kind?.contains(vscode.CodeActionKind.QuickFix));
    assert.ok(ours[0].isPreferred);
    assert.ok(ours.some((a) => /leak-lens: allow\(box-leak\)/.test(a.title)));
    assert.ok(ours.some((a) => a.command?.command === 'leakLens.explainRule'));
  });

  it('runs the commands without errors', async function () {
    await vscode.commands.executeCommand('leakLens.scanWorkspace');
    await vscode.commands.executeCommand('leakLens.showOutput');
    await vscode.commands.executeCommand('leakLens.explainRule', 'box-leak');
  });
});

function codeOf(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}
