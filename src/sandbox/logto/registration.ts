// POST /oidc/reg: RFC 7591 dynamic client registration, for the MCP clients that register themselves (the
// Inspector, the SDKs' OAuth providers). Public clients (`token_endpoint_auth_method: none`) get an id only;
// confidential ones an id and a secret. Only what the sandbox can honour is accepted: the authorization-code
// and refresh-token grants, the `code` response type, and absolute redirect URIs without a fragment.
import type { FastifyInstance, FastifyReply } from 'fastify';

import type { ClientRegistry, TokenEndpointAuthMethod } from './clients.js';
import { JSON_TYPE, mediaType } from './http.js';

const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ['none', 'client_secret_basic', 'client_secret_post'];
const GRANT_TYPES = ['authorization_code', 'refresh_token'];

export function registerRegistrationRoute(app: FastifyInstance, clients: ClientRegistry, now: () => number): void {
  app.post('/oidc/reg', async (request, reply) => {
    if (mediaType(request.headers) !== 'application/json')
      return registrationError(reply, 'invalid_client_metadata', 'the request body must be application/json');
    let metadata: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      metadata = parsed as Record<string, unknown>;
    } catch {
      return registrationError(reply, 'invalid_client_metadata', 'the request body must be a JSON object');
    }

    const redirectUris = metadata['redirect_uris'];
    if (!Array.isArray(redirectUris) || redirectUris.length === 0 || !redirectUris.every(isRedirectUri))
      return registrationError(
        reply,
        'invalid_redirect_uri',
        'redirect_uris must be a non-empty array of absolute URIs without a fragment',
      );
    const authMethod = metadata['token_endpoint_auth_method'] ?? 'client_secret_basic';
    if (!AUTH_METHODS.includes(authMethod as TokenEndpointAuthMethod))
      return registrationError(
        reply,
        'invalid_client_metadata',
        `token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}`,
      );
    const grantTypes = metadata['grant_types'] ?? ['authorization_code'];
    if (!Array.isArray(grantTypes) || !grantTypes.every((g) => GRANT_TYPES.includes(g as string)))
      return registrationError(reply, 'invalid_client_metadata', `grant_types must be among ${GRANT_TYPES.join(', ')}`);
    const responseTypes = metadata['response_types'] ?? ['code'];
    if (!Array.isArray(responseTypes) || !responseTypes.every((r) => r === 'code'))
      return registrationError(reply, 'invalid_client_metadata', "response_types must be ['code']");
    const name = typeof metadata['client_name'] === 'string' ? metadata['client_name'].slice(0, 128) : undefined;

    const client = clients.register({
      authMethod: authMethod as TokenEndpointAuthMethod,
      redirectUris: redirectUris as string[],
      grantTypes: grantTypes as string[],
      issuedAt: Math.floor(now() / 1000),
      ...(name === undefined ? {} : { name }),
    });
    if (!client) return registrationError(reply, 'invalid_client_metadata', 'too many registered clients', 429);
    const body = {
      client_id: client.id,
      client_id_issued_at: client.issuedAt,
      ...(client.secret === undefined ? {} : { client_secret: client.secret, client_secret_expires_at: 0 }),
      redirect_uris: client.redirectUris,
      token_endpoint_auth_method: client.authMethod,
      grant_types: client.grantTypes,
      response_types: ['code'],
      ...(name === undefined ? {} : { client_name: name }),
    };
    return reply.code(201).header('Cache-Control', 'no-store').type(JSON_TYPE).send(JSON.stringify(body));
  });
}

function isRedirectUri(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.hash === '' && !value.includes('#');
  } catch {
    return false;
  }
}

function registrationError(reply: FastifyReply, error: string, description: string, status = 400): FastifyReply {
  return reply
    .code(status)
    .header('Cache-Control', 'no-store')
    .type(JSON_TYPE)
    .send(JSON.stringify({ error, error_description: description }));
}
