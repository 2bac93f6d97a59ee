// The one absolute-URL helper of ingest: links, images, authors' pages and media all resolve
// against the item's URL the same way, and only web URLs (or the schemes a caller adds) survive.

const WEB = ['http:', 'https:'];

/** The longest URL kept; a longer one is dropped rather than carried into every output. */
export const MAX_URL_LENGTH = 8192;

// WHATWG serialization leaves these as they are in a path, query or fragment, but RFC 3986 (and
// so every validator, schema and strict reader) does not allow them there.
const NOT_RFC3986 = /[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]|%(?![0-9A-Fa-f]{2})/g;
const encodeOne = (c: string) => (c === '%' ? '%25' : encodeURIComponent(c).replace(/[!'()*]/g, (x) => `%${x.charCodeAt(0).toString(16).toUpperCase()}`));

/** `url` resolved against `base`, if it parses, its scheme is one of `schemes`, and it fits in
 * MAX_URL_LENGTH; serialized so that RFC 3986 accepts it (brackets, pipes and the like in the
 * path, query and fragment percent-encoded, the host in its ASCII form). */
export function absoluteUrl(url: string | null | undefined, base: string, schemes: readonly string[] = WEB): string | undefined {
  if (!url) return undefined;
  let u: URL;
  try {
    u = new URL(url.trim(), base);
  } catch {
    return undefined;
  }
  if (!schemes.includes(u.protocol)) return undefined;
  const href = rfc3986(u);
  return href.length <= MAX_URL_LENGTH ? href : undefined;
}

function rfc3986(u: URL): string {
  const head = `${u.protocol}${u.host || u.pathname.startsWith('//') ? '//' : ''}${u.username ? `${u.username}${u.password ? `:${u.password}` : ''}@` : ''}${u.host}`;
  // A fragment runs to the end: a second "#" inside it is data.
  const tail = `${u.pathname}${u.search}${u.hash.slice(0, 1)}${u.hash.slice(1).replaceAll('#', '%23')}`;
  return `${head}${tail.replace(NOT_RFC3986, encodeOne)}`;
}
