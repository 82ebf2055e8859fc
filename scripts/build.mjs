#!/usr/bin/env node
// `npm run build`: every artefact in dist/, each step in its own script so they stay independent.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

const steps = [
  ['library (ESM, script tag, types, custom-elements.json)', 'scripts/build-lib.mjs'],
  ['extension (Chrome, Firefox, zips)', 'scripts/build-extension.mjs'],
];

rmSync('dist', { recursive: true, force: true });
for (const [name, script] of steps) {
  if (!existsSync(script)) {
    console.log(`- ${name}: skipped (${script} not present)`);
    continue;
  }
  console.log(`- ${name}`);
  const run = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
