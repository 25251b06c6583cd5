// A `body:` text template that is JSON (the tutorial's create-voyage) rendered as JSON, not as text: a tag
// inside a JSON string is string-escaped, so a caller's `"` cannot end the string and inject keys; a tag in
// a value position is a JSON value, so an absent optional argument is `null` (plain text rendering sent
// `"cargoIds": }`). A template that is not JSON with its tags filled in renders as plain text, as before.

import { compileTemplate, lookup, type Context, type Render } from './template.js';

const TAG = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

interface Slot {
  readonly path: readonly string[];
  readonly inString: boolean;
}

export function compileJsonTemplate(text: string): Render {
  const parts: Array<string | Slot> = [];
  let last = 0;
  for (const m of text.matchAll(TAG)) {
    parts.push(text.slice(last, m.index));
    parts.push({ path: (m[1] as string).split('.'), inString: insideString(text, m.index) });
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  if (parts.length === 1 || !isJson(parts)) return compileTemplate(text);
  return (ctx: Context) =>
    parts
      .map((p) =>
        typeof p === 'string' ? p : p.inString ? inString(lookup(ctx, p.path)) : asValue(lookup(ctx, p.path)),
      )
      .join('');
}

/** Whether offset `at` of `text` is inside a JSON string literal (an odd number of unescaped quotes before it). */
function insideString(text: string, at: number): boolean {
  let open = false;
  for (let i = 0; i < at; i++) {
    const c = text[i];
    if (c === '\\' && open) i++;
    else if (c === '"') open = !open;
  }
  return open;
}

/** The template is JSON when its slots, filled with neutral values, parse. */
function isJson(parts: ReadonlyArray<string | Slot>): boolean {
  try {
    JSON.parse(parts.map((p) => (typeof p === 'string' ? p : p.inString ? '' : 'null')).join(''));
    return true;
  } catch {
    return false;
  }
}

function inString(v: unknown): string {
  if (v === undefined || v === null) return '';
  const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return JSON.stringify(text).slice(1, -1);
}

/** A value slot: absent → null; a string that is itself one JSON value (`5`, `true`) goes as it is. */
function asValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v !== 'string') return JSON.stringify(v);
  try {
    JSON.parse(v);
    return v;
  } catch {
    return JSON.stringify(v);
  }
}
