// The article's language as a BCP 47 tag ("en-GB", "zh-Hant"), from whatever upstream wrote.

export function toLanguage(raw: string | undefined): string | null {
  if (!raw) return null;
  const tag = raw.trim().replace(/_/g, '-');
  if (!/^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i.test(tag)) return null;
  const [lang = '', ...rest] = tag.split('-');
  return [lang.toLowerCase(), ...rest.map((p) => (p.length === 2 ? p.toUpperCase() : p.length === 4 ? p[0]!.toUpperCase() + p.slice(1).toLowerCase() : p.toLowerCase()))].join('-');
}
