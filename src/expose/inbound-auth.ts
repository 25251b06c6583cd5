// Who may call an adapter: the file's `authentication` on the exposes entry (bearer, apikey),
// or a runtime-wide bearer token for adapters that declare none. Secrets compare in constant time.
// `oauth2` makes the adapter an OAuth 2.1 resource server (src/expose/auth/): access tokens are validated
// against the authorization server's keys or introspection, and each call's scopes are checked.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { compileTemplate } from '../binding/template.js';
import type { Binding } from '../binding/table.js';
import { ConfigError } from '../config.js';
import { checkScopeTargets, ScopePolicy } from './auth/scopes.js';
import type { InboundOAuthOptions } from './auth/settings.js';
import { TokenVerifier } from './auth/verify.js';

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
    readonly bearer_methods_supported: readonly string[];
  };
  /** For `oauth2`: how tokens are validated and which scopes each call needs. */
  readonly oauth?: {
    readonly verifier: TokenVerifier;
    readonly policy: ScopePolicy;
    /** The `scope` a 401 challenge asks for. */
    readonly challengeScopes: readonly string[];
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
  audience?: string;
  tokenValidation?: string;
};

export interface InboundAuthContext {
  /** Settings from `runtime start` (issuer/audience overrides, introspection client, scope rules). */
  readonly oauth?: InboundOAuthOptions;
  /** This adapter's bindings (per-call scopes), and every binding of the capability (to check rule targets). */
  readonly bindings?: readonly Binding[];
  readonly allBindings?: readonly Binding[];
}

/** The adapter's own auth, else the runtime-wide token, else none. */
export function inboundAuthFor(
  spec: unknown,
  vars: Readonly<Record<string, string>>,
  adapter: string,
  runtimeToken?: string,
  context: InboundAuthContext = {},
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
    case 'oauth2': {
      const settings = context.oauth ?? {};
      const resource = value('resource', a.resource);
      const validation = a.tokenValidation ?? 'jwks';
      if (validation !== 'jwks' && validation !== 'introspection')
        throw new ConfigError(
          `Adapter '${adapter}': tokenValidation '${validation}' is not supported (jwks or introspection)`,
        );
      if (validation === 'introspection' && !settings.introspection)
        throw new ConfigError(
          `Adapter '${adapter}': tokenValidation: introspection needs an introspection client: set --inbound-oauth-introspection-client-id and INBOUND_OAUTH_INTROSPECTION_CLIENT_SECRET`,
        );
      checkScopeTargets(settings.scopeRules ?? [], context.allBindings ?? context.bindings ?? []);
      return oauth2({
        issuer: settings.issuer ?? value('authorizationServerUri', a.authorizationServerUri),
        resource,
        audience: settings.audience ?? (a.audience === undefined ? resource : value('audience', a.audience)),
        scopes: a.scopes ?? [],
        validation,
        settings,
        bindings: context.bindings ?? [],
        ...(a.tokenEndpoint === undefined ? {} : { tokenEndpoint: value('tokenEndpoint', a.tokenEndpoint) }),
      });
    }
    default:
      throw new ConfigError(
        `Adapter '${adapter}': inbound authentication type '${String(a.type)}' is not supported (use bearer, apikey or oauth2)`,
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

interface OAuth2Config {
  readonly issuer: string;
  readonly resource: string;
  readonly audience: string;
  readonly scopes: readonly string[];
  readonly validation: 'jwks' | 'introspection';
  readonly settings: InboundOAuthOptions;
  readonly bindings: readonly Binding[];
  readonly tokenEndpoint?: string;
}

function oauth2(c: OAuth2Config): InboundAuth {
  const { issuer, scopes, tokenEndpoint } = c;
  const policy = new ScopePolicy(c.settings.scopeRules ?? [], c.bindings);
  const supported = [...new Set([...scopes, ...policy.scopes])];
  const verifier = new TokenVerifier({
    issuer,
    audience: c.audience,
    validation: c.validation,
    ...(c.settings.introspection ? { introspection: c.settings.introspection } : {}),
    ...(c.settings.introspectionCache ? { introspectionCache: c.settings.introspectionCache } : {}),
    ...(c.settings.introspectJwts ? { introspectJwts: true } : {}),
    jwksCooldownMs: c.settings.jwksCooldownMs ?? 30_000,
    clockSkewSeconds: c.settings.clockSkewSeconds ?? 30,
    fetchTimeoutMs: c.settings.fetchTimeoutMs ?? 5_000,
  });
  return {
    scheme: 'oauth2',
    // Tokens are checked asynchronously (auth/hook.ts uses `oauth.verifier`); nothing passes this way.
    check: () => false,
    challenge: (metadataUrl) =>
      `Bearer realm="runtime"${metadataUrl ? `, resource_metadata="${metadataUrl}"` : ''}${supported.length ? `, scope="${supported.join(' ')}"` : ''}`,
    protectedResource: {
      resource: c.resource,
      authorization_servers: [issuer],
      ...(supported.length ? { scopes_supported: supported } : {}),
      bearer_methods_supported: ['header'],
    },
    oauth: { verifier, policy, challengeScopes: supported },
    secrets: c.settings.introspection ? [c.settings.introspection.clientSecret] : [],
    securityScheme: {
      type: 'oauth2',
      flows: {
        clientCredentials: {
          // As the spec's OpenAPI exporter does: the declared token endpoint, else the authorization server.
          tokenUrl: tokenEndpoint ?? issuer,
          scopes: Object.fromEntries(supported.map((s) => [s, s])),
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
