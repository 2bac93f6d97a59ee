// Path containment: config checks file: sources against fetch.fileRoot, and the fetcher checks
// again on the real path, so the one test lives in neither layer.
import { isAbsolute, relative, sep } from 'node:path';

/** True when `path` is `root` or lies under it (both already resolved). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(sep));
}
