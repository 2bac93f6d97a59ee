// The DOM layer reads a page as a browser does, whatever comes before its markup.
import t from 'tap';
import { parseDocument } from '../../src/ingest/dom.ts';

t.test('text before <!DOCTYPE> (a server\'s PHP warnings) does not lose the page', async (t) => {
  const html = '<br />\n<b>Warning</b>:  mysql_get_server_info(): Access denied in <b>/www/x.php</b> on line <b>299</b><br />\n<!DOCTYPE html>\n<html lang="de-DE"><head><title>Alles Neue mach der Mai | Blog</title></head><body><article><p>Text</p></article></body></html>';
  const d = parseDocument(html);
  t.equal(d.documentElement.tagName, 'HTML');
  t.equal(d.documentElement.getAttribute('lang'), 'de-DE');
  t.equal(d.title, 'Alles Neue mach der Mai | Blog');
  t.equal(d.body.querySelector('article p')?.textContent, 'Text');
});

t.test('a fragment stays a fragment; a text without elements is its own page', async (t) => {
  t.equal(parseDocument('<div><p>a</p></div>').documentElement.tagName, 'DIV');
  t.equal(parseDocument('only text').body.textContent, 'only text');
});
