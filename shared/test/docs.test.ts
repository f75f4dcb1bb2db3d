import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../src/catalog';
import { rulePage, withRuleTable } from '../src/docs';

const ROOT = path.resolve(__dirname, '../../..');

describe('generated documentation', () => {
  it('docs/rules/<id>.md is up to date with the catalog for every rule (run `npm run docs`)', () => {
    for (const rule of ALL_RULES) {
      const page = fs.readFileSync(path.join(ROOT, 'docs/rules', `${rule.id}.md`), 'utf8');
      assert.equal(page, rulePage(rule), `docs/rules/${rule.id}.md is stale`);
    }
  });

  it('the README rule table is up to date with the catalog (run `npm run docs`)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.equal(readme, withRuleTable(readme));
  });
});
