// OpenAPI 3.1 from the binding table: the same argument schemas the runtime validates with.

import { describePlan } from '../../binding/describe.js';
import type { ForwardRoute } from '../../binding/forward.js';
import type { Binding, BindingTable, JsonSchema, RestExposure } from '../../binding/table.js';
import { addForwardPaths } from './openapi-forward.js';
import { PROBLEM_TYPE } from './problem.js';

type Doc = Record<string, unknown>;

export function buildOpenApi(
  table: BindingTable,
  bindings: readonly Binding[],
  description: string | undefined,
  /** The adapter's inbound auth as an OpenAPI Security Scheme Object, when it has one. */
  securityScheme?: Readonly<Record<string, unknown>>,
  /** The adapter's `forward` resources (src/expose/rest/openapi-forward.ts). */
  forwards: readonly ForwardRoute[] = [],
): Doc {
  const paths: Record<string, Record<string, unknown>> = {};
  const tags = new Map<string, string>();
  for (const b of bindings) {
    const expose = b.expose as RestExposure;
    const path = expose.path.replace(/\{\{\s*([A-Za-z0-9_-]+)\s*\}\}/g, '{$1}');
    const tag = expose.resourceName ?? tagOf(path);
    if (!tags.has(tag)) tags.set(tag, `Operations on ${path}`);
    (paths[path] ??= {})[expose.method.toLowerCase()] = operation(b, expose, tag);
  }
  addForwardPaths(paths, tags, forwards);
  return {
    openapi: '3.1.0',
    info: {
      title: table.capability.label,
      version: table.capability.version,
      description: description ?? table.capability.description,
      contact: { name: 'Capability owner' },
    },
    tags: [...tags].map(([name, text]) => ({ name, description: text })),
    paths,
    components: {
      schemas: { Problem: PROBLEM_SCHEMA },
      ...(securityScheme ? { securitySchemes: { inbound: securityScheme } } : {}),
    },
    ...(securityScheme ? { security: [{ inbound: [] }] } : {}),
  };
}

/** The document with the `servers` entry for the URL the caller reached us at. */
export function withServer(doc: Doc, url: string): Doc {
  return { ...doc, servers: [{ url, description: 'This runtime' }] };
}

function operation(b: Binding, expose: RestExposure, tag: string): Doc {
  const args = b.input.args;
  const parameters = args
    .filter((a) => a.source !== 'body')
    .map((a) => ({
      name: a.name,
      in: a.source,
      required: a.source === 'path' ? true : a.required,
      description: a.description ?? `The ${a.name} ${a.source === 'path' ? 'path segment' : `${a.source} parameter`}.`,
      schema: a.schema,
    }));
  const bodyArgs = args.filter((a) => a.source === 'body');
  const whole = bodyArgs.find((a) => a.wholeBody);
  const bodySchema: JsonSchema | undefined = whole
    ? whole.schema
    : bodyArgs.length
      ? {
          type: 'object',
          properties: Object.fromEntries(bodyArgs.map((a) => [a.name, a.schema])),
          required: bodyArgs.filter((a) => a.required).map((a) => a.name),
        }
      : undefined;
  return {
    operationId: expose.operationName ?? b.id.replace(/[^A-Za-z0-9_]+/g, '_'),
    summary: b.description ?? `${expose.method} ${expose.path}`,
    description:
      `${b.description ?? ''}\n\n${b.request ? `Calls upstream ${b.request.method} ${b.request.pathTemplate} (${b.request.upstream}).` : `Runs ${describePlan(b)}.`}`.trim(),
    tags: [tag],
    ...(parameters.length ? { parameters } : {}),
    ...(bodySchema
      ? {
          requestBody: {
            required: whole?.required ?? bodyArgs.some((a) => a.required),
            description: whole?.description ?? 'JSON request body.',
            content: { 'application/json': { schema: bodySchema } },
          },
        }
      : {}),
    responses: responses(expose.method, b),
  };
}

function responses(method: string, b: Binding): Doc {
  const problem = (text: string) => ({
    description: text,
    content: { [PROBLEM_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  // With the upstream's OpenAPI document (src/contracts), its documented success status and schema.
  const success = b.response
    ? {
        [b.response.status]: {
          description: 'The upstream answer, passed through (typed by its OpenAPI document).',
          ...(b.response.schema['type'] === 'array' ? { headers: PAGE_HEADERS } : {}),
          content: { 'application/json': { schema: b.response.schema } },
        },
      }
    : {
        '2XX': { description: 'The upstream answer, passed through.', content: { 'application/json': { schema: {} } } },
      };
  return {
    ...success,
    ...(method === 'DELETE' ? { '204': { description: 'Done; no content.' } } : {}),
    '400': problem('Invalid arguments (runtime), or the upstream rejected the request (its own error body).'),
    '404': problem('Not found (upstream), or no such route.'),
    '502': problem('The upstream is unreachable or answered with an invalid response.'),
    '504': problem('The upstream did not answer in time.'),
    default: {
      description: 'Any other upstream status, passed through.',
      content: { 'application/json': { schema: {} } },
    },
  };
}

/** What a paginating upstream (Logto) sends with a list, passed through with Link rewritten to this route. */
const PAGE_HEADERS = {
  'Total-Number': {
    description: 'How many entries the upstream counts, when it paginated (page or page_size given).',
    schema: { type: 'integer', minimum: 0 },
  },
  Link: {
    description: 'RFC 8288 links to the first, previous, next and last pages, on this route.',
    schema: { type: 'string' },
  },
};

function tagOf(path: string): string {
  const literal = path.split('/').filter((s) => s && !s.startsWith('{'));
  return literal.slice(-1)[0] ?? 'root';
}

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details, raised by the runtime itself.',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable error code, e.g. NAF_ERR_INVALID_ARGUMENT.' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: { argument: { type: 'string' }, message: { type: 'string' } },
        required: ['argument', 'message'],
      },
    },
  },
  required: ['type', 'title', 'status', 'code'],
};
