#!/usr/bin/env node
// Thin launcher so `npx sendbot …` works after `npm install` (which builds dist/ from `prepare`).
// Without a build (an install with --ignore-scripts, a build that failed) it says how to make one
// instead of printing node's module-resolution trace.
try {
  await import('../dist/src/cli.js');
} catch (error) {
  const missing = error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/src/cli.js');
  if (!missing) throw error;
  process.stderr.write('sendbot is not built yet: run `npm run build` in its folder (`npm install` does it too), then run this again.\n');
  process.exitCode = 1;
}
