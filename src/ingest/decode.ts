// Bytes -> text. The charset comes from the BOM, then Content-Type, then the document's own
// declaration (XML prolog, <meta charset>, http-equiv), else UTF-8; iconv-lite does the decoding.
import iconv from 'iconv-lite';

const LATIN = new Set(['iso-8859-1', 'latin1', 'l1', 'us-ascii', 'ascii', 'windows-1252', 'cp1252', 'iso8859-1']);

function bom(buf: Buffer): { charset: string; length: number } | null {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { charset: 'utf-8', length: 3 };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { charset: 'utf-16le', length: 2 };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { charset: 'utf-16be', length: 2 };
  return null;
}

function fromContentType(contentType: string | undefined): string | null {
  const m = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '');
  return m ? m[1]!.toLowerCase() : null;
}

/** The charset a document declares about itself, read from its first bytes as ASCII. */
function fromDocument(buf: Buffer): string | null {
  // UTF-16 without a BOM still shows its prolog as ASCII with NULs between.
  if (buf[0] === 0x3c && buf[1] === 0x00) return 'utf-16le';
  if (buf[0] === 0x00 && buf[1] === 0x3c) return 'utf-16be';
  const head = buf.subarray(0, 2048).toString('latin1');
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  if (xml) return xml[1]!.toLowerCase();
  const meta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head);
  return meta ? meta[1]!.toLowerCase() : null;
}

/** True when the bytes hold multi-byte UTF-8 sequences and nothing that is invalid UTF-8. */
function looksLikeUtf8(buf: Buffer): boolean {
  let multibyte = false;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b < 0x80) continue;
    let n = b >= 0xf0 && b <= 0xf4 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b < 0xe0 ? 1 : -1;
    if (n < 0) return false;
    for (; n > 0; n--) {
      const c = buf[++i];
      if (c === undefined || (c & 0xc0) !== 0x80) return false;
    }
    multibyte = true;
  }
  return multibyte;
}

export interface Decoded {
  text: string;
  charset: string;
}

export function decode(buf: Buffer, contentType?: string): Decoded {
  const b = bom(buf);
  if (b) return { text: iconv.decode(buf.subarray(b.length), b.charset), charset: b.charset };
  let charset = fromContentType(contentType) ?? fromDocument(buf) ?? 'utf-8';
  // The classic lie: UTF-8 bytes labelled Latin-1. Valid multi-byte UTF-8 is almost never Latin-1 text.
  if (LATIN.has(charset) && looksLikeUtf8(buf)) charset = 'utf-8';
  if (!iconv.encodingExists(charset)) charset = 'utf-8';
  // iconv-lite turns invalid bytes into U+FFFD rather than throwing.
  return { text: iconv.decode(buf, charset), charset: iconv.encodingExists(charset) ? charset : 'utf-8' };
}
