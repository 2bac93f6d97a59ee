// The one escaping module for what publish writes: XML (Atom, RSS, OPML) and HTML (the index page).

/** Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
// eslint-disable-next-line no-control-regex -- matching the C0 controls XML forbids is the point
const ILLEGAL_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Drops what no XML 1.0 document may hold; HTML output goes through it too, so all outputs agree. */
export function xmlSafe(s: string): string {
  return s.replace(ILLEGAL_XML, '');
}

/** Element text in XML. */
export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in XML or HTML, and any text in HTML: quotes too, so one rule fits both places. */
export function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An XML attribute whose line breaks and tabs are data: a parser normalizes raw ones to spaces. */
export function escapeAttrKeepingBreaks(s: string): string {
  return escapeAttr(s).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** "]]>" cannot appear inside a CDATA section: split it across two. */
export const cdata = (text: string) => `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

/** HTML that goes where "]]>" would end a CDATA section; in HTML "]]&gt;" reads the same. */
export const noCdataEnd = (html: string) => html.replace(/]]>/g, ']]&gt;');
