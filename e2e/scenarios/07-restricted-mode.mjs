// Scenario 7 — Restricted Mode: the workspace opened untrusted (workspace trust on, no startup
// prompt), as every freshly cloned repository is until the user trusts it. Leak Lens declares
// `untrustedWorkspaces: { supported: true }` (it runs nothing of the workspace), so it is not
// disabled: the same findings and hovers as in a trusted workspace (scenario 1's expectations).
import { check, checkMatch } from '../lib/expect.mjs';
import { checkFileProblems } from '../lib/problems.mjs';
import { waitFor } from '../lib/ui.mjs';
import { EXPECTED } from './01-problems-panel.mjs';

export const title = '7. Restricted Mode: an untrusted workspace still gets the findings and hovers';

export const profile = {
  workspaceTrust: true,
  settings: {
    'security.workspace.trust.enabled': true,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'always',
    'security.workspace.trust.untrustedFiles': 'open',
  },
};

export async function run({ wb, page, shot }) {
  // The workbench says it is in Restricted Mode.
  const trust = page.locator('[id="status.workspaceTrust"]');
  const label = await waitFor(async () => {
    if (!(await trust.isVisible().catch(() => false))) return undefined;
    return `${(await trust.getAttribute('aria-label')) ?? ''} ${await trust.innerText()}`;
  }, 'the Restricted Mode status bar item', 30000);
  check(/Restricted Mode/i.test(label), `the workspace should be in Restricted Mode; the status bar item says "${label}"`);

  await wb.openFile('src/main.rs');
  await checkFileProblems(wb, page, 'src/main.rs', EXPECTED);
  await wb.screenshot(shot('problems'));
  const hover = await wb.hover(34, 'Box::leak');
  checkMatch(hover, /Leak Lens: real leak/, 'hover on the leak in the loop, in Restricted Mode');
  await wb.screenshot(shot('hover'));
  return `${label.trim()}; ${EXPECTED.length} findings and the hover`;
}
