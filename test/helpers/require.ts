// A test's real part (a program, a server) missing: a skip on a developer's machine, but in CI,
// where .ci/run installs everything the tests need, the test runs and fails on what is missing.
import { existsSync } from 'node:fs';

export function skipWithout(path: string, name: string): string | false {
  if (existsSync(path) || process.env.CI) return false;
  return `${name} is not installed (${path})`;
}
