// Which article an item is: the canonical URL readers get (tracking parameters, as the rules'
// "links" list them, and fragments dropped) and the stable id derived from it.
import { createHash } from 'node:crypto';
import { platformRules } from '../rules/rules.ts';

/** The URL that identifies an article: tracking parameters and fragments dropped. */
export function canonicalUrl(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    const { trackingParameter, trackingValues } = platformRules().links;
    for (const [k, v] of [...u.searchParams.entries()]) {
      // Some names track only with some values (Medium's source=rss-...): "source" may mean something elsewhere.
      if (trackingParameter.test(k) || trackingValues.some((t) => t.parameter === k && t.value.test(v))) u.searchParams.delete(k);
    }
    u.hostname = u.hostname.toLowerCase();
    return u.href;
  } catch {
    return url;
  }
}

/** Stable across restarts and re-fetches: derived from the canonical URL, else from the guid. */
export function articleId(sourceId: string, url: string | undefined, guid: string | undefined): string {
  const key = url ? `url:${canonicalUrl(url)}` : `guid:${sourceId}:${guid}`;
  return createHash('sha256').update(key).digest('hex').slice(0, 24);
}
