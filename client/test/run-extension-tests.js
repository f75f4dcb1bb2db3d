// Runs the extension-host tests (client/test/suite) in a real VS Code through @vscode/test-electron.
// They need a VS Code download; where that is impossible (offline machines, CI without network)
// this says so and exits non-zero: a suite that did not run is not a pass.
const path = require('node:path');

async function main() {
  const root = path.resolve(__dirname, '../..');
  let runTests;
  try {
    ({ runTests } = require('@vscode/test-electron'));
  } catch {
    console.error('extension tests NOT RUN: @vscode/test-electron is not installed (npm install).');
    return 2;
  }
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'client', 'test', 'suite', 'index.js'),
      launchArgs: [path.join(root, 'client', 'test', 'workspace'), '--disable-extensions', '--disable-workspace-trust'],
    });
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/download|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo|network|fetch|socket|timed out/i.test(message)) {
      console.error(`extension tests NOT RUN: VS Code could not be downloaded (${message.split('\n')[0]}).`);
      console.error('They need network access to fetch VS Code; this is not a pass.');
      return 2;
    }
    console.error(`extension tests FAILED: ${message}`);
    return 1;
  }
}

main().then((code) => process.exit(code));
