// Mustache-style `{{name}}` templates, compiled once into functions over a context.
// The subset Naftiko uses: plain and dotted names, no sections, no HTML escaping.

const TAG = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

export type Context = Readonly<Record<string, unknown>>;
export type Render = (ctx: Context) => string;

/** Names referenced by a template, in order of first use. */
export function templateNames(text: string): string[] {
  return [...new Set([...text.matchAll(TAG)].map((m) => m[1] as string))];
}

export function hasTemplate(text: string): boolean {
  return templateNames(text).length > 0;
}

/** Compiles `text` into a function; unknown names render as empty strings, as in the reference engine. */
export function compileTemplate(text: string): Render {
  const parts: Array<string | string[]> = [];
  let last = 0;
  for (const m of text.matchAll(TAG)) {
    parts.push(text.slice(last, m.index), (m[1] as string).split('.'));
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  if (parts.length === 1) return () => text;
  return (ctx) => parts.map((p) => (typeof p === 'string' ? p : stringify(lookup(ctx, p)))).join('');
}

/** When `text` is exactly one tag, returns its path so the value can keep its JSON type. */
export function soleTag(text: string): string[] | undefined {
  const m = /^\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}$/.exec(text);
  return m ? (m[1] as string).split('.') : undefined;
}

export function lookup(ctx: Context, path: readonly string[]): unknown {
  // A dotted name may also be a flat key (`env.LOGTO_API_KEY` stored as one bind variable).
  const flat = path.join('.');
  if (path.length > 1 && flat in ctx) return ctx[flat];
  let value: unknown = ctx;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Objects and arrays render as JSON (the reference engine printed Java's Map.toString for objects). */
export function stringify(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
