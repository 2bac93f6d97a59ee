// textUpTo reads an element's text only as far as a rule looks: the whole textContent when it is
// short, else a prefix that shows it is long (printed.ts's date and byline rules read so).
import t from 'tap';
import { parseDocument } from '../../src/ingest/dom.ts';
import { textUpTo } from '../../src/ingest/text-prefix.ts';

const el = (html: string) => parseDocument(`<html><body>${html}</body></html>`).body.children[0]!;

t.test('a short text is the whole textContent, in document order, without comments', async (t) => {
  const box = el('<div class="meta">By <a href="/a">Jane <b>Roe</b></a><!-- note --> · <time>Jan 2, 2020</time></div>');
  t.equal(textUpTo(box, 600), box.textContent);
  t.equal(textUpTo(box, 600), 'By Jane Roe · Jan 2, 2020');
});

t.test('a long text stops past the limit, as a prefix of textContent', async (t) => {
  const box = el(`<div class="post-meta"><p>${'word '.repeat(100)}</p><p>${'more '.repeat(80)}</p><p>${'rest '.repeat(400)}</p></div>`);
  const text = textUpTo(box, 600);
  const full = box.textContent ?? '';
  t.ok(text.length > 600);
  t.ok(text.length < full.length);
  t.ok(full.startsWith(text));
  // Exactly at the limit it is still the whole text.
  const exact = el(`<p>${'x'.repeat(150)}</p>`);
  t.equal(textUpTo(exact, 150), exact.textContent);
});
