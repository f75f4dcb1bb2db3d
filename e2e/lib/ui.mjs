// Driving the VS Code workbench the way a person does: keyboard, mouse, and reading what is on screen.
// Selectors verified on VS Code 1.100 (code-server 4.100.3); see ../../../shared/vscode-ui-testing.md.

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns something other than undefined/false; throws `what` on timeout. */
export async function waitFor(probe, what, timeoutMs = 20000, intervalMs = 150) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last !== undefined && last !== false && last !== null) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? ` (last error: ${last.message.split('\n')[0]})` : '';
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${detail}`);
    }
    await sleep(intervalMs);
  }
}

export class Workbench {
  constructor(page, { url, workspace }) {
    this.page = page;
    this.url = url;
    this.workspace = workspace;
  }

  async waitReady() {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
    // The explorer has read the folder once a file of it is listed.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60000 });
  }

  /** F1 and a command by its palette title. */
  async runCommand(title) {
    const { page } = this;
    await this.closeWidgets();
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible', timeout: 10000 });
    await waitFor(async () => {
      const label = (await page.locator('.quick-input-widget .monaco-list-row.focused').first().getAttribute('aria-label')) ?? '';
      return label.toLowerCase().includes(title.toLowerCase());
    }, `"${title}" to be the first command in the palette`, 10000);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 }).catch(() => undefined);
  }

  /** Ctrl+P, the workspace-relative path, Enter; waits for the editor tab and text. */
  async openFile(relPath) {
    const { page } = this;
    await this.closeWidgets();
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relPath);
    const base = relPath.split('/').pop();
    await waitFor(async () => {
      const label = (await page.locator('.quick-input-widget .monaco-list-row.focused').first().getAttribute('aria-label')) ?? '';
      return label.includes(base);
    }, `${relPath} in quick open`, 15000);
    await page.keyboard.press('Enter');
    await page.locator(`.tabs-container .tab.active[data-resource-name="${base}"]`).waitFor({ timeout: 20000 });
    await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible' });
    await this.focusEditor();
  }

  async focusEditor() {
    await this.page.locator('.editor-instance .monaco-editor textarea').first().focus();
  }

  /** Escape closes menus and hovers; from the editor, so it never clears a filter box. */
  async closeWidgets() {
    const editor = this.page.locator('.editor-instance .monaco-editor textarea').first();
    if ((await editor.count()) > 0) await editor.focus({ timeout: 2000 }).catch(() => undefined);
    for (let i = 0; i < 2; i++) await this.page.keyboard.press('Escape');
  }

  /** Ctrl+G to a 1-based line and column. */
  async goTo(line, column = 1) {
    const { page } = this;
    await this.focusEditor();
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    await waitFor(async () => (await this.cursorPosition())?.line === line, `cursor on line ${line}`, 5000);
  }

  /** The cursor position from the status bar ("Ln 12, Col 5"). */
  async cursorPosition() {
    const text = (await this.page.locator('#status\\.editor\\.selection').textContent().catch(() => '')) ?? '';
    const m = /Ln (\d+), Col (\d+)/.exec(text);
    return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
  }

  /** Scrolls `line` into view (by putting the cursor there) and returns its `.view-line` element. */
  async revealLine(line) {
    await this.goTo(line);
    const top = await this.lineTop(line);
    return this.page.locator(`.editor-instance .monaco-editor .view-lines .view-line[style*="top:${top}px"]`).first();
  }

  async lineTop(line) {
    // Line number gutter and text share the same `top`; the gutter knows the line number.
    const numbers = this.page.locator('.editor-instance .monaco-editor .margin-view-overlays .line-numbers');
    const handle = await waitFor(async () => {
      const count = await numbers.count();
      for (let i = 0; i < count; i++) {
        const n = numbers.nth(i);
        if ((await n.textContent())?.trim() === String(line)) return n;
      }
      return undefined;
    }, `line number ${line} in the gutter`, 5000);
    const style = await handle.evaluate((el) => el.parentElement.getAttribute('style') ?? '');
    const m = /top:\s*(\d+)px/.exec(style);
    if (!m) throw new Error(`cannot find the top of line ${line} (${style})`);
    return Number(m[1]);
  }

  /** The text of the editor's visible line `line` (non-breaking spaces made plain). */
  async lineText(line) {
    const el = await this.revealLine(line);
    return ((await el.textContent()) ?? '').replace(/\u00a0/g, ' ');
  }

  /** Moves the mouse onto the first occurrence of `text` on `line` and returns the hover text. */
  async hover(line, text, { offset = 2 } = {}) {
    const { page } = this;
    const el = await this.revealLine(line);
    await this.closeWidgets();
    const box = await el.evaluate((lineEl, needle) => {
      const walker = document.createTreeWalker(lineEl, NodeFilter.SHOW_TEXT);
      let acc = '';
      const nodes = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        nodes.push({ node: n, start: acc.length });
        acc += n.textContent.replace(/\u00a0/g, ' ');
      }
      const at = acc.indexOf(needle);
      if (at < 0) return null;
      const hit = nodes.findLast((x) => x.start <= at);
      const range = document.createRange();
      range.setStart(hit.node, at - hit.start);
      range.setEnd(hit.node, Math.min(hit.node.textContent.length, at - hit.start + needle.length));
      const r = range.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }, text);
    if (!box) throw new Error(`"${text}" is not on line ${line}: ${await el.textContent()}`);
    // Leave the editor first so the hover is started by this move, not an old one.
    await page.mouse.move(1, 1);
    await sleep(150);
    await page.mouse.move(box.x + Math.min(offset * 7, box.width / 2), box.y + box.height / 2, { steps: 4 });
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first();
    await hover.waitFor({ state: 'visible', timeout: 10000 });
    await waitFor(async () => ((await hover.textContent()) ?? '').includes('Leak Lens'), 'the Leak Lens hover', 10000);
    await sleep(450); // the hover fades in
    return (await hover.innerText()) ?? '';
  }

  /** The squiggles of the visible part of the editor, as {severity, line}. */
  async squiggles() {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.editor-instance .monaco-editor');
      if (!editor) return [];
      const tops = new Map();
      for (const n of editor.querySelectorAll('.margin-view-overlays .line-numbers')) {
        const m = /top:\s*(\d+)px/.exec(n.parentElement.getAttribute('style') ?? '');
        if (m) tops.set(Number(m[1]), Number(n.textContent.trim()));
      }
      const out = [];
      for (const s of editor.querySelectorAll('.view-overlays [class*="squiggly-"]')) {
        const severity = /squiggly-(error|warning|info|hint)/.exec(s.className)?.[1];
        const m = /top:\s*(\d+)px/.exec(s.parentElement.getAttribute('style') ?? '');
        if (severity && m) out.push({ severity, line: tops.get(Number(m[1])) });
      }
      return out;
    });
  }

  /** Opens the Problems panel and returns its rows' aria-labels (after optional filter text). */
  async problems(filter = '') {
    const { page } = this;
    const panel = page.locator('.markers-panel');
    if (!(await panel.isVisible().catch(() => false))) await this.runCommand('View: Focus Problems');
    await panel.waitFor({ state: 'visible' });
    const input = page.locator('.markers-panel-action-filter .monaco-inputbox input, .viewpane-filter input').first();
    await input.waitFor({ state: 'visible' });
    if ((await input.inputValue()) !== filter) {
      await input.fill(filter);
      await sleep(400);
    }
    return this.problemRows();
  }

  async problemRows() {
    return this.page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? r.textContent));
  }

  /** Ctrl+. at the cursor; the quick fix menu's row titles. */
  async quickFixes() {
    const { page } = this;
    await this.focusEditor();
    await page.keyboard.press('Control+.');
    const widget = page.locator('.action-widget').first();
    await widget.waitFor({ state: 'visible', timeout: 10000 });
    const rows = widget.locator('.monaco-list-row.action');
    await rows.first().waitFor({ state: 'visible', timeout: 10000 });
    return rows.evaluateAll((els) => els.map((r) => r.getAttribute('aria-label') ?? r.textContent ?? ''));
  }

  /** In an open quick fix menu, moves the focus to the row whose title matches and presses Enter. */
  async chooseQuickFix(matcher) {
    const { page } = this;
    const widget = page.locator('.action-widget').first();
    const rows = widget.locator('.monaco-list-row.action');
    const titles = await rows.evaluateAll((els) => els.map((r) => r.getAttribute('aria-label') ?? r.textContent ?? ''));
    const index = titles.findIndex((t) => matcher(t));
    if (index < 0) throw new Error(`no quick fix matches; offered: ${JSON.stringify(titles)}`);
    for (let i = 0; i < titles.length + 2; i++) {
      const focused = widget.locator('.monaco-list-row.action.focused');
      const label = (await focused.count()) > 0 ? await focused.first().getAttribute('aria-label') : null;
      if (label === titles[index]) break;
      await page.keyboard.press('ArrowDown');
      await sleep(80);
    }
    const focused = (await widget.locator('.monaco-list-row.action.focused').first().getAttribute('aria-label')) ?? '';
    if (focused !== titles[index]) throw new Error(`could not focus quick fix "${titles[index]}" (focused: "${focused}")`);
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    return titles[index];
  }

  async save() {
    await this.focusEditor();
    await this.page.keyboard.press('Control+S');
  }

  /** The Leak Lens status bar item's text (codicons dropped) and accessible label. */
  async leakStatus() {
    const item = this.page.locator('[id="leak-lens-team.leak-lens.leakLens.status"]');
    await item.waitFor({ state: 'visible', timeout: 30000 });
    const label = (await item.locator('a, .statusbar-item-label').first().getAttribute('aria-label')) ?? (await item.getAttribute('aria-label')) ?? '';
    const text = ((await item.innerText()) ?? '').trim();
    return { label, text };
  }

  async screenshot(file) {
    await this.page.screenshot({ path: file });
  }
}

/**
 * The Problems panel rows, grouped by file: `{ file: 'main.rs', folder: 'src', markers: [...] }`, each
 * marker `{ severity, message, line, column, source, code, related: [...] }` read from the row's
 * accessible label (severity, message, position, source) and its visible text (the code link).
 */
export async function readProblems(page) {
  const rows = await page.locator('.markers-panel .monaco-list-row').evaluateAll((els) =>
    els.map((r) => ({ label: r.getAttribute('aria-label') ?? '', text: r.innerText ?? '', level: Number(r.getAttribute('aria-level') ?? 0) })),
  );
  const groups = [];
  let marker;
  for (const row of rows) {
    const file = /^(\d+) problems? in file (.+) of folder (.+)$/.exec(row.label);
    if (file) {
      groups.push({ file: file[2], folder: file[3], count: Number(file[1]), markers: [] });
      marker = undefined;
      continue;
    }
    const m = /^(Error|Warning|Info|Hint): (.*) at line (\d+) and character (\d+)\.(?: This problem has references to \d+ locations?\.)? generated by (\S+?)(?: with code (\S+))?\.?$/s.exec(row.label);
    if (m && groups.length > 0) {
      // Visible text: message, source, code (a link to the rule's docs), position, one per line.
      const parts = row.text.split('\n').map((x) => x.trim());
      const at = parts.lastIndexOf(m[5]);
      const code = (at >= 0 && /^[a-z-]+$/.test(parts[at + 1] ?? '') ? parts[at + 1] : undefined) ?? m[6];
      marker = { severity: m[1], message: m[2], line: Number(m[3]), column: Number(m[4]), source: m[5], code, related: [] };
      groups[groups.length - 1].markers.push(marker);
    } else if (marker) {
      marker.related.push(row.label);
    }
  }
  return groups;
}

/**
 * Reads a tree view as a keyboard user does: Home, then ArrowDown row by row, taking each focused
 * row's text and depth (a virtualised list renders only what fits, so reading the DOM is not enough).
 */
export async function readTreeByKeyboard(page, paneSelector, maxRows = 200) {
  const focused = page.locator(`${paneSelector} .monaco-list-row.focused`).first();
  await page.keyboard.press('Home');
  await focused.waitFor({ state: 'visible', timeout: 5000 });
  const rows = [];
  let last;
  for (let i = 0; i < maxRows; i++) {
    const row = await focused.evaluate((r) => ({
      text: (r.innerText ?? '').replace(/\s+/g, ' ').trim(),
      level: Number(r.getAttribute('aria-level') ?? 0),
      expanded: r.getAttribute('aria-expanded'),
      index: r.getAttribute('data-index'),
    }));
    if (last && row.index === last.index) break;
    rows.push(row);
    last = row;
    await page.keyboard.press('ArrowDown');
    await sleep(30);
  }
  return rows;
}
