// One rendered document as it is served: the identity bytes and their gzip and brotli forms,
// each with its own strong ETag, all made once when the document is rendered.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type Coding = 'br' | 'gzip' | 'identity';
export const CODINGS: readonly Coding[] = ['br', 'gzip', 'identity'];

export interface Representation {
  contentType: string;
  /** The newest change among the entries, to the second (HTTP dates have no finer grain); null when there are none. */
  lastModified: Date | null;
  /** lastModified as the Last-Modified header writes it, made once rather than on every request. */
  lastModifiedHeader: string | null;
  bodies: Record<Coding, Buffer>;
  /** Strong validators: a different byte sequence gets a different tag (RFC 9110 §8.8.3). */
  etags: Record<Coding, string>;
  /** An RFC 8288 Link header value (paging links of an API page), when the document has one. */
  link?: string;
  /** Bytes held, all codings together. */
  bytes: number;
}

const gz = promisify(gzip);
const br = promisify(brotliCompress);

// Compressed once per change and served many times: gzip at its best level costs a few ms; brotli
// above 9 costs seconds on a large feed for a few percent, so it stops there.
const GZIP = { level: 9 };
const BROTLI_PARAMS = { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT };

export async function represent(body: string | Buffer, contentType: string, lastModified: Date | null, link?: string): Promise<Representation> {
  const identity = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const brotliOpts = { params: { ...BROTLI_PARAMS, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length } };
  // zlib's async forms run on the thread pool: a large render does not stall requests being served.
  const [gzipped, brotli] = await Promise.all([gz(identity, GZIP), br(identity, brotliOpts)]);
  const tag = createHash('sha256').update(identity).digest('base64url').slice(0, 27);
  const modified = lastModified && lastModified.getTime() > 0 ? new Date(Math.floor(lastModified.getTime() / 1000) * 1000) : null;
  return {
    contentType,
    lastModified: modified,
    lastModifiedHeader: modified ? modified.toUTCString() : null,
    bodies: { identity, gzip: gzipped, br: brotli },
    etags: { identity: `"${tag}"`, gzip: `"${tag}-gzip"`, br: `"${tag}-br"` },
    ...(link ? { link } : {}),
    bytes: identity.length + gzipped.length + brotli.length,
  };
}
