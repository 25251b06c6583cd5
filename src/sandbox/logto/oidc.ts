// POST /oidc/token: the client-credentials grant that yields a Management API access token
// (contract §5), or one for a configured API resource (a Logto "API resource" with its permissions: the
// token's `aud` is the resource indicator, RFC 8707, and `scope` the granted permissions), with
// oidc-provider's OAuth 2.0 error bodies. Also the discovery documents (RFC 8414 and OIDC), the JWKS and
// RFC 7662 introspection, so a resource server can validate what the sandbox issues.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { AccessTokens } from './access-tokens.js';
import { sameSecret } from './auth.js';
import { JSON_TYPE, mediaType, requestOrigin } from './http.js';

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
  clients: readonly OAuthClient[];
  /** The Management API resource indicator: `https://<tenant>.logto.app/api`. */
  resource: string;
  apiResources: readonly ApiResource[];
  accessTokens: AccessTokens;
  /** Counts JWKS fetches (a test watches key refetches). */
  onJwks: () => void;
}

type Form = URLSearchParams;

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
    const credentials = clientCredentials(request, form);
    if (!credentials) return oauthError(reply, 400, 'invalid_request', 'no client authentication mechanism provided');
    if (!config.clients.some((c) => c.id === credentials.id && sameSecret(credentials.secret, c.secret))) {
      return oauthError(reply, 401, 'invalid_client', 'client authentication failed');
    }
    const grantType = form.get('grant_type');
    if (!grantType) return oauthError(reply, 400, 'invalid_request', "missing required parameter 'grant_type'");
    if (grantType !== 'client_credentials')
      return oauthError(reply, 400, 'unsupported_grant_type', 'unsupported grant_type requested');
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
    const issuer = `${requestOrigin(request)}/oidc`;
    const accessToken = config.accessTokens.issue(
      credentials.id,
      scopes,
      issuer,
      api ? api.indicator : config.resource,
    );
    const body = {
      access_token: accessToken,
      expires_in: config.accessTokens.ttlSeconds,
      token_type: 'Bearer',
      ...(scopes.length > 0 && { scope: scopes.join(' ') }),
    };
    return reply.code(200).header('Cache-Control', 'no-store').type(JSON_TYPE).send(JSON.stringify(body));
  });

  app.get('/oidc/jwks', async (_request, reply) => {
    config.onJwks();
    return reply.type(JSON_TYPE).send(JSON.stringify(config.accessTokens.jwks()));
  });

  app.post('/oidc/token/introspection', async (request, reply) => {
    const form = new URLSearchParams(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
    const credentials = clientCredentials(request, form);
    if (
      !credentials ||
      !config.clients.some((c) => c.id === credentials.id && sameSecret(credentials.secret, c.secret))
    )
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
      grant_types_supported: ['client_credentials'],
      response_types_supported: ['code'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: [...new Set(['all', ...config.apiResources.flatMap((r) => r.scopes)])],
      id_token_signing_alg_values_supported: ['ES384'],
      code_challenge_methods_supported: ['S256'],
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

/** `Authorization: Basic` (form-urlencoded id and secret, RFC 6749 §2.3.1) or the form fields. */
function clientCredentials(request: FastifyRequest, form: Form): OAuthClient | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  return id && secret !== null ? { id, secret } : undefined;
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function oauthError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply
    .code(status)
    .header('Cache-Control', 'no-store')
    .type(JSON_TYPE)
    .send(JSON.stringify({ error, error_description: description }));
}
