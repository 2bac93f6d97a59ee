// The one DOM type layer: the part of the DOM the page and content steps use, typed once.
// linkedom's own declarations name browser globals (Window, Document) that this project, built
// without the DOM lib, does not have, so its values arrive untyped; they are given these types
// here, at the one place documents are made, and nowhere else.
import { parseHTML } from 'linkedom';

export interface DomNode {
  nodeType: number;
  textContent: string | null;
  previousSibling: DomNode | null;
  nextSibling: DomNode | null;
  firstChild: DomNode | null;
}

export interface DomElement extends DomNode {
  tagName: string;
  id: string;
  className: string;
  parentElement: DomElement | null;
  previousElementSibling: DomElement | null;
  nextElementSibling: DomElement | null;
  firstElementChild: DomElement | null;
  /** A fresh array on linkedom at every read: read once per walk, not per index. */
  children: ArrayLike<DomElement>;
  childNodes: ArrayLike<DomNode>;
  innerHTML: string;
  classList: { contains(c: string): boolean };
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  hasAttribute(name: string): boolean;
  getAttributeNames(): string[];
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
  closest(selectors: string): DomElement | null;
  appendChild(node: DomNode): DomNode;
  remove(): void;
  replaceWith(...nodes: DomNode[]): void;
}

export interface DomDocument {
  documentElement: DomElement;
  body: DomElement;
  title: string;
  createElement(tagName: string): DomElement;
  createTextNode(text: string): DomNode;
}

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;

export function isElement(node: DomNode): node is DomElement {
  return node.nodeType === ELEMENT_NODE;
}

/** A whole page. */
export function parseDocument(html: string): DomDocument {
  const { document } = parseHTML(html) as unknown as { document: DomDocument | { documentElement: null } };
  // linkedom makes no <html> for a text without a single element; read it as that text's page,
  // so every document has its root element (as a browser's does).
  if (!document.documentElement) return parseDocument(`<html><head></head><body>${html}</body></html>`);
  // Text before the page's <!DOCTYPE> or <html> (a server's PHP warnings) makes linkedom take
  // the first element there for the root and lose the page; a browser keeps the page, so the
  // page is read from its own start.
  if (document.documentElement.tagName !== 'HTML') {
    const start = html.search(/<!doctype\s+html|<html[\s>]/i);
    if (start > 0) return parseDocument(html.slice(start));
  }
  return document;
}

/** A piece of HTML (feed content, a noscript's image) as the body of an empty document. */
export function parseFragment(html: string): DomDocument {
  return parseDocument(`<!doctype html><html><head></head><body>${html}</body></html>`);
}
