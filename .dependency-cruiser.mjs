// The layer rules (GUIDE "The shape"), checked by dependency-cruiser in `npm test`
// (`npm run check:layers`; test/layers.test.ts shows each rule catches a breaking import).
// Data flows source -> fetch -> parse -> normalize -> store -> render -> serve. The composition
// root (src/main.ts, src/cli.ts) is the only module that wires adapters; what two layers both
// need lives in a neutral module (src/model/ for data, src/lib/ for helpers).
const layer = (name) => `^src/${name}/`;

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'model-is-neutral',
      comment: 'Model types and schemas depend on nothing else in src but src/lib/.',
      severity: 'error',
      from: { path: layer('model') },
      to: { path: '^src/', pathNot: [layer('model'), layer('lib')] },
    },
    {
      name: 'lib-is-neutral',
      comment: 'Helpers shared by layers depend on no layer.',
      severity: 'error',
      from: { path: layer('lib') },
      to: { path: '^src/', pathNot: layer('lib') },
    },
    {
      name: 'config-is-not-a-layer-above',
      comment: 'Config reads files and validates them; it uses no I/O layer and no pipeline step.',
      severity: 'error',
      from: { path: layer('config') },
      to: { path: [layer('ingest'), layer('store'), layer('publish'), layer('http'), layer('schedule')] },
    },
    {
      name: 'store-knows-no-ingest',
      comment: 'The store keeps Articles; it imports nothing from ingest, publish, http or the schedule.',
      severity: 'error',
      from: { path: layer('store') },
      to: { path: [layer('ingest'), layer('publish'), layer('http'), layer('schedule'), layer('config')] },
    },
    {
      name: 'publish-is-pure',
      comment: 'Rendering reads Articles and feed definitions only: no ingest, store, http or schedule.',
      severity: 'error',
      from: { path: layer('publish') },
      to: { path: [layer('ingest'), layer('store'), layer('http'), layer('schedule')] },
    },
    {
      name: 'http-reaches-ingest-through-the-root',
      comment: 'HTTP gets ingest and the schedule only as functions main.ts injects (AppDeps.refresh).',
      severity: 'error',
      from: { path: layer('http') },
      to: { path: [layer('ingest'), layer('schedule')] },
    },
    {
      name: 'ingest-stores-through-the-port',
      comment: 'Ingest writes through the Store interface; it never opens a store or renders.',
      severity: 'error',
      from: { path: layer('ingest') },
      to: { path: [layer('store'), layer('publish'), layer('http'), layer('schedule'), layer('config')], pathNot: '^src/store/port\\.ts$' },
    },
    {
      name: 'schedule-drives-ingest-only',
      comment: 'The schedule runs the pipeline; it neither serves nor renders nor opens stores.',
      severity: 'error',
      from: { path: layer('schedule') },
      to: { path: [layer('http'), layer('publish'), layer('store'), layer('config')] },
    },
    {
      name: 'only-the-root-wires-adapters',
      comment: 'Opening a store, making a fetcher and building the app happen in src/main.ts or src/cli.ts.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/(main|cli)\\.ts$', layer('store')] },
      to: { path: ['^src/store/(open|sqlite|postgres)\\.ts$', '^src/main\\.ts$'] },
    },
    {
      name: 'only-the-root-builds-the-app',
      comment: 'The routes take their AppDeps type from http/app.ts; nothing else outside the root does.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/(main|cli)\\.ts$', layer('http')] },
      to: { path: '^src/http/app\\.ts$' },
    },
    {
      name: 'ingest-steps-do-not-reach-up',
      comment: 'A step never imports the pipeline that runs it; fetching imports no later step.',
      severity: 'error',
      from: { path: '^src/ingest/(fetch|format|page|content|normalize|rules)/' },
      to: { path: '^src/ingest/pipeline/' },
    },
    {
      name: 'fetch-knows-no-format',
      comment: 'Fetching moves bytes; what they are is decided by the later steps.',
      severity: 'error',
      from: { path: '^src/ingest/fetch/' },
      to: { path: '^src/ingest/(format|page|content|normalize)/' },
    },
    {
      name: 'no-circular',
      comment: 'Import cycles make the order of the steps meaningless (a cycle through type-only imports, routes taking AppDeps from the app that registers them, runs nothing).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
