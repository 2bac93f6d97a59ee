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

// Each table of the store that names an article, and the column that does.
const TABLES = [
  ['articles', 'id'],
  ['article_sources', 'article_id'],
  ['article_tags', 'article_id'],
] as const;
/** Article ids per notification: 200 ids of 24 characters and their commas fit 8,000 bytes. */
const NOTIFY_IDS = 200;

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
    // Statement-level triggers over the transition tables: one insert into the change table and
    // one NOTIFY per statement, naming every article the statement touched, where a row-level
    // trigger cost a jsonb copy of each row (whole article bodies), an upsert and a notification
    // per row. PostgreSQL allows a transition table on one event per trigger, hence three per
    // table. The ids go sorted, so the statements of one write (articles, their tags, their
    // sources) send the same payloads, which PostgreSQL folds into one notification; a payload
    // stays under the 8,000-byte limit by naming at most NOTIFY_IDS articles. NOTIFY is
    // delivered at commit, so a listener never hears of a write it cannot read yet.
    await client.query(`
      create or replace function ${s}.feedrelay_note_changes() returns trigger language plpgsql as $fn$
      declare
        ids text[];
        n int;
      begin
        execute format('select array_agg(distinct %I order by %I) from changed', tg_argv[0], tg_argv[0]) into ids;
        n := coalesce(array_length(ids, 1), 0);
        if n = 0 then return null; end if;
        insert into ${s}.article_changes (article_id, seq) select id, nextval('${s}.article_change_seq') from unnest(ids) as id
          on conflict (article_id) do update set seq = excluded.seq;
        for i in 0 .. (n - 1) / ${NOTIFY_IDS} loop
          perform pg_notify('${changeChannel(s)}', array_to_string(ids[i * ${NOTIFY_IDS} + 1 : (i + 1) * ${NOTIFY_IDS}], ','));
        end loop;
        return null;
      end $fn$`);
    for (const [t, column] of TABLES) {
      // The row-level trigger of earlier versions, replaced here.
      await client.query(`drop trigger if exists feedrelay_note_change on ${s}.${t}`);
      for (const [event, transition] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']] as const) {
        await client.query(
          `create or replace trigger feedrelay_changes_${event} after ${event} on ${s}.${t} referencing ${transition} table as changed for each statement execute function ${s}.feedrelay_note_changes('${column}')`,
        );
      }
    }
    await client.query(`drop function if exists ${s}.feedrelay_note_change()`);
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
      for (const id of n.payload.split(',')) pending.add(id);
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
