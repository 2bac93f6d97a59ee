// xml-js's compact tree, and the tree back to XML text.
import { cdata, escapeAttr, escapeText, xmlSafe } from './escape.ts';

export type Node = Record<string, unknown> & { _attributes?: Record<string, unknown> };

export const asArray = (v: unknown): Node[] => (v === undefined ? [] : Array.isArray(v) ? (v as Node[]) : [v as Node]);

/**
 * The compact tree back to XML. Not xml-js's js2xml: it un-escapes "&amp;" before escaping, so a
 * title that says "&amp;" came out as "&", and it splits only the first "]]>" of a CDATA section
 * (found by the property test in test/publish/hostile-property.test.ts).
 */
export function serialize(doc: Node): string {
  const out: string[] = [];
  const decl = doc['_declaration'] as Node | undefined;
  if (decl) out.push(`<?xml${attrs(decl['_attributes'])}?>`);
  for (const [name, value] of Object.entries(doc)) if (!name.startsWith('_')) element(name, value, 0, out);
  return out.join('\n');
}

function attrs(a: Record<string, unknown> | undefined): string {
  return a ? Object.entries(a).map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`).join('') : '';
}

function element(name: string, value: unknown, depth: number, out: string[]): void {
  if (Array.isArray(value)) {
    for (const v of value) element(name, v, depth, out);
    return;
  }
  const pad = '  '.repeat(depth);
  const node = (value ?? {}) as Node;
  const open = `${pad}<${name}${attrs(node['_attributes'])}`;
  const texts = ([] as unknown[]).concat(node['_text'] ?? []).map((t) => escapeText(xmlSafe(String(t))));
  const cdatas = ([] as unknown[]).concat(node['_cdata'] ?? []).map((t) => cdata(xmlSafe(String(t))));
  const children = Object.entries(node).filter(([k]) => !k.startsWith('_'));
  if (children.length === 0) {
    const inner = [...texts, ...cdatas].join('');
    out.push(inner ? `${open}>${inner}</${name}>` : `${open}/>`);
    return;
  }
  out.push(`${open}>${[...texts, ...cdatas].join('')}`);
  for (const [k, v] of children) element(k, v, depth + 1, out);
  out.push(`${pad}</${name}>`);
}
