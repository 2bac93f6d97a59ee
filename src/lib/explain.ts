// Turns TypeBox validation errors into one line: the key, the value, what was expected.
import Value from 'typebox/value';
import type { TSchema } from 'typebox';

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

function schemaAt(root: TSchema, path: string[]): Tree | undefined {
  let s: Tree | undefined = root as unknown as Tree;
  for (const p of path) {
    if (!s) return undefined;
    if (s['type'] === 'array') s = s['items'] as Tree | undefined;
    else if (s['properties'] && (s['properties'] as Tree)[p]) s = (s['properties'] as Tree)[p] as Tree;
    else if (s['patternProperties']) s = Object.values(s['patternProperties'] as Tree)[0] as Tree;
    else s = undefined;
  }
  return s;
}

/** Returns null when `value` fits `schema`, else one line such as `server.port = "x" (from env PORT): expected …`. */
export function explain(schema: TSchema, value: unknown, originOf: (key: string) => string | undefined): string | null {
  const errors = [...Value.Errors(schema, value)];
  if (errors.length === 0) return null;
  const unknown = errors.find((e) => e.keyword === 'additionalProperties');
  if (unknown) {
    const parent = unknown.instancePath.split('/').filter(Boolean);
    const name = unknown.params.additionalProperties[0];
    const key = [...parent, name].join('.');
    const allowed = Object.keys((schemaAt(schema, parent)?.['properties'] as object | undefined) ?? {}).join(', ');
    const from = originOf(key);
    return `unknown key "${key}"${from ? ` (from ${from})` : ''}: expected one of ${allowed}`;
  }
  // The deepest error is the most specific; union branches report at their parent too.
  const deepest = errors.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a));
  const path = deepest.instancePath.split('/').filter(Boolean);
  const key = path.join('.');
  let v: unknown = value;
  for (const p of path) v = isTree(v) || Array.isArray(v) ? (v as Tree)[p] : undefined;
  const expected = (schemaAt(schema, path)?.['expected'] as string | undefined) ?? deepest.message;
  const from = originOf(key);
  return `${key || '(top level)'} = ${v === undefined ? '(missing)' : JSON.stringify(v)}${from ? ` (from ${from})` : ''}: expected ${expected}`;
}
