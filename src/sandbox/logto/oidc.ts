// POST /oidc/token: the client-credentials grant that yields a Management API access token
// (contract §5), or one for a configured API resource (a Logto "API resource" with its permissions: the
// token's `aud` is the resource indicator, RFC 8707, and `scope` the granted permissions), with
// oidc-provider's OAuth 2.0 error bodies; and the interactive grants (token-grants.ts) that follow a sign-in
// at /oidc/auth (authorize.ts). Also the discovery documents (RFC 8414 and OIDC), the JWKS and RFC 7662
// introspection, so a resource server can validate what the sandbox issues.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { AccessTokens } from './access-tokens.js';
import type { ClientRegistry } from './clients.js';
import type { Grants } from './grants.js';
import { JSON_TYPE, mediaType, requestOrigin } from './http.js';
import { redeemCode, redeemRefreshToken } from './token-grants.js';

export interface OAuthClient {
  id: string;
  secret: string;
}

/** A Logto API resource: its indicator and the permissions (scopes) an M2M app may be granted. */
export interface ApiResource {
  indicator: string;
  scopes: string[];
}

interface OAuthConfig {
  clients: ClientRegistry;
  grants: Grants;
  /** The Management API resource indicator: `https://<tenant>.logto.app/api`. */
  resource: string;
  apiResources: readonly ApiResource[];
  accessTokens: AccessTokens;
  /** Counts JWKS fetches (a test watches key refetches). */
  onJwks: () => void;
}

/** Every grant the token endpoint knows; a client may use those it was registered for. */
const GRANTS = ['client_credentials', 'authorization_code', 'refresh_token'];

export function registerOidcRoutes(app: FastifyInstance, config: OAuthConfig): void {
  app.post('/oidc/token', async (request, reply) => {
    if (mediaType(request.headers) !== 'application/x-www-form-urlencoded') {
      return oauthError(
        reply,
        400,
        'invalid_request',
        'only application/x-www-form-urlencoded content-type bodies are supported on POST /token',
      );
    }
    const form = new URLSearchParams(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
    const client = config.clients.authenticate(request, form);
    if (client === 'missing')
      return oauthError(reply, 400, 'invalid_request', 'no client authentication mechanism provided');
    if (client === 'failed') return oauthError(reply, 401, 'invalid_client', 'client authentication failed');
    const grantType = form.get('grant_type');
    if (!grantType) return oauthError(reply, 400, 'invalid_request', "missing required parameter 'grant_type'");
    if (!client.grantTypes.includes(grantType))
      return oauthError(
        reply,
        400,
        GRANTS.includes(grantType) ? 'unauthorized_client' : 'unsupported_grant_type',
        GRANTS.includes(grantType)
          ? 'requested grant type is not allowed for this client'
          : 'unsupported grant_type requested',
      );
    const issuer = `${requestOrigin(request)}/oidc`;
    if (grantType === 'authorization_code' || grantType === 'refresh_token') {
      const outcome = (grantType === 'authorization_code' ? redeemCode : redeemRefreshToken)(form, client, {
        grants: config.grants,
        accessTokens: config.accessTokens,
        issuer,
      });
      return 'error' in outcome
        ? oauthError(reply, 400, outcome.error, outcome.description)
        : tokenResponse(reply, outcome.body);
    }
    const resource = form.get('resource');
    const api = config.apiResources.find((r) => r.indicator === resource);
    if (resource !== config.resource && !api)
      return oauthError(reply, 400, 'invalid_target', 'resource indicator is missing, or unknown');

    const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
    // Only `all` exists on the Management API; for an API resource, the requested permissions it
    // defines, or all of them when none is asked for. Other requested scopes are dropped.
    const scopes = api
      ? requested.length
        ? requested.filter((s) => api.scopes.includes(s))
        : [...api.scopes]
      : requested.filter((s) => s === 'all');
    const accessToken = config.accessTokens.issue(client.id, scopes, issuer, api ? api.indicator : config.resource);
    return tokenResponse(reply, {
      access_token: accessToken,
      expires_in: config.accessTokens.ttlSeconds,
      token_type: 'Bearer',
      ...(scopes.length > 0 && { scope: scopes.join(' ') }),
    });
  });

  app.get('/oidc/jwks', async (_request, reply) => {
    config.onJwks();
    return reply.type(JSON_TYPE).send(JSON.stringify(config.accessTokens.jwks()));
  });

  app.post('/oidc/token/introspection', async (request, reply) => {
    const form = new URLSearchParams(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
    // Introspection is for resource servers: a confidential client (a public one proves nothing).
    const client = config.clients.authenticate(request, form);
    if (typeof client === 'string' || client.secret === undefined)
      return oauthError(reply, 401, 'invalid_client', 'client authentication failed');
    const token = form.get('token');
    if (!token) return oauthError(reply, 400, 'invalid_request', "missing required parameter 'token'");
    return reply
      .header('Cache-Control', 'no-store')
      .type(JSON_TYPE)
      .send(JSON.stringify(config.accessTokens.introspect(token)));
  });

  const metadata = (request: FastifyRequest) => {
    const origin = requestOrigin(request);
    const issuer = `${origin}/oidc`;
    return {
      issuer,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      introspection_endpoint: `${issuer}/token/introspection`,
      authorization_endpoint: `${issuer}/auth`,
      registration_endpoint: `${issuer}/reg`,
      grant_types_supported: GRANTS,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: [
        ...new Set(['openid', 'offline_access', 'all', ...config.apiResources.flatMap((r) => r.scopes)]),
      ],
      id_token_signing_alg_values_supported: ['ES384'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    };
  };
  // RFC 8414 (the well-known segment before the issuer's path, and at the root as Logto answers) and OIDC.
  for (const path of [
    '/.well-known/oauth-authorization-server',
    '/.well-known/oauth-authorization-server/oidc',
    '/oidc/.well-known/openid-configuration',
  ])
    app.get(path, async (request, reply) => reply.type(JSON_TYPE).send(JSON.stringify(metadata(request))));
}

function tokenResponse(reply: FastifyReply, body: object): FastifyReply {
  return reply.code(200).header('Cache-Control', 'no-store').type(JSON_TYPE).send(JSON.stringify(body));
}

function oauthError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply
    .code(status)
    .header('Cache-Control', 'no-store')
    .type(JSON_TYPE)
    .send(JSON.stringify({ error, error_description: description }));
}
