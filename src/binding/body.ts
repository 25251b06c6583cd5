// The upstream request body: an explicit `body:` template wins; otherwise the consumed `in: body`
// parameters become a JSON body (DESIGN §3.6) — one parameter is the body, several form an object.

import type { RequestBody } from '../spec/types.js';
import { compileJsonTemplate } from './json-template.js';
import { compileTemplate, lookup, soleTag, type Context } from './template.js';

export type Resolve = (args: Readonly<Record<string, unknown>>, ctx: Context) => unknown;
export type BuiltBody = { contentType: string; text: string } | undefined;
export type BodyBuilder = (args: Readonly<Record<string, unknown>>, ctx: Context) => BuiltBody;

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json',
  text: 'text/plain; charset=utf-8',
  xml: 'application/xml',
  sparql: 'application/sparql-query',
  formUrlEncoded: 'application/x-www-form-urlencoded',
};

export function compileBody(
  template: RequestBody | undefined,
  params: ReadonlyArray<readonly [string, Resolve]>,
): BodyBuilder {
  if (template !== undefined) return compileTemplateBody(template);
  if (params.length === 0) return () => undefined;
  const first = params[0];
  if (params.length === 1 && first) return (args, ctx) => json(first[1](args, ctx));
  return (args, ctx) => {
    const obj = Object.fromEntries(params.map(([name, r]) => [name, r(args, ctx)]).filter(([, v]) => v !== undefined));
    return Object.keys(obj).length ? json(obj) : undefined;
  };
}

function json(value: unknown): BuiltBody {
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    // A string that is already JSON goes as is; anything else is text.
    try {
      JSON.parse(value);
      return { contentType: 'application/json', text: value };
    } catch {
      return { contentType: 'text/plain; charset=utf-8', text: value };
    }
  }
  return { contentType: 'application/json', text: JSON.stringify(value) };
}

function compileTemplateBody(template: RequestBody): BodyBuilder {
  if (typeof template === 'string') {
    const render = compileJsonTemplate(template);
    return (_args, ctx) => ({ contentType: 'application/json', text: render(ctx) });
  }
  const contentType = CONTENT_TYPES[template.type] ?? 'application/json';
  const render = compileDeep(template.data);
  const form = template.type === 'formUrlEncoded';
  return (_args, ctx) => {
    const data = render(ctx);
    if (typeof data === 'string') return { contentType, text: data };
    if (form && data && typeof data === 'object') {
      const entries = Object.entries(data as Record<string, unknown>).map(([k, v]): [string, string] => [
        k,
        String(v ?? ''),
      ]);
      return { contentType, text: new URLSearchParams(entries).toString() };
    }
    return { contentType, text: JSON.stringify(data ?? null) };
  };
}

/** String leaves are templates; a leaf that is exactly one tag keeps the value's JSON type. */
function compileDeep(value: unknown): (ctx: Context) => unknown {
  if (typeof value === 'string') {
    const sole = soleTag(value);
    if (sole) return (ctx) => lookup(ctx, sole);
    const render = compileTemplate(value);
    return (ctx) => render(ctx);
  }
  if (Array.isArray(value)) {
    const items = value.map(compileDeep);
    return (ctx) => items.map((f) => f(ctx));
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, compileDeep(v)] as const);
    return (ctx) => Object.fromEntries(entries.map(([k, f]) => [k, f(ctx)]));
  }
  return () => value;
}
