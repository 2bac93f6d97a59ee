// Bytes -> text. The charset comes from the BOM, then Content-Type, then the document's own
// declaration (XML prolog, <meta charset>, http-equiv), else UTF-8; iconv-lite does the decoding.
import iconv from 'iconv-lite';

// Single-byte charsets: a document labelled with one of these whose every high byte forms valid
// multi-byte UTF-8 is UTF-8 (real single-byte text essentially never does).
const SINGLE_BYTE = /^(?:iso-?8859-\d+|latin\d?|l\d|us-ascii|ascii|windows-125\d|cp125\d|koi8-?[ru]|cp866|ibm866|x-mac-cyrillic|macintosh)$/;

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

const CYRILLIC_LOWER = /[а-яё]/g;
const CYRILLIC_UPPER = /[А-ЯЁ]/g;

/**
 * No label anywhere: UTF-8 when the bytes are valid UTF-8 (or plain ASCII); else the single-byte
 * charset that reads best. Russian and Kazakh sources are the usual case: windows-1251 and
 * KOI8-R put lower and upper case in swapped halves, and running text is mostly lower case.
 */
function guess(buf: Buffer): string {
  const sample = buf.subarray(0, 64 * 1024);
  let high = 0;
  for (const b of sample) if (b >= 0x80) high++;
  if (high === 0 || looksLikeUtf8(buf)) return 'utf-8';
  const read = (cs: string) => {
    // Letters of the text, not of the markup around it.
    const t = iconv.decode(sample, cs).replace(/<[^>]*>/g, ' ');
    const lower = t.match(CYRILLIC_LOWER)?.length ?? 0;
    const upper = t.match(CYRILLIC_UPPER)?.length ?? 0;
    const letters = t.match(/\p{L}/gu)?.length ?? 1;
    return { score: lower - upper, share: (lower + upper) / letters };
  };
  const cp1251 = read('windows-1251').score;
  const koi8 = read('koi8-r').score;
  // Cyrillic text is mostly Cyrillic letters; "Café" read as windows-1251 is "Cafй", one in four.
  if (read('windows-1251').share < 0.5) return 'windows-1252';
  return koi8 > cp1251 ? 'koi8-r' : 'windows-1251';
}

export interface Decoded {
  text: string;
  charset: string;
}

export function decode(buf: Buffer, contentType?: string): Decoded {
  const b = bom(buf);
  if (b) return { text: iconv.decode(buf.subarray(b.length), b.charset), charset: b.charset };
  let charset = fromContentType(contentType) ?? fromDocument(buf) ?? guess(buf);
  // The classic lie: UTF-8 bytes labelled Latin-1 (or any single-byte charset).
  if (SINGLE_BYTE.test(charset) && looksLikeUtf8(buf)) charset = 'utf-8';
  if (!iconv.encodingExists(charset)) charset = 'utf-8';
  // iconv-lite turns invalid bytes into U+FFFD rather than throwing.
  return { text: iconv.decode(buf, charset), charset: iconv.encodingExists(charset) ? charset : 'utf-8' };
}
