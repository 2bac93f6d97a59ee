// A test's real part (a program, a server) missing: a skip on a developer's machine, a failure in
// CI, where everything the tests need is installed.
import { existsSync } from 'node:fs';
import type { Test } from 'tap';

export function requireTool(t: Test, path: string, name: string): boolean {
  if (existsSync(path)) return true;
  if (process.env.CI) t.fail(`${name} (${path}) is missing; .ci/run installs it`);
  else t.skip(`${name} is not installed (${path})`);
  return false;
}
