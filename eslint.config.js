// ESLint (flat config) with typescript-eslint's strict type-checked rules (issue 12, item 8).
// Type-aware: the project service reads tsconfig.json, whose `include` covers src, test, bench and
// eval, so the rules see the types `tsc` sees (type stripping: `.ts` imports, erasable syntax only).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { name: 'not linted', ignores: ['.tap/', 'coverage/', 'bench/out/', 'data/'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'eval/**/*.ts', 'bin/**/*.js'],
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        // tsconfig.json includes bin/ (allowJs, checkJs): bin/feedrelay.js stays JavaScript, as it
        // must start under the older system Node, yet is type-checked through its JSDoc.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Numbers in messages (`${ms} ms`, `${n} articles`) always print as meant; undefined, null,
      // objects, unknown and the rest stay errors.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Under noUncheckedIndexedAccess every `m[1]`, `xs[i]`, `record[key]` is typed `T | undefined`
      // even right after the regex matched or the bounds were checked; `!` on that indexed access
      // is the project's way of saying "the check above guarantees it". So `!` stays banned
      // everywhere except directly on an indexed access (the rule itself has no such option).
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-restricted-syntax': ['error', {
        selector: 'TSNonNullExpression:not([expression.type="MemberExpression"][expression.computed=true])',
        message: 'Non-null assertion outside an indexed access: narrow with a check, or fail with a clear error.',
      }],
      // Leaving a key out by destructuring it beside a rest (`const { id: _id, ...rest } = row`):
      // the same exception tsc's noUnusedLocals makes.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // tap tracks its subtests itself and awaits them before the parent ends, so the promise
      // `t.test()` returns is never lost.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: '@tapjs/test', name: ['test', 'todo', 'skip', 'only'] }],
      }],
    },
  },
  {
    name: 'tap tests',
    files: ['test/**/*.ts'],
    rules: {
      // tap ends a subtest when the promise its callback returns settles; a plain callback would
      // have to call t.end(), so `t.test(name, async (t) => { ... })` is how a test is written
      // here, await or not. The rule stays on for src, bench, eval and bin.
      '@typescript-eslint/require-await': 'off',
    },
  },
);
