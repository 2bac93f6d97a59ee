// The platform rules file loads, and a bad rule is refused with the file, the key and the reason.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadRules, RULES_PATH, RulesError } from '../../../src/ingest/rules/rules.ts';

// The parts of the rules file the bad edits below touch.
interface RulesJson {
  [key: string]: unknown;
  images: { never: string[] };
  chrome: { ghost: string[] };
  captions: Array<{ container: string }>;
  tags: { hiddenPrefixes: unknown };
}
const shipped = JSON.parse(readFileSync(RULES_PATH, 'utf8')) as RulesJson;

t.test('the shipped rules load and compile', async (t) => {
  const r = loadRules();
  t.ok(r.chrome.includes('.sharedaddy'));
  t.ok(r.links.trackingParameter.test('utm_source'));
  t.notOk(r.links.trackingParameter.test('source'));
  t.ok(r.readMore.test('The rest of it… Read more »'));
  t.ok(r.feedFooter.test('Text. The post Hello appeared first on Blog.'));
  t.ok(r.tags.defaultCategories.has('uncategorized'));
  t.same(r.captions[0], { container: '.wp-caption', caption: '.wp-caption-text', tag: undefined, cls: 'wp-caption' });
});

const bad: Array<[what: string, edit: (r: RulesJson) => void, message: RegExp]> = [
  ['a pattern that is no regular expression', (r) => r.images.never.push('(unclosed'), /images\.never\.16: "\(unclosed" is not a regular expression/],
  ['a selector the DOM rejects', (r) => r.chrome.ghost.push('div[[x'), /chrome\.ghost\.8: "div\[\[x" is not a selector/],
  ['an unknown key', (r) => (r.chromes = {}), /unknown key "chromes"/],
  ['a caption container that is not tag.class', (r) => (r.captions[0]!.container = 'div > .x'), /captions\.0\.container = "div > \.x": expected a container as tag\.class or \.class/],
  ['a list where a list of strings belongs', (r) => (r.tags.hiddenPrefixes = '#'), /tags\.hiddenPrefixes = "#"/],
];

for (const [what, edit, message] of bad) {
  t.test(`${what} stops loading, naming file and key`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'feedrelay-rules-'));
    t.teardown(() => { rmSync(dir, { recursive: true, force: true }); });
    const rules = structuredClone(shipped);
    edit(rules);
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify(rules));
    t.throws(() => loadRules(file), RulesError);
    t.throws(() => loadRules(file), { message: message });
    t.throws(() => loadRules(file), { message: new RegExp(`^rules: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `) });
  });
}

t.test('a missing or broken file is named', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'feedrelay-rules-'));
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }); });
  t.throws(() => loadRules(join(dir, 'none.json')), { message: /none\.json: \(file\): ENOENT/ });
  writeFileSync(join(dir, 'broken.json'), '{ "chrome": ');
  t.throws(() => loadRules(join(dir, 'broken.json')), { message: /broken\.json: \(file\): / });
});
