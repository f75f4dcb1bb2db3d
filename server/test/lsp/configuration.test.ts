/**
 * The language server's settings per folder: one reading answers everyone who asks while it is
 * under way, so that what is keyed on the settings object (classification memos) holds.
 */
import * as assert from 'node:assert/strict';
import { Connection } from 'vscode-languageserver/node';
import { Configuration, parseEditorSettings } from '../../src/lsp/configuration';
import type { Logger } from '../../src/lsp/logger';
import { DEFAULT_SETTINGS } from '../../../shared/src/settings';

const quiet = { warn: () => {}, debug: () => {}, info: () => {}, error: () => {} } as unknown as Logger;

/** A client whose `workspace/configuration` answers after a turn of the event loop, counting the requests. */
function client(): { connection: Connection; asked: () => number } {
  let asked = 0;
  const connection = {
    workspace: { getConfiguration: () => (asked++, new Promise((resolve) => setImmediate(() => resolve({ minimumSeverity: 'hint' })))) },
  } as unknown as Connection;
  return { connection, asked: () => asked };
}

describe('the settings of a workspace folder', () => {
  it('answers everyone who asks while the client has not answered yet with one reading, the same settings', async () => {
    const { connection, asked } = client();
    const config = new Configuration(connection, quiet, true, { loadConfig: async () => ({ settings: DEFAULT_SETTINGS, errors: [] }) });
    config.setFolders(['/work/a']);
    const [first, second] = await Promise.all([config.forRoot('/work/a'), config.forRoot('/work/a')]);
    assert.equal(first.settings, second.settings);
    assert.equal(first.settings.minimumSeverity, 'hint');
    assert.equal(asked(), 1);
    assert.equal((await config.forRoot('/work/a')).settings, first.settings);
  });

  it('reads again after a reading that failed, and after being invalidated', async () => {
    const { connection, asked } = client();
    let failures = 1;
    const loadConfig = async () => {
      if (failures-- > 0) throw new Error('leak-lens.toml: cannot read');
      return { settings: DEFAULT_SETTINGS, errors: [] };
    };
    const config = new Configuration(connection, quiet, true, { loadConfig });
    config.setFolders(['/work/a']);
    await assert.rejects(config.forRoot('/work/a'), /cannot read/);
    const read = await config.forRoot('/work/a');
    assert.equal(asked(), 2);
    config.invalidate();
    assert.notEqual((await config.forRoot('/work/a')).settings, read.settings);
    assert.equal(asked(), 3);
  });
});

describe('editor settings of the wrong shape', () => {
  const recording = () => {
    const warnings: string[] = [];
    return { warnings, logger: { ...quiet, warn: (m: string) => warnings.push(m) } as unknown as Logger };
  };

  it('reads past a value nested too deep to print, and names it by its type', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const { warnings, logger } = recording();
    const settings = parseEditorSettings({ rules: { 'box-leak': deep, 'static-mut': 'allow' } }, logger);
    assert.deepEqual(settings.rules, { 'static-mut': 'allow' });
    assert.deepEqual(warnings, ['ignoring setting leakLens.rules.box-leak = an array (expected allow, warn or deny for a known rule)']);
  });

  it('logs the first 20 meaningless rule entries and counts the others', () => {
    const { warnings, logger } = recording();
    parseEditorSettings({ rules: Array(5000).fill('deny') }, logger);
    assert.equal(warnings.length, 21);
    assert.equal(warnings[20], 'ignoring 4980 more entries of leakLens.rules');
  });
});
