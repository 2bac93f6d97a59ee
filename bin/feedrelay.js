#!/usr/bin/env node
// Runs src/cli.ts on Node 24. Under an older system Node (which cannot strip TypeScript types),
// re-runs itself with the Node 24 that the `node` devDependency installed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const major = Number(process.versions.node.split('.')[0]);
if (major >= 24) {
  const { runCli } = await import('../src/cli.ts');
  runCli(process.argv.slice(2));
} else {
  const pinned = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(pinned)) {
    process.stderr.write(`feedrelay needs Node 24 (this is ${process.version}); run "npm install" first\n`);
    process.exit(1);
  }
  const r = spawnSync(pinned, [cli, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
