// Text every output can carry: C0 and C1 control characters (but tab and newline) and lone
// surrogates removed. The XML writers would drop them and the JSON API would pass them on, so
// they go when the article is made, once, and every output then says the same thing.
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const UNWANTED = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(s: string): string {
  UNWANTED.lastIndex = 0;
  if (!UNWANTED.test(s)) return s;
  // A carriage return ends a line (alone, as old Macs wrote it, or before a newline).
  return s.replace(/\r\n?/g, '\n').replace(UNWANTED, '');
}

/** Every string in `value` (objects and arrays walked), cleaned; the same value when none needed it. */
export function cleanStrings<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => cleanStrings(v)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, cleanStrings(v)])) as T;
  }
  return value;
}
