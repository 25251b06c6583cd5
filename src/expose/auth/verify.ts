// Access-token validation for an OAuth 2.1 resource server (MCP authorization, RFC 9068 JWT profile):
// a JWT is checked locally against the authorization server's published keys; an opaque token is
// introspected (RFC 7662) when an introspection client is configured. Either way the token must be for
// this resource (`aud`, RFC 8707), from this issuer, and current. The token itself is never logged.

import type * as Jose from 'jose';
import type { JWTPayload } from 'jose';
import { discover, type AuthorizationServerMetadata } from './discovery.js';
import { IntrospectionCache, type IntrospectionCacheSettings } from './cache.js';
import { introspect } from './introspect.js';
import type { IntrospectionClient } from './settings.js';

/** jose, loaded with the first JWT check: a runtime without JWT inbound auth never pays for it (start-up). */
let jose: Promise<typeof Jose> | undefined;
const loadJose = () => (jose ??= import('jose'));

/**
 * Asymmetric algorithms only: a symmetric (HS*) key would be the authorization server's shared secret, and
 * `none` is no signature at all. jose refuses any algorithm outside this list before looking at a key.
 */
export const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

export interface Principal {
  readonly subject?: string;
  readonly clientId?: string;
  readonly scopes: ReadonlySet<string>;
}

export type Verdict =
  | { readonly ok: true; readonly principal: Principal }
  /** `reason` is for the log and `error_description`: it never quotes the token. */
  | { readonly ok: false; readonly reason: string; readonly unavailable?: boolean };

export interface VerifierConfig {
  readonly issuer: string;
  readonly audience: string;
  readonly validation: 'jwks' | 'introspection';
  readonly introspection?: IntrospectionClient;
  /** Reuse of introspection answers (cache.ts); `maxTtlMs: 0` asks the server on every request. */
  readonly introspectionCache?: IntrospectionCacheSettings;
  /** Also introspect a JWT that verified locally, so a revoked one is refused (needs `introspection`). */
  readonly introspectJwts?: boolean;
  readonly jwksCooldownMs: number;
  readonly clockSkewSeconds: number;
  readonly fetchTimeoutMs: number;
}

/** After a failed discovery, the next attempt waits this long (a down server is not hammered per request). */
const RETRY_DISCOVERY_MS = 10_000;
/** How long fetched keys are used before they are fetched again regardless of `kid`s. */
const JWKS_MAX_AGE_MS = 10 * 60_000;

export class TokenVerifier {
  readonly #config: VerifierConfig;
  #metadata: Promise<AuthorizationServerMetadata> | undefined;
  #failedAt = 0;
  #jwks: ReturnType<typeof Jose.createRemoteJWKSet> | undefined;
  readonly #cache: IntrospectionCache | undefined;

  constructor(config: VerifierConfig) {
    this.#config = config;
    if (config.introspection && config.introspectionCache?.maxTtlMs !== 0)
      this.#cache = new IntrospectionCache(config.introspectionCache);
  }

  /** Introspection cache counters, for tests and measurements; undefined when nothing is cached. */
  cacheStats(): ReturnType<IntrospectionCache['stats']> | undefined {
    return this.#cache?.stats();
  }

  async verify(token: string): Promise<Verdict> {
    const jwt = looksLikeJwt(token);
    if (this.#config.validation === 'introspection' || (!jwt && this.#config.introspection))
      return this.#introspect(token);
    if (!jwt) return { ok: false, reason: 'the token is not a JWT and no introspection endpoint is configured' };
    // Refused before any key is fetched: a forged `none` or HS* token costs the server nothing.
    if (!(ALGORITHMS as readonly string[]).includes(jwt))
      return { ok: false, reason: 'the signing algorithm is not allowed' };
    let keys: ReturnType<typeof Jose.createRemoteJWKSet>;
    try {
      keys = await this.#keys();
    } catch (err) {
      return { ok: false, unavailable: true, reason: `authorization server unavailable: ${(err as Error).message}` };
    }
    const { errors, jwtVerify } = await loadJose();
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: this.#config.issuer,
        audience: this.#config.audience,
        algorithms: [...ALGORITHMS],
        clockTolerance: this.#config.clockSkewSeconds,
        requiredClaims: ['exp'],
      });
      if (this.#config.introspectJwts && this.#config.introspection) {
        // Signature, issuer and audience hold; the authorization server still has to say it is not revoked.
        const asked = await this.#introspect(token);
        if (!asked.ok) return asked;
      }
      return { ok: true, principal: principalOf(payload) };
    } catch (err) {
      if (err instanceof errors.JWKSTimeout || (err as { name?: string }).name === 'TimeoutError')
        return { ok: false, unavailable: true, reason: 'authorization server keys timed out' };
      return { ok: false, reason: jwtReason(err, errors) };
    }
  }

  async #introspect(token: string): Promise<Verdict> {
    const client = this.#config.introspection;
    if (!client) return { ok: false, reason: 'introspection is required but no introspection client is configured' };
    let url = client.url;
    try {
      url ??= (await this.#discover()).introspection_endpoint;
      if (!url)
        return { ok: false, unavailable: true, reason: 'the authorization server names no introspection endpoint' };
      const endpoint = url;
      const ask = () => introspect(endpoint, client, token, this.#config.fetchTimeoutMs);
      const r = this.#cache ? await this.#cache.get(token, ask) : await ask();
      if (!r.active) return { ok: false, reason: 'the token is not active' };
      const now = Date.now() / 1000;
      const skew = this.#config.clockSkewSeconds;
      const aud = r.aud === undefined ? [] : Array.isArray(r.aud) ? r.aud : [r.aud];
      if (!aud.includes(this.#config.audience)) return { ok: false, reason: 'the token is for another audience' };
      if (r.iss !== undefined && r.iss !== this.#config.issuer) return { ok: false, reason: 'unexpected issuer' };
      if (typeof r.exp === 'number' && r.exp <= now - skew) return { ok: false, reason: 'the token has expired' };
      if (typeof r.nbf === 'number' && r.nbf > now + skew) return { ok: false, reason: 'the token is not yet valid' };
      return {
        ok: true,
        principal: {
          ...(r.sub ? { subject: r.sub } : {}),
          ...(r.client_id ? { clientId: r.client_id } : {}),
          scopes: new Set((r.scope ?? '').split(' ').filter(Boolean)),
        },
      };
    } catch (err) {
      return { ok: false, unavailable: true, reason: `introspection failed: ${(err as Error).message}` };
    }
  }

  async #keys(): Promise<ReturnType<typeof Jose.createRemoteJWKSet>> {
    if (this.#jwks) return this.#jwks;
    const meta = await this.#discover();
    const { createRemoteJWKSet } = await loadJose();
    if (!meta.jwks_uri) throw new Error('the authorization server metadata has no jwks_uri');
    // jose refetches the set once when a token names a kid it lacks, at most once per cooldown.
    this.#jwks ??= createRemoteJWKSet(new URL(meta.jwks_uri), {
      cooldownDuration: this.#config.jwksCooldownMs,
      cacheMaxAge: JWKS_MAX_AGE_MS,
      timeoutDuration: this.#config.fetchTimeoutMs,
    });
    return this.#jwks;
  }

  #discover(): Promise<AuthorizationServerMetadata> {
    if (!this.#metadata) {
      if (Date.now() - this.#failedAt < RETRY_DISCOVERY_MS)
        return Promise.reject(new Error('metadata discovery failed recently; retrying shortly'));
      this.#metadata = discover(this.#config.issuer, this.#config.fetchTimeoutMs);
      this.#metadata.catch(() => {
        this.#metadata = undefined;
        this.#failedAt = Date.now();
      });
    }
    return this.#metadata;
  }
}

/** The JWS header's `alg` when the token is shaped like a JWT, else undefined (an opaque token). */
function looksLikeJwt(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[0]) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: unknown } | null;
    return typeof header?.alg === 'string' ? header.alg : undefined;
  } catch {
    return undefined;
  }
}

function principalOf(payload: JWTPayload): Principal {
  const scp = payload['scp'];
  const scope = payload['scope'];
  const list =
    typeof scope === 'string'
      ? scope.split(' ')
      : Array.isArray(scp)
        ? scp.filter((s): s is string => typeof s === 'string')
        : typeof scp === 'string'
          ? scp.split(' ')
          : [];
  const clientId = payload['client_id'] ?? payload['azp'];
  return {
    ...(payload.sub ? { subject: payload.sub } : {}),
    ...(typeof clientId === 'string' ? { clientId } : {}),
    scopes: new Set(list.filter(Boolean)),
  };
}

/** jose's error, said without the token: which check failed. */
function jwtReason(err: unknown, errors: typeof Jose.errors): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return 'the token is not yet valid';
    if (err.claim === 'iss') return 'unexpected issuer';
    if (err.claim === 'aud') return 'the token is for another audience';
    if (err.claim === 'iat') return 'the token was issued in the future';
    return `claim ${err.claim} is invalid`;
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return 'the signing algorithm is not allowed';
  if (err instanceof errors.JWKSNoMatchingKey) return 'no published key matches the token (kid)';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not verify';
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'the token is malformed';
  return 'the token is invalid';
}
