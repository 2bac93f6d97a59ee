// DATABASE_URL -> a Store.
import { resolve } from 'node:path';
import type { Store } from './port.ts';
import { StoreError } from './port.ts';
import { openSqlite } from './sqlite.ts';
import { openPostgres } from './postgres.ts';

export async function openStore(url: string): Promise<Store> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return openSqlite(path === ':memory:' ? path : resolve(path));
  }
  if (/^postgres(?:ql)?:\/\//.test(url)) return openPostgres(url);
  throw new StoreError(`store: ${url.split(':')[0]} is not a store feedrelay knows; use sqlite:<path> or postgres://…`);
}
