// The Management API's bearer check (koa-auth, contract §1.2), against what the sandbox accepts:
// the static token it was started with, tokens it issued at /oidc/token, or, when neither is
// configured, any non-empty bearer token.
import { timingSafeEqual } from 'node:crypto';

import type { AccessTokens } from './access-tokens.js';
import { authErrors } from './errors.js';

export interface BearerPolicy {
  staticToken: string | undefined;
  /** With OAuth clients configured and no static token, only issued tokens pass. */
  oauthEnabled: boolean;
  accessTokens: AccessTokens;
  /** The Management API's resource indicator: a token issued for another API resource is refused. */
  resource?: string;
}

const BEARER = 'Bearer';

/** Throws the LogtoError Logto would answer with; returns when the request may proceed. */
export function authenticate(authorization: string | undefined, policy: BearerPolicy): void {
  if (!authorization) throw authErrors.headerMissing();
  // Logto checks a case-sensitive `Bearer` prefix, then slices off `Bearer ` (7 chars).
  if (!authorization.startsWith(BEARER)) throw authErrors.typeNotSupported();
  const token = authorization.slice(BEARER.length + 1);

  const grant = policy.accessTokens.lookup(token);
  if (grant) {
    if (policy.accessTokens.isExpired(grant)) {
      throw authErrors.unauthorized({
        code: 'ERR_JWT_EXPIRED',
        name: 'JWTExpired',
        claim: 'exp',
        reason: 'check_failed',
        payload: grant.payload,
      });
    }
    if (policy.resource !== undefined && grant.payload['aud'] !== policy.resource) {
      throw authErrors.unauthorized({
        code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
        name: 'JWTClaimValidationFailed',
        claim: 'aud',
        reason: 'check_failed',
        payload: grant.payload,
      });
    }
    if (!grant.scopes.includes('all')) throw authErrors.forbidden();
    return;
  }
  if (policy.staticToken !== undefined ? sameSecret(token, policy.staticToken) : !policy.oauthEnabled && token !== '') {
    return;
  }
  // What jose reports for a string that is not a JWS, or for a JWS signed by another key.
  throw authErrors.unauthorized(
    token.split('.').length === 3
      ? { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', name: 'JWSSignatureVerificationFailed' }
      : { code: 'ERR_JWS_INVALID', name: 'JWSInvalid' },
  );
}

/** Constant-time comparison of two secrets. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
