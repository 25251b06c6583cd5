// A tool's declared outputSchema and the structuredContent that conforms to it, from the binding's upstream
// response schema (src/contracts). The root is always an object, so both protocol eras see the same shape:
// an array (or scalar) answer goes under `result`, and a list answer carries `pagination` from the upstream's
// Total-Number and Link headers, telling the model how many there are and which arguments fetch the next page.

import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsNs from 'ajv-formats';
import type { Binding, JsonSchema, McpExposure } from '../../binding/table.js';

export interface ToolOutput {
  readonly schema: JsonSchema;
  /** The upstream value is put under `result`. */
  readonly wrapped: boolean;
  /** Checks a structuredContent before it goes out: a client holds us to the declared schema. */
  readonly check: ValidateFunction;
  /** The tool's argument names and types, to turn a Link URL's query into the next call's arguments. */
  readonly args: ReadonlyMap<string, unknown>;
}

const PAGE_ARGS = {
  type: 'object',
  description: 'Arguments for this tool that fetch that page (the same filters, the page changed).',
  additionalProperties: true,
} as const;

const PAGINATION_SCHEMA: JsonSchema = {
  type: 'object',
  description:
    'Present when the upstream paginated the list (its Total-Number and Link headers; give page or page_size to paginate).',
  properties: {
    total: { type: 'integer', minimum: 0, description: "The upstream's Total-Number: how many entries it counts." },
    next: { ...PAGE_ARGS, description: 'Arguments that fetch the next page; absent on the last page.' },
    prev: { ...PAGE_ARGS, description: 'Arguments that fetch the previous page; absent on the first page.' },
    first: { ...PAGE_ARGS, description: 'Arguments that fetch the first page.' },
    last: { ...PAGE_ARGS, description: 'Arguments that fetch the last page.' },
  },
  additionalProperties: false,
};

let ajv: Ajv2020 | undefined;

/** Built once per tool at start-up; undefined when the binding has no upstream response schema. */
export function toolOutput(b: Binding): ToolOutput | undefined {
  const response = b.response?.schema;
  if (!response) return undefined;
  const isObject = response['type'] === 'object';
  const isList = response['type'] === 'array';
  const schema: JsonSchema = isObject
    ? response
    : {
        type: 'object',
        properties: { result: response, ...(isList ? { pagination: PAGINATION_SCHEMA } : {}) },
        required: ['result'],
        additionalProperties: false,
      };
  if (!ajv) {
    ajv = new Ajv2020({ allErrors: false, strict: false });
    addFormatsNs.default(ajv);
  }
  return {
    schema,
    wrapped: !isObject,
    check: ajv.compile(schema),
    args: new Map(b.input.args.map((a) => [a.name, a.schema['type']])),
  };
}

export interface Structured {
  readonly value: Record<string, unknown>;
  /** A sentence for the model about the other pages, when the upstream paginated. */
  readonly hint?: string;
}

export function structuredFor(
  output: ToolOutput,
  body: unknown,
  headers: Readonly<Record<string, string>>,
  tool: McpExposure,
): Structured {
  if (!output.wrapped) return { value: body as Record<string, unknown> };
  const pagination = Array.isArray(body) ? paginationOf(headers, output.args) : undefined;
  return {
    value: { result: body, ...(pagination ? { pagination } : {}) },
    ...(pagination ? { hint: hintFor(pagination, tool.name, Array.isArray(body) ? body.length : 0) } : {}),
  };
}

type Pagination = { total?: number } & Partial<Record<'next' | 'prev' | 'first' | 'last', Record<string, unknown>>>;

function paginationOf(
  headers: Readonly<Record<string, string>>,
  args: ReadonlyMap<string, unknown>,
): Pagination | undefined {
  const out: Pagination = {};
  const total = headers['total-number'];
  if (total !== undefined && /^\d+$/.test(total.trim())) out.total = Number(total.trim());
  for (const { rel, url } of parseLink(headers['link'] ?? '')) {
    if (rel !== 'next' && rel !== 'prev' && rel !== 'first' && rel !== 'last') continue;
    const call = argumentsFrom(url, args);
    if (call) out[rel] = call;
  }
  return Object.keys(out).length ? out : undefined;
}

/** RFC 8288 `<url>; rel="next", <url>; rel="last"` (one header or several joined by commas). */
function parseLink(link: string): Array<{ rel: string; url: string }> {
  const out: Array<{ rel: string; url: string }> = [];
  for (const entry of link.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/s.exec(entry);
    if (!m) continue;
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(m[2] ?? '')?.[1];
    for (const r of rel?.trim().split(/\s+/) ?? []) out.push({ rel: r.toLowerCase(), url: m[1] ?? '' });
  }
  return out;
}

/** The Link target's query as this tool's arguments: only names the tool takes, typed as it types them. */
function argumentsFrom(url: string, args: ReadonlyMap<string, unknown>): Record<string, unknown> | undefined {
  let search: URLSearchParams;
  try {
    search = new URL(url, 'http://upstream.invalid').searchParams;
  } catch {
    return undefined;
  }
  const call: Record<string, unknown> = {};
  for (const [name, value] of search) {
    if (!args.has(name)) continue;
    const type = args.get(name);
    call[name] = (type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  return Object.keys(call).length ? call : undefined;
}

function hintFor(p: Pagination, tool: string, count: number): string {
  const total =
    p.total !== undefined ? `${count} of ${p.total} entries (the upstream's Total-Number).` : `${count} entries.`;
  const next = p.next ? ` For the next page, call ${tool} with ${JSON.stringify(p.next)}.` : ' This is the last page.';
  return `${total}${next}`;
}
