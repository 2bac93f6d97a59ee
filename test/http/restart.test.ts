// Stopping and starting the service keeps everything, and a re-fetch of an unchanged feed
// changes nothing: same id, same updatedAt, no duplicate.
import t from 'tap';
import type { ServerResponse } from 'node:http';
import type { Article } from '../../src/model/article.ts';
import { startWordPressOrigin } from '../helpers/wordpress.ts';
import { tempEnv, startService } from '../helpers/service.ts';

const origin = await startWordPressOrigin();
t.teardown(() => origin.close());
const env = tempEnv({ kazakhstan: `title: K\nsources:\n  - {id: sw, url: "${origin.url}/feed/"}\n` });
t.teardown(env.cleanup);

t.test('a restart keeps every article and changes nothing', async (t) => {
  const first = await startService(env.env);
  await first.runner.run(first.sources);
  const before = (await first.app.inject({ url: '/articles?feed=kazakhstan' })).json<{ articles: Article[] }>().articles;
  t.equal(before.length, 1);
  await first.stop();

  const second = await startService(env.env);
  t.teardown(() => second.stop());
  const served = (await second.app.inject({ url: '/articles?feed=kazakhstan' })).json<{ articles: Article[] }>().articles;
  t.same(served, before, 'served from the store before any fetch');
  const cycle = await second.runner.run(second.sources);
  t.same([cycle.sources[0]!.seen, cycle.sources[0]!.new, cycle.sources[0]!.updated], [1, 0, 0]);
  const after = (await second.app.inject({ url: '/articles?feed=kazakhstan' })).json<{ articles: Article[] }>().articles;
  t.same(after, before, 'same id, same updatedAt, no duplicate');
});

t.test('a changed post updates in place and its updatedAt moves', async (t) => {
  const service = await startService(env.env);
  t.teardown(() => service.stop());
  const before = (await service.app.inject({ url: '/articles?feed=kazakhstan' })).json<{ articles: Article[] }>().articles[0]!;
  const handler = origin.routes.get('/feed/');
  if (!handler) throw new Error('the origin serves no /feed/');
  origin.routes.set('/feed/', (req, res) => {
    const fakeRes = Object.create(res) as ServerResponse;
    fakeRes.writeHead = (...a: unknown[]) => res.writeHead(...(a as [number]));
    fakeRes.end = ((body: string) => res.end(body.replace('the entire government has resigned.', 'the entire government has resigned. (Updated: the curfew was extended.)'))) as ServerResponse['end'];
    handler(req, fakeRes);
  });
  t.teardown(() => origin.routes.set('/feed/', handler));
  const cycle = await service.runner.run(service.sources);
  t.equal(cycle.sources[0]!.updated, 1);
  const after = (await service.app.inject({ url: '/articles?feed=kazakhstan' })).json<{ articles: Article[] }>().articles;
  t.equal(after.length, 1, 'no duplicate');
  t.equal(after[0]!.id, before.id);
  t.match(after[0]!.contentText, /curfew was extended/);
  t.ok(after[0]!.updatedAt > before.updatedAt, 'updatedAt moved');
  t.equal(after[0]!.publishedAt, before.publishedAt);
});
