// What the interactive flow hands out between its steps: sign-in interactions (an authorization request
// waiting for the user), authorization codes (one-time, 60 s as oidc-provider's default) and refresh tokens
// (rotated on use). All in memory, keyed by unguessable random values, bounded in number.
import { createHash, randomBytes } from 'node:crypto';

import type { Clock } from './types.js';

/** A validated authorization request (RFC 6749 §4.1.1 with PKCE and RFC 8707 `resource`). */
export interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state?: string;
  readonly codeChallenge: string;
  /** The API resource indicator the access token is for; absent: an opaque token for no API. */
  readonly resource?: string;
  /** Requested scopes (OIDC ones and the resource's permissions). */
  readonly scopes: readonly string[];
}

export interface Grant {
  readonly clientId: string;
  /** The signed-in user's id (the token's `sub`). */
  readonly subject: string;
  readonly resource?: string;
  /** What the token carries: requested ∩ the user's permissions for the resource, plus OIDC scopes. */
  readonly scopes: readonly string[];
}

export interface CodeGrant extends Grant {
  readonly redirectUri: string;
  readonly codeChallenge: string;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export interface RefreshGrant extends Grant {
  readonly expiresAt: number;
}

/** Scopes about the user (OIDC), not an API resource: kept when requested, never in an API token's `scope`. */
export const OIDC_SCOPES: readonly string[] = ['openid', 'offline_access', 'profile', 'email'];

const INTERACTION_TTL_MS = 10 * 60_000;
const CODE_TTL_MS = 60_000;
/** Logto's default refresh-token lifetime for an app: 14 days. */
const REFRESH_TTL_MS = 14 * 24 * 3600_000;
const MAX_ENTRIES = 10_000;

export class Grants {
  readonly #interactions = new Map<string, { request: AuthorizationRequest; expiresAt: number }>();
  readonly #codes = new Map<string, CodeGrant>();
  readonly #refresh = new Map<string, RefreshGrant>();

  constructor(readonly now: Clock) {}

  startInteraction(request: AuthorizationRequest): string {
    const uid = randomValue();
    remember(this.#interactions, uid, { request, expiresAt: this.now() + INTERACTION_TTL_MS });
    return uid;
  }

  interaction(uid: string): AuthorizationRequest | undefined {
    const entry = this.#interactions.get(uid);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.#interactions.delete(uid);
      return undefined;
    }
    return entry.request;
  }

  endInteraction(uid: string): void {
    this.#interactions.delete(uid);
  }

  issueCode(grant: Omit<CodeGrant, 'expiresAt'>): string {
    return this.#issue(this.#codes, grant, CODE_TTL_MS);
  }

  /** The code's grant, once: a second redemption finds nothing (RFC 6749 §4.1.2). */
  redeemCode(code: string): CodeGrant | undefined {
    return this.#redeem(this.#codes, code);
  }

  issueRefreshToken(grant: Grant): string {
    return this.#issue(this.#refresh, grant, REFRESH_TTL_MS);
  }

  /** The refresh token's grant, once: the caller issues a new one (rotation, as oidc-provider does for public clients). */
  redeemRefreshToken(token: string): RefreshGrant | undefined {
    return this.#redeem(this.#refresh, token);
  }

  #issue<G extends { expiresAt: number }>(store: Map<string, G>, grant: Omit<G, 'expiresAt'>, ttlMs: number): string {
    const value = randomValue();
    remember(store, value, { ...grant, expiresAt: this.now() + ttlMs } as G);
    return value;
  }

  /** Single use: the entry is gone whether or not it was still valid. */
  #redeem<G extends { expiresAt: number }>(store: Map<string, G>, value: string): G | undefined {
    const grant = store.get(value);
    store.delete(value);
    return grant && grant.expiresAt > this.now() ? grant : undefined;
  }
}

/** RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  return PKCE_VALUE.test(verifier) && createHash('sha256').update(verifier).digest('base64url') === challenge;
}

/** RFC 7636 §4.1: 43 to 128 unreserved characters (a challenge has the same alphabet and length range). */
export const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

function randomValue(): string {
  return randomBytes(32).toString('base64url');
}

/** Insert, dropping the oldest entry past the bound (a Map iterates in insertion order). */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_ENTRIES) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}
