// Walking an xml-js element tree (compact: false) in tests: a missing element fails with its name.
import type { Element as XmlElement } from 'xml-js';

export function child(el: XmlElement, name: string): XmlElement {
  const found = el.elements?.find((e) => e.name === name);
  if (!found) throw new Error(`no <${name}> in <${el.name ?? '#document'}>`);
  return found;
}

export const children = (el: XmlElement, name?: string): XmlElement[] => (el.elements ?? []).filter((e) => name === undefined || e.name === name);
export const attr = (el: XmlElement, name: string): string | number | undefined => el.attributes?.[name];
