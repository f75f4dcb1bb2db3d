// Extension-tests entry the e2e run hands to code-server through the workbench `payload` route.
// It runs the extension-host suite of client/test (compiled to out/client/test/suite/*.test.js)
// unchanged, in the Node extension host, and reports its counts on a line the harness reads:
// `leak-lens-exthost: N passing, N failing`. A run that executed no test is a failure.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const SUITE = path.resolve(__dirname, '..', '..', 'out', 'client', 'test', 'suite');

function loadMocha() {
  // mocha 12 is an ES module; require() of it gives the namespace (Node >= 20.19).
  const mod = require('mocha');
  return mod.default ?? mod.Mocha ?? mod;
}

exports.run = function run() {
  const Mocha = loadMocha();
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  const files = fs.readdirSync(SUITE).filter((f) => f.endsWith('.test.js')).sort();
  if (files.length === 0) return Promise.reject(new Error(`no *.test.js in ${SUITE} (run npm run build)`));
  for (const file of files) mocha.addFile(path.join(SUITE, file));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, failures: failed = failures, tests = 0 } = runner.stats ?? {};
      console.log(`leak-lens-exthost: ${passes} passing, ${failed} failing, ${tests} run`);
      if (failures > 0) reject(new Error(`${failures} extension test(s) failed`));
      else if (passes === 0) reject(new Error('no extension test ran'));
      else resolve();
    });
  });
};
