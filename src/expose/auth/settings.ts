// What `runtime start` (src/cli/inbound-oauth-options.ts) may set for adapters whose file entry declares
// `authentication: {type: oauth2}`, and for CORS on every HTTP adapter. Kept apart from the CLI so the
// runtime and tests build it directly. Issuer and audience apply to every oauth2 adapter, or to one
// (`adapters`); a per-adapter `resource` is the one explicit way to turn OAuth 2.1 on for an adapter whose
// file declares no authentication (logged as a warning at start, so it is never a surprise).

import type { ExposeSpec } from '../../binding/table.js';
import { ConfigError } from '../../config.js';
import { suggest } from '../../suggest.js';
import type { IntrospectionCacheSettings } from './cache.js';

export interface ScopeRule {
  /** A tool or REST operation name, a binding id, `readonly`, `write`, or `*` (every request). */
  readonly target: string;
  readonly scope: string;
}

export interface IntrospectionClient {
  /** RFC 7662 endpoint; default: the authorization server's `introspection_endpoint`. */
  readonly url?: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface CorsRule {
  /** An exposes namespace, or undefined for every REST and MCP adapter. */
  readonly adapter?: string;
  readonly origin: string;
}

/** Settings for one adapter (an exposes namespace); they win over the bare ones. */
export interface AdapterOAuthSettings {
  readonly issuer?: string;
  readonly audience?: string;
  /**
   * Replaces the file's `resource` (RFC 8707; the default audience). On an adapter whose file declares no
   * authentication, turns OAuth 2.1 on for it.
   */
  readonly resource?: string;
}

export interface InboundOAuthOptions {
  /** Replaces the file's `authorizationServerUri` (the expected `iss`) on every oauth2 adapter. */
  readonly issuer?: string;
  /** Replaces the file's `audience` (default: its `resource`) on every oauth2 adapter. */
  readonly audience?: string;
  /** Per adapter namespace: issuer, audience, resource for that adapter only. */
  readonly adapters?: Readonly<Record<string, AdapterOAuthSettings>>;
  readonly introspection?: IntrospectionClient;
  /** Reuse of introspection answers; default 10,000 entries, 60 s, inactive answers 10 s. */
  readonly introspectionCache?: IntrospectionCacheSettings;
  /** Introspect JWTs too (after local verification), so revoked ones are refused; needs `introspection`. */
  readonly introspectJwts?: boolean;
  readonly scopeRules?: readonly ScopeRule[];
  readonly cors?: readonly CorsRule[];
  /** Minimum time between two JWKS fetches caused by an unknown `kid`; default 30 s. */
  readonly jwksCooldownMs?: number;
  /** Tolerated clock difference for `exp`/`nbf`/`iat`; default 30 s. */
  readonly clockSkewSeconds?: number;
  /** Bounds every call to the authorization server (metadata, JWKS, introspection); default 5 s. */
  readonly fetchTimeoutMs?: number;
}

/** The CORS origins of one adapter: the rules naming it, and those naming none. */
export function corsOriginsFor(options: InboundOAuthOptions | undefined, adapter: string): string[] {
  return (options?.cors ?? []).filter((r) => r.adapter === undefined || r.adapter === adapter).map((r) => r.origin);
}

/** The settings as one adapter sees them: its own issuer and audience over the bare ones. */
export function inboundOAuthFor(
  options: InboundOAuthOptions | undefined,
  adapter: string,
): InboundOAuthOptions | undefined {
  const own = options?.adapters?.[adapter];
  if (!options || !own) return options;
  return {
    ...options,
    ...(own.issuer !== undefined ? { issuer: own.issuer } : {}),
    ...(own.audience !== undefined ? { audience: own.audience } : {}),
  };
}

/** The adapter's `authentication`: the file's, with a per-adapter resource, or oauth2 turned on by one. */
export function adapterAuthentication(spec: ExposeSpec, options: InboundOAuthOptions | undefined): unknown {
  const resource = options?.adapters?.[spec.namespace]?.resource;
  if (resource === undefined) return spec.authentication;
  const declared = spec.authentication as Record<string, unknown> | undefined;
  // checkInboundOAuthAdapters has refused a resource for an adapter declaring another scheme.
  if (declared) return { ...declared, resource };
  const issuer = inboundOAuthFor(options, spec.namespace)?.issuer;
  return { type: 'oauth2', resource, ...(issuer !== undefined ? { authorizationServerUri: issuer } : {}) };
}

const FLAG_OF: Record<keyof AdapterOAuthSettings, string> = {
  issuer: '--inbound-oauth-issuer',
  audience: '--inbound-oauth-audience',
  resource: '--inbound-oauth-resource',
};

/**
 * Every adapter a setting names must exist and be able to take it; checked before anything listens, all
 * problems at once. Returns the warnings to log: one per adapter the flags turn OAuth 2.1 on for.
 */
export function checkInboundOAuthAdapters(
  options: InboundOAuthOptions | undefined,
  exposes: readonly ExposeSpec[],
): string[] {
  if (!options) return [];
  const http = exposes.filter((e) => (e.kind === 'rest' || e.kind === 'mcp') && e.transport !== 'stdio');
  const names = http.map((e) => e.namespace);
  const problems: string[] = [];
  const warnings: string[] = [];
  const unknown = (flag: string, name: string, value: string) => {
    const near = suggest(name, names);
    const other = exposes.find((e) => e.namespace === name);
    problems.push(
      other
        ? `${flag} ${name}=${value}: '${name}' is a ${other.kind === 'mcp' ? 'stdio MCP' : other.kind} adapter; inbound OAuth applies to HTTP REST and MCP adapters only`
        : `${flag} ${name}=${value}: no REST or MCP adapter '${name}'${near ? ` (did you mean '${near}'?)` : ''}${names.length ? `; adapters: ${names.join(', ')}` : ''}`,
    );
  };
  for (const [name, own] of Object.entries(options.adapters ?? {})) {
    const given = (Object.keys(FLAG_OF) as Array<keyof AdapterOAuthSettings>).filter((k) => own[k] !== undefined);
    const spec = http.find((e) => e.namespace === name);
    if (!spec) {
      for (const k of given) unknown(FLAG_OF[k], name, own[k] as string);
      continue;
    }
    const type = (spec.authentication as { type?: unknown } | undefined)?.type;
    if (type !== undefined && type !== 'oauth2') {
      for (const k of given)
        problems.push(
          `${FLAG_OF[k]} ${name}=${own[k] as string}: adapter '${name}' declares ${String(type)} authentication in the file; the inbound OAuth settings do not replace it (declare type: oauth2 in the file to use OAuth 2.1)`,
        );
      continue;
    }
    if (type === undefined && own.resource === undefined) {
      for (const k of given)
        problems.push(
          `${FLAG_OF[k]} ${name}=${own[k] as string}: adapter '${name}' declares no authentication in the file; to turn OAuth 2.1 on for it, also give --inbound-oauth-resource ${name}=<its resource URI>`,
        );
      continue;
    }
    if (type === undefined) {
      const issuer = own.issuer ?? options.issuer;
      if (issuer === undefined) {
        problems.push(
          `--inbound-oauth-resource ${name}=${own.resource as string}: adapter '${name}' declares no authentication in the file, so it needs an issuer: --inbound-oauth-issuer ${name}=<url> (or one for every adapter)`,
        );
        continue;
      }
      warnings.push(
        `inbound auth: OAuth 2.1 turned ON for adapter '${name}' by --inbound-oauth-resource although its file entry declares no authentication (issuer ${issuer}, audience ${own.audience ?? options.audience ?? (own.resource as string)}): every request needs an access token`,
      );
    }
  }
  for (const rule of options.cors ?? [])
    if (rule.adapter !== undefined && !names.includes(rule.adapter))
      unknown('--cors-origin', rule.adapter, rule.origin);
  if (problems.length) throw new ConfigError(problems.join('\n'));
  return warnings;
}
