// Tells this replica which articles any replica stored, within a second: triggers on the store's
// tables NOTIFY on commit, one LISTEN connection hears them. While that connection is down a
// version check stands in (any change then invalidates everything), and so does a reconnect,
// since notifications sent while nobody listened are gone.
import pg from 'pg';
import type { Logger } from 'pino';

export type Change = { articleIds: string[] } | { all: true };
export type ChangeListener = (change: Change) => void;

export interface ChangeFeed {
  /** Calls `fn` with each batch of changes; returns the unsubscribe. */
  subscribe(fn: ChangeListener): () => void;
  /** Whether NOTIFY is being heard (false: the version check is standing in). */
  readonly listening: boolean;
  close(): Promise<void>;
}

export interface ChangeFeedOptions {
  /** How often the version check runs while the LISTEN connection is down. */
  checkMs: number;
  log: Logger;
  /** Notifications are gathered this long into one batch. */
  batchMs?: number;
}

const TABLES = ['articles', 'article_sources', 'article_tags'] as const;

function storeSchema(url: string): { schema: string; conn: string } {
  const u = new URL(url);
  const schema = u.searchParams.get('schema') ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`changes: schema "${schema}" must be a lowercase SQL identifier`);
  u.searchParams.delete('schema');
  return { schema, conn: u.href };
}

export const changeChannel = (schema: string) => `feedrelay_changes_${schema}`;

/** Installs (idempotently, one replica at a time) the change table and the triggers that fill it. */
export async function installChangeTriggers(client: pg.ClientBase, schema: string): Promise<void> {
  const s = schema;
  await client.query('begin');
  try {
    await client.query('select pg_advisory_xact_lock(8210418)');
    await client.query(`create table if not exists ${s}.article_changes (article_id text primary key, seq bigint not null)`);
    await client.query(`create sequence if not exists ${s}.article_change_seq`);
    // A row-level trigger: the article each write touched, whichever table it went to. The NOTIFY
    // is delivered at commit, so a listener never hears of a write it cannot read yet.
    await client.query(`
      create or replace function ${s}.feedrelay_note_change() returns trigger language plpgsql as $fn$
      declare
        r jsonb := case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end;
        aid text := coalesce(r->>'article_id', r->>'id');
      begin
        insert into ${s}.article_changes (article_id, seq) values (aid, nextval('${s}.article_change_seq'))
          on conflict (article_id) do update set seq = excluded.seq;
        perform pg_notify('${changeChannel(s)}', aid);
        return null;
      end $fn$`);
    for (const t of TABLES) {
      await client.query(`create or replace trigger feedrelay_note_change after insert or update or delete on ${s}.${t} for each row execute function ${s}.feedrelay_note_change()`);
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}

export async function openChangeFeed(storeUrl: string, opts: ChangeFeedOptions): Promise<ChangeFeed> {
  const { schema, conn } = storeSchema(storeUrl);
  const listeners = new Set<ChangeListener>();
  const batchMs = opts.batchMs ?? 50;
  let pending = new Set<string>();
  let flushTimer: NodeJS.Timeout | null = null;
  let client: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let lastVersion: string | null = null;
  let checkTimer: NodeJS.Timeout | null = null;
  let retryTimer: NodeJS.Timeout | null = null;

  const emit = (change: Change) => {
    for (const fn of listeners) {
      try {
        fn(change);
      } catch (err) {
        opts.log.error({ err }, 'change listener failed');
      }
    }
  };
  const flush = () => {
    flushTimer = null;
    const ids = [...pending];
    pending = new Set();
    if (ids.length) emit({ articleIds: ids });
  };

  // The version: rows and the sum of their sequence numbers. Every committed change replaces a row's
  // number with a larger one or adds a row, so the pair moves on every commit, in whatever order.
  const readVersion = async (c: pg.ClientBase): Promise<string> => {
    const { rows } = await c.query<{ v: string }>(`select count(*)::text || ':' || coalesce(sum(seq), 0)::text as v from ${schema}.article_changes`);
    return rows[0]!.v;
  };

  const startChecking = () => {
    if (checkTimer || closed) return;
    checkTimer = setInterval(() => {
      const c = new pg.Client({ connectionString: conn, connectionTimeoutMillis: 5000, application_name: 'feedrelay-changes-check' });
      c.connect()
        .then(() => readVersion(c))
        .then((v) => {
          if (lastVersion !== null && v !== lastVersion) emit({ all: true });
          lastVersion = v;
        })
        .catch(() => undefined)
        .finally(() => void c.end().catch(() => undefined));
    }, opts.checkMs);
    checkTimer.unref();
  };
  const stopChecking = () => {
    if (checkTimer) clearInterval(checkTimer);
    checkTimer = null;
  };

  const connect = async (first: boolean): Promise<void> => {
    const c = new pg.Client({ connectionString: conn, connectionTimeoutMillis: 10_000, keepAlive: true, application_name: `feedrelay-changes ${schema}`.slice(0, 63) });
    await c.connect();
    if (first) await installChangeTriggers(c, schema);
    c.on('notification', (n) => {
      if (n.channel !== changeChannel(schema) || !n.payload) return;
      pending.add(n.payload);
      flushTimer ??= setTimeout(flush, batchMs);
    });
    const lost = (err?: Error) => {
      if (client !== c) return;
      client = null;
      listening = false;
      if (closed) return;
      opts.log.warn({ err: err?.message }, 'change notifications lost; checking the version until they are back');
      startChecking();
      const retry = () => {
        retryTimer = null;
        connect(false).catch(() => {
          retryTimer = setTimeout(retry, 1000);
          retryTimer.unref();
        });
      };
      retryTimer = setTimeout(retry, 1000);
      retryTimer.unref();
    };
    c.on('error', lost);
    c.on('end', () => { lost(); });
    await c.query(`listen ${changeChannel(schema)}`);
    lastVersion = await readVersion(c);
    client = c;
    listening = true;
    stopChecking();
    // Whatever changed while nobody listened is unknown: everything may be stale.
    if (!first) {
      opts.log.info('change notifications back');
      emit({ all: true });
    }
  };

  await connect(true);

  return {
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      stopChecking();
      if (retryTimer) clearTimeout(retryTimer);
      if (flushTimer) clearTimeout(flushTimer);
      const c = client;
      client = null;
      listening = false;
      await c?.end().catch(() => undefined);
    },
  };
}
