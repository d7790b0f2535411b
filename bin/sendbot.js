#!/usr/bin/env node
// Thin launcher so `npx sendbot …` works after `npm install` (which builds dist/ from `prepare`).
import '../dist/src/cli.js';
