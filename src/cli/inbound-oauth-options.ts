// `runtime start` flags and environment for inbound OAuth 2.1 (adapters whose file entry declares
// `authentication: {type: oauth2}`, or that `--inbound-oauth-resource <adapter>=…` turns it on for) and for
// CORS on the REST and MCP adapters. docs/auth.md lists them. Precedence: flag > environment > the file;
// a per-adapter value (`<adapter>=<value>`) > a bare one. Adapter names are checked against the file at
// start (src/expose/auth/settings.ts checkInboundOAuthAdapters), where the file is known.

import type { IntrospectionCacheSettings } from '../expose/auth/cache.js';
import type { AdapterOAuthSettings, CorsRule, InboundOAuthOptions, ScopeRule } from '../expose/auth/settings.js';
import { normalizeOrigin } from '../expose/auth/cors.js';
import { isLoopback } from '../config.js';
import type { FlagValues } from './flags.js';
import { UsageError } from './io.js';
import { duration, fromFlagOrEnv } from './options.js';

export const INBOUND_OAUTH_FLAGS = {
  'inbound-oauth-issuer': { type: 'string', multiple: true },
  'inbound-oauth-audience': { type: 'string', multiple: true },
  'inbound-oauth-resource': { type: 'string', multiple: true },
  'inbound-oauth-introspection-url': { type: 'string' },
  'inbound-oauth-introspection-client-id': { type: 'string' },
  'inbound-oauth-introspection-cache-ttl': { type: 'string' },
  'inbound-oauth-introspection-negative-ttl': { type: 'string' },
  'inbound-oauth-introspection-cache-size': { type: 'string' },
  'inbound-oauth-introspect-jwts': { type: 'boolean' },
  'inbound-oauth-jwks-cooldown': { type: 'string' },
  'inbound-oauth-clock-skew': { type: 'string' },
  'inbound-scope': { type: 'string', multiple: true },
  'cors-origin': { type: 'string', multiple: true },
} as const;

export const INBOUND_OAUTH_USAGE = `  Inbound OAuth 2.1 (adapters whose file declares authentication type oauth2; docs/auth.md):
  --inbound-oauth-issuer [<adapter>=]<url>
                                    expected issuer, replaces authorizationServerUri, on every oauth2 adapter
                                    or on one (repeatable; env INBOUND_OAUTH_ISSUER, comma-separated)
  --inbound-oauth-audience [<adapter>=]<aud>
                                    expected aud, replaces audience/resource (env INBOUND_OAUTH_AUDIENCE)
  --inbound-oauth-resource <adapter>=<uri>
                                    the adapter's resource URI; on an adapter whose file declares no
                                    authentication it turns OAuth 2.1 ON (logged at start; needs an issuer)
                                    (repeatable; env INBOUND_OAUTH_RESOURCE, comma-separated)
  --inbound-oauth-introspection-url <url>
                                    RFC 7662 endpoint for opaque tokens (env INBOUND_OAUTH_INTROSPECTION_URL;
                                    default the server's introspection_endpoint)
  --inbound-oauth-introspection-client-id <id>
                                    client the runtime introspects as (env INBOUND_OAUTH_INTROSPECTION_CLIENT_ID);
                                    its secret: env INBOUND_OAUTH_INTROSPECTION_CLIENT_SECRET only
  --inbound-oauth-introspection-cache-ttl <d>
                                    reuse an active answer until min(exp, this); 0 = ask every request
                                    (default 60s; env INBOUND_OAUTH_INTROSPECTION_CACHE_TTL)
  --inbound-oauth-introspection-negative-ttl <d>
                                    reuse an inactive answer this long; 0 = not cached (default 10s;
                                    env INBOUND_OAUTH_INTROSPECTION_NEGATIVE_TTL)
  --inbound-oauth-introspection-cache-size <n>
                                    answers kept per adapter (default 10000; env INBOUND_OAUTH_INTROSPECTION_CACHE_SIZE)
  --inbound-oauth-introspect-jwts   also introspect JWTs after checking them locally, so revoked ones are
                                    refused (env INBOUND_OAUTH_INTROSPECT_JWTS=1; needs an introspection client)
  --inbound-oauth-jwks-cooldown <d> least time between key refetches for an unknown kid (default 30s)
  --inbound-oauth-clock-skew <d>    tolerated clock difference for exp/nbf (default 30s)
  --inbound-scope <target>=<scope>  require a scope: target is a tool or REST operation name, readonly,
                                    write or * (repeatable; env INBOUND_SCOPES, comma-separated)
  CORS (off by default):
  --cors-origin [<adapter>=]<origin> browser origin allowed on the REST and MCP adapters, or on one
                                    (repeatable; env CORS_ORIGINS, comma-separated)
`;

type Values = FlagValues<typeof INBOUND_OAUTH_FLAGS>;

export function inboundOAuthSettings(
  values: Values,
  env: NodeJS.ProcessEnv,
): { inboundOAuth?: InboundOAuthOptions; warnings: readonly string[] } {
  const v = values as Record<string, unknown>;
  const read = (flag: keyof typeof INBOUND_OAUTH_FLAGS, envName?: string) => fromFlagOrEnv(v, flag, env, envName);
  const problems: string[] = [];
  const warnings: string[] = [];
  const url = (flag: keyof typeof INBOUND_OAUTH_FLAGS, envName: string): string | undefined => {
    const [text, from] = read(flag, envName);
    return text === undefined ? undefined : checkUrl(text, from, problems, warnings);
  };
  const issuers = perAdapter(v, env, 'inbound-oauth-issuer', 'INBOUND_OAUTH_ISSUER', problems, (text, from) =>
    checkUrl(text, from, problems, warnings),
  );
  const audiences = perAdapter(v, env, 'inbound-oauth-audience', 'INBOUND_OAUTH_AUDIENCE', problems, (t) => t);
  const resources = perAdapter(v, env, 'inbound-oauth-resource', 'INBOUND_OAUTH_RESOURCE', problems, (text, from) =>
    checkResource(text, from, problems),
  );
  if (resources.all !== undefined)
    problems.push(
      `--inbound-oauth-resource expects <adapter>=<uri> (each adapter has its own resource), got '${resources.all}'`,
    );
  const adapters: Record<string, AdapterOAuthSettings> = {};
  for (const [field, given] of [
    ['issuer', issuers],
    ['audience', audiences],
    ['resource', resources],
  ] as const)
    for (const [name, value] of Object.entries(given.byAdapter)) adapters[name] = { ...adapters[name], [field]: value };
  const introspectionUrl = url('inbound-oauth-introspection-url', 'INBOUND_OAUTH_INTROSPECTION_URL');
  const [clientId, idFrom] = read('inbound-oauth-introspection-client-id', 'INBOUND_OAUTH_INTROSPECTION_CLIENT_ID');
  const secret = env['INBOUND_OAUTH_INTROSPECTION_CLIENT_SECRET'];
  if (clientId !== undefined && !secret)
    problems.push(`${idFrom} needs its secret: set INBOUND_OAUTH_INTROSPECTION_CLIENT_SECRET in the environment`);
  if (clientId === undefined && introspectionUrl !== undefined)
    problems.push('--inbound-oauth-introspection-url needs --inbound-oauth-introspection-client-id');
  const span = (flag: 'inbound-oauth-jwks-cooldown' | 'inbound-oauth-clock-skew'): number | undefined => {
    try {
      return duration(read(flag)[0], `--${flag}`);
    } catch (err) {
      problems.push((err as Error).message);
      return undefined;
    }
  };
  const cooldown = span('inbound-oauth-jwks-cooldown');
  const skew = span('inbound-oauth-clock-skew');
  const cache = introspectionCache(read, problems);
  const introspectJwts =
    v['inbound-oauth-introspect-jwts'] === true || env['INBOUND_OAUTH_INTROSPECT_JWTS'] === '1' ? true : undefined;
  if (introspectJwts && clientId === undefined)
    problems.push(
      '--inbound-oauth-introspect-jwts needs an introspection client: --inbound-oauth-introspection-client-id and INBOUND_OAUTH_INTROSPECTION_CLIENT_SECRET',
    );
  const list = (flag: 'inbound-scope' | 'cors-origin', envName: string): string[] => {
    const given = v[flag];
    if (Array.isArray(given) && given.length) return given as string[];
    return (env[envName] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  };
  const scopeRules: ScopeRule[] = [];
  for (const entry of list('inbound-scope', 'INBOUND_SCOPES')) {
    const eq = entry.indexOf('=');
    const target = entry.slice(0, eq).trim();
    const scope = entry.slice(eq + 1).trim();
    if (eq <= 0 || !target || !scope || /\s/.test(scope))
      problems.push(`--inbound-scope expects <target>=<scope> (one scope, no spaces), got '${entry}'`);
    else scopeRules.push({ target, scope });
  }
  const cors: CorsRule[] = [];
  for (const entry of list('cors-origin', 'CORS_ORIGINS')) {
    const m = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(entry);
    const origin = m ? (m[2] as string) : entry;
    try {
      cors.push({ ...(m ? { adapter: m[1] as string } : {}), origin: normalizeOrigin(origin) });
      if (origin === '*') warnings.push('CORS: --cors-origin * lets any web page call the adapters from a browser');
    } catch {
      problems.push(`--cors-origin expects [<adapter>=]<http(s) origin> or *, got '${entry}'`);
    }
  }
  if (problems.length) throw new UsageError(problems.join('\n'));
  const out: InboundOAuthOptions = {
    ...(issuers.all !== undefined ? { issuer: issuers.all } : {}),
    ...(audiences.all !== undefined ? { audience: audiences.all } : {}),
    ...(Object.keys(adapters).length ? { adapters } : {}),
    ...(clientId !== undefined && secret
      ? { introspection: { clientId, clientSecret: secret, ...(introspectionUrl ? { url: introspectionUrl } : {}) } }
      : {}),
    ...(cache ? { introspectionCache: cache } : {}),
    ...(introspectJwts ? { introspectJwts } : {}),
    ...(cooldown !== undefined ? { jwksCooldownMs: cooldown } : {}),
    ...(skew !== undefined ? { clockSkewSeconds: Math.round(skew / 1000) } : {}),
    ...(scopeRules.length ? { scopeRules } : {}),
    ...(cors.length ? { cors } : {}),
  };
  return Object.keys(out).length ? { inboundOAuth: out, warnings } : { warnings };
}

/** `[<adapter>=]<value>` entries from a repeated flag, else a comma-separated variable: one bare, one per adapter. */
function perAdapter(
  v: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  flag: keyof typeof INBOUND_OAUTH_FLAGS,
  envName: string,
  problems: string[],
  check: (text: string, from: string) => string | undefined,
): { all?: string; byAdapter: Record<string, string> } {
  const given = v[flag];
  const fromFlag = typeof given === 'string' ? [given] : Array.isArray(given) ? (given as string[]) : [];
  const from = fromFlag.length ? `--${flag}` : envName;
  const entries = fromFlag.length
    ? fromFlag
    : (env[envName] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
  const out: { all?: string; byAdapter: Record<string, string> } = { byAdapter: {} };
  for (const entry of entries) {
    // An adapter name is kebab-case (the schema's namespace): a URL's `https:` never reads as one.
    const m = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(entry);
    const name = m?.[1];
    const value = check((m ? m[2] : entry) as string, from);
    if (value === undefined) continue;
    if (name === undefined) {
      if (out.all !== undefined)
        problems.push(`${from} is given twice without an adapter name ('${out.all}', '${value}')`);
      out.all = value;
    } else {
      if (out.byAdapter[name] !== undefined) problems.push(`${from} names adapter '${name}' twice`);
      out.byAdapter[name] = value;
    }
  }
  return out;
}

function checkUrl(text: string, from: string, problems: string[], warnings: string[]): string | undefined {
  try {
    const u = new URL(text);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error();
    if (u.protocol === 'http:' && !isLoopback(u.hostname))
      warnings.push(
        `SECURITY: ${from} ${u.origin} is plain http: keys and token answers can be tampered with on the way`,
      );
    return text;
  } catch {
    problems.push(`${from} must be an http(s) URL, got '${text}'`);
    return undefined;
  }
}

/** A resource indicator is an absolute URI without a fragment (RFC 8707 §2). */
function checkResource(text: string, from: string, problems: string[]): string | undefined {
  try {
    const u = new URL(text);
    if (u.hash) throw new Error();
    return text;
  } catch {
    problems.push(`${from} expects <adapter>=<absolute URI without #fragment>, got '${text}'`);
    return undefined;
  }
}

/** The cache flags; a TTL of 0 turns that part off. */
function introspectionCache(
  read: (flag: keyof typeof INBOUND_OAUTH_FLAGS, envName?: string) => [string | undefined, string],
  problems: string[],
): IntrospectionCacheSettings | undefined {
  const ttl = (flag: keyof typeof INBOUND_OAUTH_FLAGS, envName: string): number | undefined => {
    const [text, from] = read(flag, envName);
    if (text === undefined) return undefined;
    if (/^0+(ms|s|m)?$/.test(text.trim())) return 0;
    try {
      return duration(text, from);
    } catch (err) {
      problems.push((err as Error).message);
      return undefined;
    }
  };
  const maxTtlMs = ttl('inbound-oauth-introspection-cache-ttl', 'INBOUND_OAUTH_INTROSPECTION_CACHE_TTL');
  const negativeTtlMs = ttl('inbound-oauth-introspection-negative-ttl', 'INBOUND_OAUTH_INTROSPECTION_NEGATIVE_TTL');
  const [sizeText, sizeFrom] = read('inbound-oauth-introspection-cache-size', 'INBOUND_OAUTH_INTROSPECTION_CACHE_SIZE');
  let maxEntries: number | undefined;
  if (sizeText !== undefined) {
    maxEntries = /^\d+$/.test(sizeText.trim()) ? Number(sizeText.trim()) : NaN;
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      problems.push(`${sizeFrom} expects a positive whole number of entries, got '${sizeText}'`);
      maxEntries = undefined;
    }
  }
  const out = {
    ...(maxEntries !== undefined ? { maxEntries } : {}),
    ...(maxTtlMs !== undefined ? { maxTtlMs } : {}),
    ...(negativeTtlMs !== undefined ? { negativeTtlMs } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}
