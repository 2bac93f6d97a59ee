// The allow-list every piece of upstream HTML passes before it is stored: only plain article
// markup survives, every URL is made absolute, links cannot reach back into the reader's page.
import sanitizeHtml from 'sanitize-html';
import { absoluteUrl } from '../url.ts';

// Links may also be mail addresses; images and citations only web URLs (checked below).
const LINK_SCHEMES = ['http:', 'https:', 'mailto:'];
const absolute = (url: string | undefined, base: string) => absoluteUrl(url, base, LINK_SCHEMES);

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'q', 'cite', 'pre', 'code', 'kbd', 'samp',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'b', 'strong', 'i', 'em', 'u', 's', 'del', 'ins', 'mark', 'small',
  'sub', 'sup', 'abbr', 'time', 'span', 'div', 'section', 'article', 'aside', 'figure', 'figcaption', 'img',
  'picture', 'table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'colgroup', 'col', 'details', 'summary',
];

export function sanitize(html: string, baseUrl: string): string {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      blockquote: ['cite'],
      q: ['cite'],
      time: ['datetime'],
      abbr: ['title'],
      ol: ['start', 'reversed', 'type'],
      td: ['colspan', 'rowspan', 'headers'],
      th: ['colspan', 'rowspan', 'headers', 'scope'],
      col: ['span'],
      colgroup: ['span'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
    allowProtocolRelative: false,
    nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'template', 'title', 'svg', 'math'],
    transformTags: {
      a: (tagName, attribs) => {
        const href = absolute(attribs['href'], baseUrl);
        const out: Record<string, string> = { ...attribs, rel: 'noopener noreferrer' };
        if (href) out['href'] = href;
        else delete out['href'];
        return { tagName, attribs: out };
      },
      img: (tagName, attribs) => {
        const src = absolute(attribs['src'], baseUrl);
        const out: Record<string, string> = { ...attribs };
        if (src && !src.startsWith('mailto:')) out['src'] = src;
        else delete out['src'];
        return { tagName, attribs: out };
      },
      blockquote: (tagName, attribs) => {
        const cite = absolute(attribs['cite'], baseUrl);
        const out: Record<string, string> = { ...attribs };
        if (cite) out['cite'] = cite;
        else delete out['cite'];
        return { tagName, attribs: out };
      },
    },
    // An image without a source is no image.
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs['src'],
  });
}
