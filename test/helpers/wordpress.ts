// The WordPress.com fixtures (the seed post's feed and page), served as the blog would serve
// them but from a loopback origin: the blog's own URLs are rewritten to the origin's.
import { readFileSync } from 'node:fs';
import { serveText, startOrigin, type Origin } from './origin.ts';

export const BLOG = 'https://steppewatch.wordpress.com';
export const POST_PATH = '/2022/01/06/kazakhstan-government-calls-for-russian-help-over-protest/';
export const FEED_XML = readFileSync(new URL('../../demo/kazakhstan/feed.xml', import.meta.url), 'utf8');
export const POST_HTML = readFileSync(new URL('../fixtures/wordpress-com/post.html', import.meta.url), 'utf8');

export const SEED = {
  title: 'Kazakhstan government calls for Russian help over protest',
  byline: 'Aigerim Seitkali',
  captions: ['Police seen at a barricade in Almaty on Wednesday', 'Police fired stun grenades at protesters on Wednesday'],
  images: [
    'https://steppewatch.files.wordpress.com/2022/01/almaty-barricade.jpg',
    'https://steppewatch.files.wordpress.com/2022/01/almaty-stun-grenades.jpg',
  ],
  tags: [
    { label: 'Kazakhstan', slug: 'kazakhstan' },
    { label: 'protests', slug: 'protests' },
    { label: 'CSTO', slug: 'csto' },
  ],
  publishedAt: '2022-01-06T09:14:27.000Z',
  /** Text that belongs to the page, never to the article. */
  chrome: ['Leave a Reply', 'You are commenting using', 'Fill in your details below', 'Share this:', 'Like this:', 'Related', 'Connecting to %s', 'pixel.wp.com', 'gravatar.com', 'Post Comment'],
};

export async function startWordPressOrigin(): Promise<Origin> {
  const origin = await startOrigin();
  const local = (s: string) => s.split(BLOG).join(origin.url);
  origin.routes.set('/feed/', serveText(local(FEED_XML), 'application/rss+xml; charset=UTF-8'));
  origin.routes.set(POST_PATH, serveText(local(POST_HTML), 'text/html; charset=UTF-8'));
  return origin;
}
