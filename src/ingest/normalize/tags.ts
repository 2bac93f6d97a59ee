// Tags: the item's categories (platform defaults and internal tags left out, as the rules' "tags"
// list them) and the source's tag rules matched in the title and text; one tag per label.
import type { Tag } from '../../model/article.ts';
import { slugify } from '../../lib/slugify.ts';
import type { RawItem } from '../format/raw.ts';
import { platformRules } from '../rules/rules.ts';
import { normalizeSpace } from '../text.ts';
import { decodeEntities } from './entities.ts';

/** Singular, accent- and case-free key: tags differing only in these merge. */
function tagKey(label: string): string {
  const slug = slugify(label);
  return slug.replace(/(?<=[a-z]{3})(?:ies)$/, 'y').replace(/(?<=[a-z]{3}[^s])s$/, '');
}

export function tagsOf(item: RawItem, text: string, title: string, rules: Record<string, string[]>, max: number): Tag[] {
  const { defaultCategories, hiddenPrefixes } = platformRules().tags;
  const out: Tag[] = [];
  const keys = new Set<string>();
  // A rule's words are aliases of its label: a category "ОДКБ" under the rule
  // CSTO: [ОДКБ, Collective Security Treaty Organization] is the tag CSTO.
  const aliases = new Map<string, string>();
  for (const [label, words] of Object.entries(rules)) for (const w of words) aliases.set(tagKey(w), label);
  const add = (raw: string) => {
    const label = aliases.get(tagKey(normalizeSpace(decodeEntities(raw)))) ?? raw;
    const clean = normalizeSpace(decodeEntities(label));
    const slug = slugify(clean);
    // Platform defaults say nothing; internal tags (Ghost's "#tags") are never shown to readers.
    if (!clean || !slug || hiddenPrefixes.some((p) => clean.startsWith(p)) || defaultCategories.has(slug.replace(/-/g, ' '))) return;
    const key = tagKey(clean);
    if (keys.has(key) || out.some((t) => t.slug === slug)) return;
    keys.add(key);
    out.push({ label: clean, slug });
  };
  item.categories.forEach(add);
  const haystack = `${title}\n${text}`;
  for (const [label, words] of Object.entries(rules)) {
    const hit = words.some((w) => new RegExp(`(?<![\\p{L}\\p{N}])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}])`, 'iu').test(haystack));
    if (hit) add(label);
  }
  return out.slice(0, max);
}
