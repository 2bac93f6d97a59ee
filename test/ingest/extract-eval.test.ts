// The extraction targets of issue 3, held on real pages written by others (mozilla/readability's
// test pages in ../shared/corpora) with the hand-checked truth in eval/extract-truth.json.
import t from 'tap';
import { existsSync } from 'node:fs';
import { corpus, runEval, textSimilarity } from '../../eval/extract.ts';

t.test('text similarity is word-multiset F1', async (t) => {
  t.equal(textSimilarity('a b c', 'c b a'), 1);
  t.equal(textSimilarity('a b', 'c d'), 0);
  t.equal(textSimilarity('a a b', 'a b'), 0.8);
});

t.test('feedrelay meets the extraction targets on the corpus', { skip: existsSync(corpus) ? false : `no corpus at ${corpus}` }, async (t) => {
  const { summary, rows } = runEval();
  const rate = (s: { ok: number; of: number }) => s.ok / s.of;
  t.ok(summary.pages >= 80, `${summary.pages} pages`);
  t.equal(summary.errors, 0, 'no page fails to extract');
  t.ok(rate(summary.title) >= 0.98, `title ${summary.title.ok}/${summary.title.of}`);
  t.ok(rate(summary.byline) >= 0.95, `byline ${summary.byline.ok}/${summary.byline.of}`);
  t.ok(rate(summary.published) >= 0.95, `published ${summary.published.ok}/${summary.published.of}`);
  t.ok(rate(summary.textSimilarity) >= 0.9, `text similarity >= 0.9 on ${summary.textSimilarity.ok}/${summary.textSimilarity.of}`);
  const bad = rows.filter((r) => r.byline === false || r.date === false || !r.title).map((r) => r.page);
  t.comment(`pages still wrong: ${bad.join(', ') || 'none'}`);
});
