// The token endpoint's interactive grants (POST /oidc/token): `authorization_code` (one-time code, same client
// and redirect URI, PKCE S256 verifier) and `refresh_token` (rotated; may narrow the scope). The access token
// for an API resource is a JWT with `aud` = the resource indicator, `sub` = the user and `scope` = the granted
// permissions, as Logto issues it; without a resource it is opaque (introspection only). A refresh token is
// issued when `offline_access` was granted, as in Logto.
import type { AccessTokens } from './access-tokens.js';
import type { RegisteredClient } from './clients.js';
import { OIDC_SCOPES, pkceMatches, type Grant, type Grants } from './grants.js';

export interface TokenContext {
  grants: Grants;
  accessTokens: AccessTokens;
  issuer: string;
}

export type GrantOutcome = { error: string; description: string } | { body: Record<string, unknown> };

const INVALID_GRANT = { error: 'invalid_grant', description: 'grant request is invalid' };

export function redeemCode(form: URLSearchParams, client: RegisteredClient, ctx: TokenContext): GrantOutcome {
  const code = form.get('code');
  if (!code) return { error: 'invalid_request', description: "missing required parameter 'code'" };
  const verifier = form.get('code_verifier');
  // Redeemed (so spent) before any other check: a code presented twice never works again.
  const grant = ctx.grants.redeemCode(code);
  if (!grant || grant.clientId !== client.id) return INVALID_GRANT;
  if (form.get('redirect_uri') !== grant.redirectUri) return INVALID_GRANT;
  if (!verifier || !pkceMatches(verifier, grant.codeChallenge))
    return { error: 'invalid_grant', description: 'PKCE verification failed' };
  const resource = form.get('resource');
  if (resource !== null && resource !== grant.resource)
    return { error: 'invalid_target', description: 'resource indicator is missing, or unknown' };
  return issue(grant, client, ctx);
}

export function redeemRefreshToken(form: URLSearchParams, client: RegisteredClient, ctx: TokenContext): GrantOutcome {
  const token = form.get('refresh_token');
  if (!token) return { error: 'invalid_request', description: "missing required parameter 'refresh_token'" };
  const grant = ctx.grants.redeemRefreshToken(token);
  if (!grant || grant.clientId !== client.id) return INVALID_GRANT;
  const resource = form.get('resource');
  if (resource !== null && resource !== grant.resource)
    return { error: 'invalid_target', description: 'resource indicator is missing, or unknown' };
  const asked = form.get('scope');
  const scopes = asked === null ? grant.scopes : asked.split(' ').filter(Boolean);
  if (!scopes.every((s) => grant.scopes.includes(s)))
    return { error: 'invalid_scope', description: 'refresh token missing requested scope' };
  // The new refresh token keeps the whole grant (RFC 6749 §6); only this access token is narrowed.
  return issue(grant, client, ctx, scopes);
}

function issue(grant: Grant, client: RegisteredClient, ctx: TokenContext, scopes = grant.scopes): GrantOutcome {
  // The access token carries the resource's permissions; OIDC scopes are about the user, not the API.
  const permissions = scopes.filter((s) => !OIDC_SCOPES.includes(s));
  const accessToken =
    grant.resource === undefined
      ? ctx.accessTokens.issueOpaque(client.id, [...scopes], ctx.issuer, `${ctx.issuer}/me`, grant.subject)
      : ctx.accessTokens.issue(client.id, permissions, ctx.issuer, grant.resource, grant.subject);
  const refresh =
    grant.scopes.includes('offline_access') && client.grantTypes.includes('refresh_token')
      ? ctx.grants.issueRefreshToken(grant)
      : undefined;
  const scope = (grant.resource === undefined ? scopes : permissions).join(' ');
  return {
    body: {
      access_token: accessToken,
      expires_in: ctx.accessTokens.ttlSeconds,
      token_type: 'Bearer',
      ...(scope ? { scope } : {}),
      ...(refresh ? { refresh_token: refresh } : {}),
    },
  };
}
