// Tests whose real part (PostgreSQL, Chromium, Jing, newsboat, the W3C validator's Python
// modules) may be missing from a developer's machine: there they are skipped, saying what to
// install; under CI=true a missing part fails the test, since CI must run everything.
import t, { type Test } from 'tap';

export const inCI = process.env['CI'] === 'true';

/** t.test(name, fn) when the real part is `present`; else a skip, or under CI a failure. */
export function withRealPart(name: string, present: boolean, missing: string, fn: (t: Test) => Promise<void>): void {
  if (present) t.test(name, fn);
  else if (inCI) t.test(name, async (t) => void t.fail(`${missing}; CI=true runs every test, so it must be installed (.ci/run installs it)`));
  else t.test(name, { skip: missing }, fn);
}
