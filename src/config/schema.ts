import Type from 'typebox';

// `expected` is read by the config loader to say, in one line, what a bad value should have been.
const Int = (min: number, max: number) =>
  Type.Integer({ minimum: min, maximum: max, expected: `an integer from ${min} to ${max}` });

export const ConfigSchema = Type.Object(
  {
    server: Type.Object(
      {
        host: Type.String({ minLength: 1, expected: 'a host name or address to listen on' }),
        port: Int(0, 65535),
        baseUrl: Type.String({ pattern: '^(|https?://[^\\s]+)$', expected: 'an http(s) URL, or empty' }),
        trustProxy: Type.Boolean({ expected: 'true or false' }),
        shutdownTimeoutMs: Int(0, 600000),
      },
      { additionalProperties: false },
    ),
    serve: Type.Object(
      { cacheMaxBytes: Int(0, 17179869184) },
      { additionalProperties: false },
    ),
    store: Type.Object(
      { url: Type.String({ pattern: '^(sqlite:.+|postgres(ql)?://.+)$', expected: 'sqlite:<path> or postgres://…' }) },
      { additionalProperties: false },
    ),
    feeds: Type.Object(
      {
        dir: Type.String({ minLength: 1, expected: 'a directory path' }),
        defaultLimit: Int(1, 1000),
        maxLimit: Int(1, 10000),
        watch: Type.Boolean({ expected: 'true or false' }),
      },
      { additionalProperties: false },
    ),
    schedule: Type.Object(
      {
        cron: Type.String({ minLength: 1, expected: 'a cron expression such as "*/30 * * * *"' }),
        runAtStart: Type.Boolean({ expected: 'true or false' }),
        concurrency: Int(1, 256),
      },
      { additionalProperties: false },
    ),
    fetch: Type.Object(
      {
        connectTimeoutMs: Int(1, 600000),
        headersTimeoutMs: Int(1, 600000),
        bodyTimeoutMs: Int(1, 3600000),
        maxBodyBytes: Int(1024, 1073741824),
        maxRedirects: Int(0, 20),
        userAgent: Type.String({ minLength: 1, expected: 'a non-empty User-Agent' }),
        allowPrivateNetworks: Type.Boolean({ expected: 'true or false' }),
        allow: Type.Array(Type.String({ minLength: 1, pattern: '^[0-9A-Za-z.:*/-]+$' }), { expected: 'a list of CIDRs, addresses or host names (*.example.org) opened despite being private' }),
        perHostConcurrency: Int(1, 64),
        fileRoot: Type.String({ minLength: 1, expected: 'a directory path' }),
      },
      { additionalProperties: false },
    ),
    admin: Type.Object(
      { token: Type.String({ expected: 'a string (empty turns admin routes off)' }) },
      { additionalProperties: false },
    ),
    metrics: Type.Object(
      {
        enabled: Type.Boolean({ expected: 'true or false' }),
        token: Type.String({ expected: 'a string (empty: /metrics needs no token)' }),
      },
      { additionalProperties: false },
    ),
    websub: Type.Object(
      {
        hubs: Type.Array(Type.String({ pattern: '^https?://[^\\s]+$' }), { expected: 'a list of hub URLs (http or https)' }),
        retries: Int(0, 20),
        timeoutMs: Int(100, 120000),
      },
      { additionalProperties: false },
    ),
    retention: Type.Object(
      {
        days: Int(0, 36500),
        cron: Type.String({ minLength: 1, expected: 'a cron expression such as "17 3 * * *"' }),
      },
      { additionalProperties: false },
    ),
    protection: Type.Object(
      {
        maxEventLoopDelayMs: Int(0, 60000),
        maxHeapUsedBytes: Int(0, 68719476736),
        maxRssBytes: Int(0, 68719476736),
        retryAfterSeconds: Int(1, 3600),
        rateLimit: Type.Object(
          {
            enabled: Type.Boolean({ expected: 'true or false' }),
            max: Int(1, 1000000),
            windowMs: Int(1000, 86400000),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    log: Type.Object(
      {
        level: Type.Union(
          [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')],
          { expected: 'one of fatal, error, warn, info, debug, trace, silent' },
        ),
        pretty: Type.Boolean({ expected: 'true or false' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type Config = Type.Static<typeof ConfigSchema>;
