// A failure is recorded with the step that raised it: a store that refuses the articles is a
// `store` failure (class storage) on the source's state, not a fetch or an internal error.
import t from 'tap';
import Sqlite from 'better-sqlite3';
import { join } from 'node:path';
import { startOrigin } from '../../helpers/origin.ts';
import { rssFeed } from '../../helpers/child.ts';
import { tempEnv, startService } from '../../helpers/service.ts';

t.test('the store refusing a write fails the source with step store', async (t) => {
  const origin = await startOrigin({ '/feed': (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed('s', 2)) });
  t.teardown(() => origin.close());
  const env = tempEnv({ s: `title: S\nsources:\n  - {id: s, url: "${origin.url}/feed"}\n` });
  t.teardown(env.cleanup);
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  // A second connection to the real database file makes every article insert fail, as a full
  // disk or a constraint would; the source state still saves.
  const db = new Sqlite(join(env.dir, 'data', 'feedrelay.db'));
  db.exec("CREATE TRIGGER refuse BEFORE INSERT ON articles BEGIN SELECT RAISE(ABORT, 'database is full'); END");
  db.close();

  const cycle = await service.runner.run(service.sources, { force: true });
  const s = cycle.sources[0]!;
  t.equal(s.outcome, 'failed');
  t.same(s.error?.class, 'storage');
  t.match(s.error?.message, /^store: .*database is full/);
  const [state] = await service.store.listSourceStates();
  t.equal(state?.lastErrorClass, 'storage', 'the state records the class');
  t.match(state?.lastErrorMessage, /^store: /, 'and the step');
  t.equal(state?.consecutiveFailures, 1, 'and backs the source off like any failure');
});
