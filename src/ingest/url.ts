// The one absolute-URL helper of ingest: links, images, authors' pages and media all resolve
// against the item's URL the same way, and only web URLs (or the schemes a caller adds) survive.

const WEB = ['http:', 'https:'];

/** `url` resolved against `base`, if it parses and its scheme is one of `schemes`. */
export function absoluteUrl(url: string | null | undefined, base: string, schemes: readonly string[] = WEB): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url.trim(), base);
    return schemes.includes(u.protocol) ? u.href : undefined;
  } catch {
    return undefined;
  }
}
