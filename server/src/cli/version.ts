import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The package version, found by walking up to our `package.json`. The CLI runs both bundled
 * (`dist/cli.js`) and unbundled (`out/server/src/cli/*.js` in tests), so no fixed relative path works.
 */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'leak-lens' && pkg.version) return pkg.version;
    } catch {
      // No (readable) package.json here; keep looking upwards.
    }
    if (path.dirname(dir) === dir) return '0.0.0';
  }
}
