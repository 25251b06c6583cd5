// `forward` on an exposed REST resource → a compiled pass-through route: which upstream, which
// caller headers may travel, where the `{path}` wildcard sits, and the target namespace's own
// header/query parameters. Pure, like the rest of the compiler.

import type { CapabilityDocument, ConsumesHttp, ExposesRest } from '../spec/types.js';
import { RuntimeError } from '../errors.js';
import { pathShape } from './path.js';
import { compileTemplate } from './template.js';

/** The methods a forward route may carry (TRACE and CONNECT are never proxied). */
export const FORWARD_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type ForwardMethod = (typeof FORWARD_METHODS)[number];

/**
 * Headers that describe one connection or that the runtime sets itself: never copied from the caller,
 * whatever `trustedHeaders` says (RFC 9110 §7.6.1 hop-by-hop, plus framing and our own).
 */
/** RFC 9110 §7.6.1: headers about one connection, which no proxy passes on in either direction. */
export const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
] as const;

export const NEVER_FORWARDED = new Set<string>([
  ...HOP_BY_HOP,
  'host',
  'content-length',
  'expect',
  'accept-encoding',
  'x-request-id',
]);

export interface ForwardParams {
  readonly headers: Readonly<Record<string, string>>;
  readonly query: ReadonlyArray<readonly [string, string]>;
}

export interface ForwardRoute {
  /** Stable id for logs and metrics, e.g. `sample.forward /forward/{{path}}`. */
  readonly id: string;
  /** The exposing REST adapter's namespace. */
  readonly namespace: string;
  /** The resource path as written, e.g. `/notion/{{path}}`. */
  readonly path: string;
  readonly resourceName?: string;
  readonly label?: string;
  readonly description?: string;
  /** The consumed namespace requests go to (`targetNamespace`). */
  readonly upstream: string;
  /** `trustedHeaders`, lower-cased, without the ones that never travel. */
  readonly trustedHeaders: readonly string[];
  /** Trusted headers as written that are never forwarded (reported at start). */
  readonly ignoredHeaders: readonly string[];
  /** Index of the `{path}` segment in `path.split('/')`; absent when the resource has no wildcard. */
  readonly wildcardAt?: number;
  /** Methods the resource's operations serve: those never forward (the engine tries operations first). */
  readonly boundMethods: readonly ForwardMethod[];
  /** The methods this route forwards. */
  readonly methods: readonly ForwardMethod[];
  /** The target namespace's `inputParameters` with a `value` (header and query), rendered against binds. */
  readonly params: (vars: Readonly<Record<string, string>>) => ForwardParams;
}

export interface ForwardUnsupported {
  readonly where: string;
  readonly reason: string;
  /** JSON pointer of the `forward` in the capability file, for line:col. */
  readonly ptr?: string;
}

const WILDCARD = /^\{\{\s*path\s*\}\}$|^\{path\}$/;

/** Compiles every `forward` of every REST adapter; what cannot be served is pushed onto `unsupported`. */
export function compileForwards(doc: CapabilityDocument, unsupported: ForwardUnsupported[]): ForwardRoute[] {
  const consumes = (doc.capability?.consumes ?? []).filter((c): c is ConsumesHttp => 'type' in c && c.type === 'http');
  const routes: ForwardRoute[] = [];
  for (const [i, ex] of (doc.capability?.exposes ?? []).entries()) {
    if (ex.type !== 'rest') continue;
    const rest = ex as ExposesRest;
    const shapes = new Set<string>();
    for (const [j, res] of (rest.resources ?? []).entries()) {
      if (!res.forward) continue;
      const where = `${rest.namespace} ${res.path}`;
      const ptr = `/capability/exposes/${i}/resources/${j}/forward`;
      const target = consumes.find((c) => c.namespace === res.forward?.targetNamespace);
      if (!target) {
        unsupported.push({
          where,
          reason: `forward targetNamespace '${res.forward.targetNamespace}' names no consumed http namespace`,
          ptr,
        });
        continue;
      }
      const segments = res.path.split('/');
      const at = segments.findIndex((s) => /\{\{?\s*path\s*\}?\}/.test(s));
      if (at >= 0 && (at !== segments.length - 1 || !WILDCARD.test(segments[at] ?? ''))) {
        unsupported.push({
          where,
          reason: 'forward needs `{path}` (or `{{path}}`) as the whole last segment of the resource path',
          ptr,
        });
        continue;
      }
      // `/a/{path}` and `/a/{{path}}` are one route: a second would collide at start.
      const shape = pathShape(res.path);
      if (shapes.has(shape)) {
        unsupported.push({ where, reason: 'another forward resource of this adapter already serves this path', ptr });
        continue;
      }
      shapes.add(shape);
      const bound = new Set<string>((res.operations ?? []).map((o) => o.method));
      if (bound.has('GET')) bound.add('HEAD');
      const trusted = (res.forward.trustedHeaders ?? []).map((h) => h.trim());
      routes.push({
        id: `${rest.namespace}.forward ${res.path}`,
        namespace: rest.namespace,
        path: res.path,
        ...(res.name ? { resourceName: res.name } : {}),
        ...(res.label ? { label: res.label } : {}),
        ...(res.description ? { description: res.description } : {}),
        upstream: target.namespace,
        trustedHeaders: [...new Set(trusted.map((h) => h.toLowerCase()).filter((h) => !NEVER_FORWARDED.has(h)))],
        ignoredHeaders: trusted.filter((h) => NEVER_FORWARDED.has(h.toLowerCase())),
        ...(at >= 0 ? { wildcardAt: at } : {}),
        boundMethods: FORWARD_METHODS.filter((m) => bound.has(m)),
        methods: FORWARD_METHODS.filter((m) => !bound.has(m)),
        params: namespaceParams(target),
      });
    }
  }
  return routes;
}

/**
 * The target namespace's own parameters, as the engine applies them in forward mode: only those with a
 * `value` (its parameter map is empty there), header and query only. Unlike alpha2, `{{VAR}}` templates
 * resolve against bind variables (the engine sends adapter-level header templates unresolved).
 */
function namespaceParams(c: ConsumesHttp): ForwardRoute['params'] {
  const placed = (c.inputParameters ?? [])
    .filter((p) => (p.in === 'header' || p.in === 'query') && p.value !== undefined)
    .map((p) => ({ name: p.name, in: p.in, render: compileTemplate(String(p.value)) }));
  return (vars) => {
    const headers: Record<string, string> = {};
    const query: Array<[string, string]> = [];
    for (const p of placed) {
      const value = p.render(vars);
      // The engine skips a parameter with no value.
      if (value === '') continue;
      if (/[\r\n\0]/.test(value))
        throw new RuntimeError(
          'NAF_ERR_CONFIG',
          `Upstream '${c.namespace}': parameter '${p.name}' resolves to a value with CR, LF or NUL`,
        );
      if (p.in === 'header') headers[p.name.toLowerCase()] = value;
      else query.push([p.name, value]);
    }
    return { headers, query };
  };
}
