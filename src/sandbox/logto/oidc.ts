// POST /oidc/token: the client-credentials grant that yields a Management API access token
// (contract §5), with oidc-provider's OAuth 2.0 error bodies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { AccessTokens } from './access-tokens.js';
import { sameSecret } from './auth.js';
import { JSON_TYPE, mediaType, requestOrigin } from './http.js';

export interface OAuthClient {
  id: string;
  secret: string;
}

interface OAuthConfig {
  clients: readonly OAuthClient[];
  /** The Management API resource indicator: `https://<tenant>.logto.app/api`. */
  resource: string;
  accessTokens: AccessTokens;
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
    if (form.get('resource') !== config.resource)
      return oauthError(reply, 400, 'invalid_target', 'resource indicator is missing, or unknown');

    // Only `all` exists on the Management API; other requested scopes are dropped.
    const scopes = (form.get('scope') ?? '').split(' ').filter((s) => s === 'all');
    const issuer = `${requestOrigin(request)}/oidc`;
    const accessToken = config.accessTokens.issue(credentials.id, scopes, issuer, config.resource);
    const body = {
      access_token: accessToken,
      expires_in: config.accessTokens.ttlSeconds,
      token_type: 'Bearer',
      ...(scopes.length > 0 && { scope: scopes.join(' ') }),
    };
    return reply.code(200).header('Cache-Control', 'no-store').type(JSON_TYPE).send(JSON.stringify(body));
  });

  app.get('/oidc/jwks', async (_request, reply) =>
    reply.type(JSON_TYPE).send(JSON.stringify(config.accessTokens.jwks())),
  );
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
