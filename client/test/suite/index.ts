/**
 * Entry point @vscode/test-electron loads inside the extension host: runs the mocha suites of this
 * folder and reports the result through the returned promise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type MochaClass = require('mocha');

// mocha 12 is an ES module: `require` of it yields a namespace whose default export is the class.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mochaModule = require('mocha') as typeof MochaClass & { default?: typeof MochaClass };
const Mocha = mochaModule.default ?? mochaModule;

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: true });
  for (const file of fs.readdirSync(__dirname)) if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension test(s) failed`)) : resolve()));
  });
}
