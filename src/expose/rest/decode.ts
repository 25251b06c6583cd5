// REST request → raw arguments, by each argument's source. Validation happens in invoke.

import type { FastifyRequest } from 'fastify';
import type { Binding } from '../../binding/table.js';
import { select } from '../../binding/step-output.js';
import { RuntimeError } from '../../errors.js';

export function decodeArgs(binding: Binding, req: FastifyRequest): Record<string, unknown> {
  const params = (req.params ?? {}) as Record<string, string>;
  const query = (req.query ?? {}) as Record<string, string | string[]>;
  const body = req.body;
  const args: Record<string, unknown> = {};
  for (const a of binding.input.args) {
    let value: unknown;
    switch (a.source) {
      case 'path':
        value = params[a.name];
        break;
      case 'query':
        value = single(a.name, query[a.name], a.schema['type'] === 'array');
        break;
      case 'header':
        value = req.headers[a.name.toLowerCase()];
        break;
      case 'cookie':
        value = cookieValue(req.headers.cookie, a.name);
        break;
      case 'body':
        value = a.bodyPath
          ? select(body, a.bodyPath)
          : a.wholeBody
            ? body
            : body && typeof body === 'object' && !Array.isArray(body)
              ? (body as Record<string, unknown>)[a.name]
              : undefined;
        break;
    }
    if (value !== undefined) args[a.name] = value;
  }
  return args;
}

/** `?page=1&page=2` is ambiguous: refuse it rather than guess which one the caller meant. */
function single(name: string, value: string | string[] | undefined, isArray: boolean): unknown {
  if (!Array.isArray(value) || isArray) return value;
  throw new RuntimeError(
    'NAF_ERR_DUPLICATE_PARAMETER',
    `Query parameter '${name}' was given ${value.length} times; give it once`,
    { argument: name, issues: [{ argument: name, message: `given ${value.length} times; give it once` }] },
  );
}

/** One cookie of a `Cookie` header (RFC 6265 pairs), percent-decoded; undefined when absent or undecodable. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    const raw = pair
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}
