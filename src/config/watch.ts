// Reloads the definitions when a file in the feeds directory changes. Editors write in bursts
// (a temp file, a rename, a chmod), so events are gathered for a moment before one reload.
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from 'pino';
import type { FeedRegistry } from './registry.ts';

export function watchFeeds(dir: string, registry: FeedRegistry, log: Logger, settleMs = 250): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher;
  try {
    watcher = watch(dir, { persistent: false }, (_event, name) => {
      // Definitions, or Kubernetes swapping a ConfigMap volume's `..data` link; not editor swap files.
      if (name && !/\.ya?ml$|^\.\./.test(name)) return;
      clearTimeout(timer);
      timer = setTimeout(() => registry.reload(`file change${name ? `: ${name}` : ''}`), settleMs);
    });
  } catch (err) {
    log.warn({ dir, err }, 'cannot watch the feeds directory; reload with SIGHUP instead');
    return { close() {} };
  }
  watcher.on('error', (err) => { log.warn({ dir, err }, 'watching the feeds directory failed; reload with SIGHUP instead'); });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
