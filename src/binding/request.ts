// Consumed operation + the exposed `with` → a function that builds the upstream request.
// Placement decided here once: path placeholders, query, headers, cookies and the body.

import { RuntimeError } from '../errors.js';
import type { ConsumedInputParameter, ConsumedOperation, RequestBody } from '../spec/types.js';
import { compileBody, type Resolve } from './body.js';
import { placeholders, splitPath } from './path.js';
import { parseWithValue, type WithSource } from './references.js';
import { compileTemplate, lookup, soleTag, stringify, type Context } from './template.js';
import type { BuiltRequest, RequestTemplate } from './table.js';

export interface RequestPlanInput {
  readonly upstream: string;
  readonly path: string;
  readonly operation: ConsumedOperation;
  /** Adapter-, resource- and operation-level parameters, later ones overriding earlier ones by name. */
  readonly params: readonly ConsumedInputParameter[];
}

/**
 * A consumed parameter's own `value` template wins (as in the reference engine) when it renders to something;
 * otherwise the same-named entry of the parameter map (an argument, a `with` value, a step output) is sent.
 */
export function compileRequest(plan: RequestPlanInput): RequestTemplate {
  const source = (name: string, param?: ConsumedInputParameter): Resolve => {
    const own = param?.value !== undefined ? resolver(parseWithValue(param.value, '', 'rest')) : undefined;
    if (!own) return (params) => params[name];
    return (params, ctx) => {
      const v = own(params, ctx);
      return v === undefined || v === null || v === '' ? params[name] : v;
    };
  };

  const byName = new Map(plan.params.map((p) => [p.name, p] as const));
  const segments = splitPath(plan.path);
  const pathValues = new Map(placeholders(plan.path).map((n) => [n, source(n, byName.get(n))] as const));
  const placed = (where: ConsumedInputParameter['in']) =>
    plan.params.filter((p) => p.in === where).map((p) => [p.name, source(p.name, p)] as const);
  const query = placed('query');
  const headers = placed('header');
  const cookies = placed('cookie');
  const body = compileBody(plan.operation.body as RequestBody | undefined, placed('body'));

  const build = (params: Readonly<Record<string, unknown>>, vars: Readonly<Record<string, string>>): BuiltRequest => {
    const ctx: Context = { ...vars, ...params };
    const path = segments
      .map((s) => (typeof s === 'string' ? s : encodeSegment(s.name, pathValues.get(s.name)?.(params, ctx))))
      .join('');
    const q: Array<[string, string]> = [];
    for (const [name, r] of query) {
      const v = r(params, ctx);
      if (v === undefined || v === null) continue;
      for (const item of Array.isArray(v) ? v : [v]) q.push([name, stringify(item)]);
    }
    const h: Record<string, string> = {};
    for (const [name, r] of headers) setHeader(h, name, r(params, ctx));
    const cookie = cookies
      .map(([name, r]) => [name, r(params, ctx)] as const)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([name, v]) => `${name}=${encodeURIComponent(stringify(v))}`);
    if (cookie.length) h['cookie'] = cookie.join('; ');
    const built = body(params, ctx);
    return { path, query: q, headers: h, ...(built ? { body: built } : {}) };
  };

  return { upstream: plan.upstream, method: plan.operation.method, pathTemplate: plan.path, build };
}

/** How one `with` value (or a consumed parameter's own `value`) is read from the parameter map. */
export function resolver(w: WithSource): Resolve {
  switch (w.kind) {
    case 'argument':
      return (params) => params[w.name];
    case 'literal':
      return () => w.value;
    case 'template': {
      // A value that is exactly one tag keeps its JSON type (a number stays a number).
      const sole = w.sole ?? soleTag(w.text);
      if (sole) return (_args, ctx) => lookup(ctx, sole);
      const render = compileTemplate(w.text);
      return (_args, ctx) => render(ctx);
    }
  }
}

function encodeSegment(name: string, value: unknown): string {
  const text = stringify(value);
  // Never call the collection (or anything else) in place of the item (DESIGN §3.5).
  if (text === '')
    throw new RuntimeError('NAF_ERR_MISSING_ARGUMENT', `Missing argument '${name}': required for the upstream path`, {
      argument: name,
    });
  if (text === '.' || text === '..')
    throw new RuntimeError('NAF_ERR_INVALID_ARGUMENT', `Invalid argument '${name}': must not be '${text}'`, {
      argument: name,
    });
  return encodeURIComponent(text);
}

function setHeader(h: Record<string, string>, name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const text = stringify(value);
  if (/[\r\n\0]/.test(text))
    throw new RuntimeError(
      'NAF_ERR_INVALID_ARGUMENT',
      `Invalid argument '${name}': header values must not contain CR, LF or NUL`,
      { argument: name },
    );
  h[name.toLowerCase()] = text;
}
