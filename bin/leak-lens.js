#!/usr/bin/env node
// Thin launcher so `npx leak-lens` runs the bundled CLI built by `npm run build` (run by `prepare`).
require('../dist/cli.js');
