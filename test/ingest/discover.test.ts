// Autodiscovery as a reader does it: the feeds a page declares, the one a subscriber means, and
// whether the page is one article or a site. Fixtures are pages as the platforms write them.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { chooseFeed, conventionalFeedUrls, readAs, readOffer } from '../../src/ingest/page/discover.ts';
import { extractPage } from '../../src/ingest/page/extract.ts';

const page = (name: string) => readFileSync(new URL(`../fixtures/discovery/${name}`, import.meta.url), 'utf8');

t.test('a WordPress home page: the site feed before the comments and tag feeds', async (t) => {
  const url = 'https://steppewatch.example/';
  const offer = readOffer(page('wordpress-home.html'), url);
  t.same(offer.feeds.map((f) => [f.url, f.secondary]), [
    ['https://steppewatch.example/feed/', false],
    ['https://steppewatch.example/comments/feed/', true],
    ['https://steppewatch.example/tag/kazakhstan/feed/', true],
  ]);
  t.equal(offer.feeds[0]!.title, 'Steppe Watch » Feed');
  t.equal(offer.kind, 'listing', 'body class "home blog"');
  t.equal(readAs(offer, url), 'site');
  t.equal(chooseFeed(offer.feeds)?.url, 'https://steppewatch.example/feed/');
});

t.test('a post that declares its own comments feed is an article, read as one', async (t) => {
  const url = 'https://steppewatch.example/2022/01/04/fuel-prices-almaty/';
  const offer = readOffer(page('wordpress-post.html'), url);
  t.equal(offer.feeds.length, 3, 'relative hrefs resolved against the page');
  t.equal(offer.feeds[2]!.url, 'https://steppewatch.example/2022/01/04/fuel-prices-almaty/feed/');
  t.ok(offer.feeds[2]!.secondary, 'the post comments feed is secondary');
  t.equal(offer.kind, 'article');
  t.equal(readAs(offer, url), 'article');
});

t.test('a Ghost home page: <base href> resolves the feed, og:type website and the body class say site', async (t) => {
  const offer = readOffer(page('ghost-home.html'), 'https://open-steppe.example/');
  t.same(offer.feeds, [{ url: 'https://open-steppe.example/rss/', type: 'rss', title: 'Open Steppe', secondary: false }]);
  t.equal(readAs(offer, 'https://open-steppe.example/'), 'site');
});

t.test('several formats: declared order, a format preference, duplicates and non-http links dropped', async (t) => {
  const offer = readOffer(page('multi-format.html'), 'https://notes.example/');
  t.same(offer.feeds.map((f) => `${f.type} ${f.url}`), [
    'atom https://notes.example/atom.xml',
    'rss https://notes.example/rss.xml',
    'jsonfeed https://notes.example/feed.json',
  ]);
  t.equal(chooseFeed(offer.feeds)?.type, 'atom', 'the first declared');
  t.equal(chooseFeed(offer.feeds, 'jsonfeed')?.url, 'https://notes.example/feed.json');
  t.equal(chooseFeed(offer.feeds, 'rss')?.url, 'https://notes.example/rss.xml');
  t.equal(chooseFeed([{ url: 'https://x.example/comments/feed/', type: 'rss', secondary: true }])?.url, 'https://x.example/comments/feed/', 'a comments feed when it is all there is');
  t.equal(chooseFeed([]), undefined);
});

t.test('where a page sits decides only when it says nothing', async (t) => {
  const quiet = readOffer(page('no-feed-home.html'), 'https://quiet.example/');
  t.same(quiet.feeds, []);
  t.equal(quiet.kind, 'unknown');
  for (const u of ['https://quiet.example/', 'https://quiet.example/blog', 'https://quiet.example/blog/', 'https://quiet.example/журнал/']) t.equal(readAs(quiet, u), 'site', u);
  for (const u of ['https://quiet.example/how-to-scrape-google-bo7d2tal', 'https://quiet.example/scan.php?page=news_item&px=1', 'https://quiet.example/2024/05/one/', 'https://quiet.example/p/12345']) {
    t.equal(readAs(quiet, u), 'article', u);
  }
});

t.test('the conventional feed addresses, at the root and under a blog path', async (t) => {
  t.same(conventionalFeedUrls('https://quiet.example/'), ['/feed', '/rss', '/rss.xml', '/atom.xml', '/index.xml', '/feed.xml', '/feed.json'].map((p) => `https://quiet.example${p}`));
  const under = conventionalFeedUrls('https://quiet.example/blog/');
  t.ok(under.includes('https://quiet.example/blog/feed'));
  t.ok(under.includes('https://quiet.example/index.xml'));
});

t.test('JSON-LD and Open Graph say article', async (t) => {
  const ld = '<html><head><script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite"},{"@type":["NewsArticle"],"headline":"x"}]}</script></head><body><p>x</p></body></html>';
  t.equal(readOffer(ld, 'https://n.example/').kind, 'article', 'an Article in a @graph, even at the root');
  t.equal(readOffer('<html><head><meta property="OG:TYPE" content="article"></head></html>', 'https://n.example/').kind, 'article');
  t.equal(readOffer('<html><head><script type="application/ld+json">{broken</script></head></html>', 'https://n.example/').kind, 'unknown', 'broken JSON-LD says nothing');
});

t.test('real article pages written by others stay articles (both corpora)', async (t) => {
  const { readdirSync, existsSync } = await import('node:fs');
  const roots = ['readability-pages', 'extraction-2'].map((r) => new URL(`../../../shared/corpora/${r}/`, import.meta.url));
  let pages = 0;
  const asSite: string[] = [];
  for (const root of roots) {
    for (const name of readdirSync(root)) {
      const src = new URL(`${name}/source.html`, root);
      if (!existsSync(src)) continue;
      let url = `https://corpus.example/2020/01/${name}/`;
      try {
        url = (JSON.parse(readFileSync(new URL(`${name}/expected.json`, root), 'utf8')) as { url?: string }).url ?? url;
      } catch {
        // readability-pages carry no address: a post's path stands in.
      }
      pages++;
      if (readAs(readOffer(readFileSync(src, 'utf8'), url), url) !== 'article') asSite.push(`${name} ${url}`);
    }
  }
  t.ok(pages >= 380, `${pages} pages read`);
  // pix-bavaria.de is an article served as a site's front page with no signal that says so.
  t.ok(asSite.length <= 1, `read as a site: ${asSite.join(', ') || 'none'}`);
});

t.test('a page that is only text, without one element, is read, not a crash', async (t) => {
  // linkedom builds no <html> for it; the DOM layer gives it one, as a browser does.
  t.same(readOffer('just text', 'https://x.example/').feeds, [], 'no feed offered');
  t.equal(extractPage('just text', 'https://x.example/a').items.length, 1, 'read as a page');
});
