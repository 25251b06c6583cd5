// Who may call an adapter: the file's `authentication` on the exposes entry (bearer, apikey),
// or a runtime-wide bearer token for adapters that declare none. Secrets compare in constant time.
// `oauth2` (an OAuth 2.1 resource server) is the seam for JWT validation: metadata is served,
// tokens are refused until a validator is configured.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { compileTemplate } from '../binding/template.js';
import { ConfigError } from '../config.js';

export interface InboundAuth {
  readonly scheme: 'bearer' | 'apikey' | 'oauth2';
  /** True when the request carries the right credentials. */
  check(headers: IncomingHttpHeaders, query: URLSearchParams): boolean;
  /** `WWW-Authenticate` value for a 401. */
  challenge(resourceMetadataUrl?: string): string;
  /** RFC 9728 metadata, for `oauth2` only. */
  readonly protectedResource?: {
    readonly resource: string;
    readonly authorization_servers: readonly string[];
    readonly scopes_supported?: readonly string[];
  };
  readonly secrets: readonly string[];
  /**
   * The request target as the access log may show it: an API key in the query is masked whether or
   * not it is the right one (a near miss is most of a secret, and a caller's key for another service is theirs).
   */
  logUrl?(url: string): string;
  /** How OpenAPI describes it (a Security Scheme Object): names the header or parameter, never a value. */
  readonly securityScheme: Readonly<Record<string, unknown>>;
}

type AuthSpec = {
  type?: string;
  token?: string;
  key?: string;
  value?: string;
  placement?: string;
  authorizationServerUri?: string;
  tokenEndpoint?: string;
  resource?: string;
  scopes?: string[];
};

/** The adapter's own auth, else the runtime-wide token, else none. */
export function inboundAuthFor(
  spec: unknown,
  vars: Readonly<Record<string, string>>,
  adapter: string,
  runtimeToken?: string,
): InboundAuth | undefined {
  const a = spec as AuthSpec | undefined;
  if (!a) return runtimeToken ? bearer(runtimeToken) : undefined;
  const value = (field: string, text: string | undefined): string => {
    const v = compileTemplate(text ?? '')(vars);
    if (v === '')
      throw new ConfigError(
        `Adapter '${adapter}': inbound ${a.type} ${field} is empty (template '${text ?? ''}'); set the bind variable it names`,
      );
    return v;
  };
  switch (a.type) {
    case 'bearer':
      return bearer(value('token', a.token));
    case 'apikey':
      return apikey(value('key', a.key), value('value', a.value), a.placement === 'query' ? 'query' : 'header');
    case 'oauth2':
      return oauth2(
        value('authorizationServerUri', a.authorizationServerUri),
        value('resource', a.resource),
        a.scopes ?? [],
        a.tokenEndpoint === undefined ? undefined : value('tokenEndpoint', a.tokenEndpoint),
      );
    default:
      throw new ConfigError(
        `Adapter '${adapter}': inbound authentication type '${String(a.type)}' is not supported (use bearer or apikey)`,
      );
  }
}

function bearer(token: string): InboundAuth {
  const expected = digest(token);
  return {
    scheme: 'bearer',
    check: (headers) => {
      const h = headers.authorization;
      // The scheme name is case-insensitive (RFC 9110 §11.1).
      return typeof h === 'string' && /^bearer /i.test(h) && same(digest(h.slice(7).trim()), expected);
    },
    challenge: () => 'Bearer realm="runtime"',
    secrets: [token],
    securityScheme: { type: 'http', scheme: 'bearer' },
  };
}

function apikey(key: string, value: string, placement: 'header' | 'query'): InboundAuth {
  const expected = digest(value);
  const name = key.toLowerCase();
  return {
    scheme: 'apikey',
    check: (headers, query) => {
      const given = placement === 'header' ? headers[name] : query.get(key);
      return typeof given === 'string' && same(digest(given), expected);
    },
    challenge: () => `ApiKey realm="runtime", ${placement}="${key}"`,
    secrets: [value],
    ...(placement === 'query' ? { logUrl: (url: string) => maskQueryParam(url, key) } : {}),
    securityScheme: { type: 'apiKey', in: placement, name: key },
  };
}

function oauth2(issuer: string, resource: string, scopes: readonly string[], tokenEndpoint?: string): InboundAuth {
  return {
    scheme: 'oauth2',
    // No JWT validator is wired yet: refuse every token rather than accept unverified ones.
    check: () => false,
    challenge: (metadataUrl) =>
      `Bearer realm="runtime"${metadataUrl ? `, resource_metadata="${metadataUrl}"` : ''}${scopes.length ? `, scope="${scopes.join(' ')}"` : ''}`,
    protectedResource: {
      resource,
      authorization_servers: [issuer],
      ...(scopes.length ? { scopes_supported: scopes } : {}),
    },
    secrets: [],
    securityScheme: {
      type: 'oauth2',
      flows: {
        clientCredentials: {
          // As the spec's OpenAPI exporter does: the declared token endpoint, else the authorization server.
          tokenUrl: tokenEndpoint ?? issuer,
          scopes: Object.fromEntries(scopes.map((s) => [s, s])),
        },
      },
    },
  };
}

/** `name=value` pairs whose decoded name is `key` get their value masked; the rest of the target is kept as sent. */
export function maskQueryParam(url: string, key: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const pairs = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return formDecode(name) === key ? `${name}=[REDACTED]` : pair;
    });
  return `${url.slice(0, q)}?${pairs.join('&')}`;
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

// Hashing first makes the comparison constant-time whatever the lengths.
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function same(a: Buffer, b: Buffer): boolean {
  return timingSafeEqual(a, b);
}
