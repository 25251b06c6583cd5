// `runtime start` flags and environment for inbound OAuth 2.1 (adapters whose file entry declares
// `authentication: {type: oauth2}`) and for CORS on the REST and MCP adapters. docs/auth.md lists them.
// Precedence: flag > environment > the file.

import type { CorsRule, InboundOAuthOptions, ScopeRule } from '../expose/auth/settings.js';
import { normalizeOrigin } from '../expose/auth/cors.js';
import { isLoopback } from '../config.js';
import { UsageError } from './io.js';
import { duration, fromFlagOrEnv } from './options.js';

export const INBOUND_OAUTH_FLAGS = {
  'inbound-oauth-issuer': { type: 'string' },
  'inbound-oauth-audience': { type: 'string' },
  'inbound-oauth-introspection-url': { type: 'string' },
  'inbound-oauth-introspection-client-id': { type: 'string' },
  'inbound-oauth-jwks-cooldown': { type: 'string' },
  'inbound-oauth-clock-skew': { type: 'string' },
  'inbound-scope': { type: 'string', multiple: true },
  'cors-origin': { type: 'string', multiple: true },
} as const;

export const INBOUND_OAUTH_USAGE = `  Inbound OAuth 2.1 (adapters whose file declares authentication type oauth2; docs/auth.md):
  --inbound-oauth-issuer <url>      expected issuer, replaces authorizationServerUri (env INBOUND_OAUTH_ISSUER)
  --inbound-oauth-audience <aud>    expected aud, replaces audience/resource (env INBOUND_OAUTH_AUDIENCE)
  --inbound-oauth-introspection-url <url>
                                    RFC 7662 endpoint for opaque tokens (env INBOUND_OAUTH_INTROSPECTION_URL;
                                    default the server's introspection_endpoint)
  --inbound-oauth-introspection-client-id <id>
                                    client the runtime introspects as (env INBOUND_OAUTH_INTROSPECTION_CLIENT_ID);
                                    its secret: env INBOUND_OAUTH_INTROSPECTION_CLIENT_SECRET only
  --inbound-oauth-jwks-cooldown <d> least time between key refetches for an unknown kid (default 30s)
  --inbound-oauth-clock-skew <d>    tolerated clock difference for exp/nbf (default 30s)
  --inbound-scope <target>=<scope>  require a scope: target is a tool or REST operation name, readonly,
                                    write or * (repeatable; env INBOUND_SCOPES, comma-separated)
  CORS (off by default):
  --cors-origin [<adapter>=]<origin> browser origin allowed on the REST and MCP adapters, or on one
                                    (repeatable; env CORS_ORIGINS, comma-separated)
`;

type Values = {
  [K in keyof typeof INBOUND_OAUTH_FLAGS]?: (typeof INBOUND_OAUTH_FLAGS)[K] extends { multiple: true }
    ? string[]
    : string;
};

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
    if (text === undefined) return undefined;
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
  };
  const issuer = url('inbound-oauth-issuer', 'INBOUND_OAUTH_ISSUER');
  const [audience] = read('inbound-oauth-audience', 'INBOUND_OAUTH_AUDIENCE');
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
    ...(issuer ? { issuer } : {}),
    ...(audience ? { audience } : {}),
    ...(clientId !== undefined && secret
      ? { introspection: { clientId, clientSecret: secret, ...(introspectionUrl ? { url: introspectionUrl } : {}) } }
      : {}),
    ...(cooldown !== undefined ? { jwksCooldownMs: cooldown } : {}),
    ...(skew !== undefined ? { clockSkewSeconds: Math.round(skew / 1000) } : {}),
    ...(scopeRules.length ? { scopeRules } : {}),
    ...(cors.length ? { cors } : {}),
  };
  return Object.keys(out).length ? { inboundOAuth: out, warnings } : { warnings };
}
