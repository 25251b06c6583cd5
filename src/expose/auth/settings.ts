// What `runtime start` (src/cli/inbound-oauth-options.ts) may set for adapters whose file entry declares
// `authentication: {type: oauth2}`, and for CORS on every HTTP adapter. Kept apart from the CLI so the
// runtime and tests build it directly.

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

export interface InboundOAuthOptions {
  /** Replaces the file's `authorizationServerUri` (the expected `iss`). */
  readonly issuer?: string;
  /** Replaces the file's `audience` (default: its `resource`). */
  readonly audience?: string;
  readonly introspection?: IntrospectionClient;
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
