// Writes docs/rules/*.md and the README's rule table from the catalog (run after `npm run build`).
const fs = require('node:fs');
const path = require('node:path');
const { ALL_RULES } = require('../out/shared/src/catalog');
const { rulePage, withRuleTable } = require('../out/shared/src/docs');

const root = path.resolve(__dirname, '..');
fs.mkdirSync(path.join(root, 'docs/rules'), { recursive: true });
for (const rule of ALL_RULES) fs.writeFileSync(path.join(root, 'docs/rules', `${rule.id}.md`), rulePage(rule));
const readme = path.join(root, 'README.md');
fs.writeFileSync(readme, withRuleTable(fs.readFileSync(readme, 'utf8')));
console.log(`wrote ${ALL_RULES.length} rule pages and the README table`);
