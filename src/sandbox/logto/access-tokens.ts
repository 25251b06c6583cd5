// Access tokens minted by the sandbox's /oidc/token: ES384-signed JWTs shaped like Logto's
// (contract §5), remembered so the API can recognise them and tell expired ones apart. The signing key
// can be rotated (a test hook); the JWKS publishes the current key and, unless retired, the previous one.
// Opaque tokens (a test hook) exist only for introspection.
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';

import type { Clock } from './types.js';

export interface AccessGrant {
  clientId: string;
  scopes: string[];
  payload: Record<string, unknown>;
  /** Epoch seconds, as in the `exp` claim. */
  exp: number;
}

export class AccessTokens {
  readonly #grants = new Map<string, AccessGrant>();
  #keys: SigningKey | undefined;
  #previous: SigningKey | undefined;
  readonly #opaque = new Map<string, AccessGrant>();
  #issued = 0;

  constructor(
    readonly ttlSeconds: number,
    readonly now: Clock,
  ) {}

  get issued(): number {
    return this.#issued;
  }

  /** `subject` is the signed-in user for an interactive grant; the app itself (M2M) otherwise. */
  issue(clientId: string, scopes: string[], issuer: string, audience: string, subject = clientId): string {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + this.ttlSeconds;
    const scope = scopes.join(' ');
    const payload = {
      jti: randomUUID(),
      sub: subject,
      iat,
      exp,
      scope,
      client_id: clientId,
      iss: issuer,
      aud: audience,
    };
    const keys = this.#signingKeys();
    const head = base64url({ alg: 'ES384', typ: 'at+jwt', kid: keys.kid });
    const body = base64url(payload);
    const signature = sign('sha384', Buffer.from(`${head}.${body}`), {
      key: keys.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    const jwt = `${head}.${body}.${signature.toString('base64url')}`;
    this.#grants.set(jwt, { clientId, scopes, payload, exp });
    this.#issued++;
    return jwt;
  }

  lookup(token: string): AccessGrant | undefined {
    return this.#grants.get(token);
  }

  /** A random, non-JWT token known only to introspection (Logto issues these when no resource is asked for). */
  issueOpaque(clientId: string, scopes: string[], issuer: string, audience: string, subject = clientId): string {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + this.ttlSeconds;
    const token = randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '');
    const payload = {
      sub: subject,
      client_id: clientId,
      iat,
      exp,
      scope: scopes.join(' '),
      iss: issuer,
      aud: audience,
    };
    this.#opaque.set(token, { clientId, scopes, payload, exp });
    this.#issued++;
    return token;
  }

  /** RFC 7662: what the introspection endpoint says about a token (JWT or opaque). */
  introspect(token: string): Record<string, unknown> {
    const grant = this.#grants.get(token) ?? this.#opaque.get(token);
    if (!grant || this.isExpired(grant)) return { active: false };
    return { active: true, token_type: 'Bearer', ...grant.payload, exp: grant.exp };
  }

  /** Test hook: sign with a new key from now on; the old one stays published unless `retire`. Returns the new kid. */
  rotate(retire = false): string {
    const old = this.#signingKeys();
    this.#keys = undefined;
    const next = this.#signingKeys();
    this.#previous = retire ? undefined : old;
    return next.kid;
  }

  /** jose's rule: expired once `exp <= now` in whole seconds. */
  isExpired(grant: AccessGrant): boolean {
    return grant.exp <= Math.floor(this.now() / 1000);
  }

  /** Test hook: every token issued so far now fails as expired (to exercise refresh on 401). */
  expireAll(): number {
    const exp = Math.floor(this.now() / 1000);
    for (const grant of this.#grants.values()) grant.exp = Math.min(grant.exp, exp);
    return this.#grants.size;
  }

  jwks(): { keys: Array<Record<string, unknown>> } {
    const published = [this.#signingKeys(), ...(this.#previous ? [this.#previous] : [])];
    return {
      keys: published.map((k) => ({ ...k.publicKey.export({ format: 'jwk' }), kid: k.kid, alg: 'ES384', use: 'sig' })),
    };
  }

  // Key generation costs a few ms, so it waits for the first token.
  #signingKeys(): SigningKey {
    if (!this.#keys) {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
      const kid = createHash('sha256')
        .update(publicKey.export({ format: 'der', type: 'spki' }))
        .digest('base64url');
      this.#keys = { privateKey, publicKey, kid: kid.slice(0, 32) };
    }
    return this.#keys;
  }
}

interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
