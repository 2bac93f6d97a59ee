// req.log made on first use: the lines it writes are the ones pino's child would have written.
import t from 'tap';
import pino from 'pino';
import { Writable } from 'node:stream';
import { requestLogger, writes } from '../../src/http/request-logger.ts';

function capture(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level, base: { service: 'feedrelay' } }, stream), lines };
}

t.test('below the level nothing is written; at or above it, the line carries the request id and the base bindings', async (t) => {
  const { logger, lines } = capture('info');
  const log = requestLogger(logger, { reqId: 'r-1' }, {});
  t.equal(log.level, 'info');
  log.debug({ route: '/feeds/:file' }, 'request completed');
  log.trace('nothing');
  t.same(lines, []);
  log.info({ statusCode: 404 }, 'request completed');
  log.error(new Error('boom'), 'request failed');
  log.warn('plain %s', 'message');
  t.match(lines, [
    { level: 30, reqId: 'r-1', service: 'feedrelay', statusCode: 404, msg: 'request completed' },
    { level: 50, reqId: 'r-1', err: { message: 'boom' }, msg: 'request failed' },
    { level: 40, reqId: 'r-1', msg: 'plain message' },
  ]);
});

t.test('its level can be changed for the one request, and its children keep its bindings', async (t) => {
  const { logger, lines } = capture('info');
  const log = requestLogger(logger, { reqId: 'r-2' }, {});
  log.level = 'debug';
  log.debug('now written');
  t.equal(logger.level, 'info', 'the service logger is not changed');
  log.child({ step: 'render' }).info('from a child');
  t.match(lines, [{ level: 20, reqId: 'r-2', msg: 'now written' }, { level: 30, reqId: 'r-2', step: 'render', msg: 'from a child' }]);
});

t.test("a route's own log level gets pino's child at once", async (t) => {
  const { logger, lines } = capture('info');
  const log = requestLogger(logger, { reqId: 'r-3' }, { level: 'warn' });
  log.info('left out');
  log.warn('kept');
  t.match(lines, [{ level: 40, reqId: 'r-3', msg: 'kept' }]);
  t.equal(lines.length, 1);
});

t.test('writes(): whether a line at a level would be written, so the caller can skip building it', async (t) => {
  const { logger } = capture('info');
  const log = requestLogger(logger, { reqId: 'r-4' }, {});
  t.equal(writes(log, 'debug'), false);
  t.equal(writes(log, 'info'), true);
  log.level = 'trace';
  t.equal(writes(log, 'debug'), true, 'the request\'s own level decides');
  const bare = { level: 'info', info() {}, error() {}, debug() {}, fatal() {}, warn() {}, trace() {}, silent() {}, child: () => bare };
  t.equal(writes(bare, 'debug'), true, 'a logger that cannot say is asked to write');
});
