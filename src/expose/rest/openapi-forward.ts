// OpenAPI for `forward` resources: one operation per forwarded method, documenting the pass-through
// (any body, the upstream's answer as it is) and the errors the runtime itself may raise.

import type { ForwardRoute } from '../../binding/forward.js';
import { placeholders } from '../../binding/path.js';
import { PROBLEM_TYPE } from './problem.js';

type Doc = Record<string, unknown>;

/** Adds the forward routes' operations to `paths` (next to operations already there) and their tags. */
export function addForwardPaths(
  paths: Record<string, Record<string, unknown>>,
  tags: Map<string, string>,
  forwards: readonly ForwardRoute[],
): void {
  for (const f of forwards) {
    const path = f.path.replace(/\{\{\s*([A-Za-z0-9_-]+)\s*\}\}/g, '{$1}');
    const tag = f.resourceName ?? 'forward';
    if (!tags.has(tag)) tags.set(tag, `Pass-through to upstream '${f.upstream}'`);
    const item = (paths[path] ??= {});
    for (const method of f.methods) item[method.toLowerCase()] ??= operation(f, method, path, tag);
  }
}

function operation(f: ForwardRoute, method: string, path: string, tag: string): Doc {
  const names = placeholders(f.path);
  const trusted = f.trustedHeaders.length ? f.trustedHeaders.join(', ') : 'none';
  const parameters = names.map((name) => ({
    name,
    in: 'path',
    required: true,
    description:
      name === 'path' && f.wildcardAt !== undefined
        ? `The rest of the path, sent to upstream '${f.upstream}' below its base URI (may span several segments).`
        : `The ${name} path segment.`,
    schema: { type: 'string' },
  }));
  const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH';
  return {
    operationId: `forward_${path.replace(/[^A-Za-z0-9]+/g, '_')}_${method.toLowerCase()}`.replace(/_+/g, '_'),
    summary: f.label ?? `Forward ${method} to ${f.upstream}`,
    description:
      `${f.description ?? ''}\n\nForwarded to upstream '${f.upstream}' as sent (method, path, query, body), with the ` +
      `runtime's credentials for it. Caller headers forwarded: ${trusted}.`.trim(),
    tags: [tag],
    ...(parameters.length ? { parameters } : {}),
    ...(withBody
      ? {
          requestBody: {
            required: false,
            description: 'Any body, streamed to the upstream unchanged.',
            content: { '*/*': { schema: {} } },
          },
        }
      : {}),
    responses: {
      '2XX': { description: "The upstream's answer, passed through.", content: { '*/*': { schema: {} } } },
      '400': problem('The forwarded path is refused (dot segments, `//`, control characters, backslashes).'),
      '413': problem('The request body is larger than the limit.'),
      '502': problem('The upstream is unreachable, or its answer is invalid or over the size limit.'),
      '504': problem('The upstream did not answer in time.'),
      default: { description: 'Any other upstream status, passed through.', content: { '*/*': { schema: {} } } },
    },
  };
}

function problem(text: string): Doc {
  return { description: text, content: { [PROBLEM_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } } };
}
