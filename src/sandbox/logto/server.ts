// startLogtoSandbox: a fastify server that behaves like Logto's one-time-token Management API
// (reference/logto-one-time-tokens-contract.md) plus its OIDC side: the client-credentials token endpoint,
// and the interactive authorization-code flow with PKCE, a sign-in page and dynamic client registration.
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';

import { fastify, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

import { AccessTokens } from './access-tokens.js';
import { authenticate, type BearerPolicy } from './auth.js';
import { DEFAULT_SANDBOX_USER, registerAuthorizeRoutes, type SandboxUser } from './authorize.js';
import { ClientRegistry, type InteractiveClient } from './clients.js';
import { LogtoError, PlainError } from './errors.js';
import { JSON_TYPE } from './http.js';
import { Grants } from './grants.js';
import { generateRequestId } from './ids.js';
import { registerOidcRoutes, type ApiResource } from './oidc.js';
import { registerRegistrationRoute } from './registration.js';
import { registerTokenRoutes } from './routes.js';
import { TokenStore } from './store.js';
import type { Clock, OneTimeToken } from './types.js';

export interface LogtoSandboxOptions {
  /** The only bearer token the API accepts. Without it (and without oauthClients) any non-empty one passes. */
  token?: string;
  /** `tenantId` of every row; `default` as on Logto OSS. */
  tenantId?: string;
  /** Epoch-ms clock used for createdAt, expiry and access-token lifetimes. */
  now?: () => number;
  /** Clients allowed at POST /oidc/token; the API then accepts the tokens issued there. */
  oauthClients?: Array<{ id: string; secret: string }>;
  /** API resources besides the Management API that /oidc/token issues tokens for (e.g. the runtime's own). */
  apiResources?: ApiResource[];
  /** Interactive (authorization-code) apps known from the start; others register at /oidc/reg. */
  interactiveClients?: InteractiveClient[];
  /** Who can sign in on the /oidc/auth page; default one user, DEFAULT_SANDBOX_USER. */
  users?: SandboxUser[];
  /** `expires_in` of issued access tokens; 3600 like Logto's Management API resource. */
  accessTokenTtlSeconds?: number;
  logger?: Logger | false;
}

export interface LogtoSandbox {
  /** e.g. `http://127.0.0.1:3001`, no trailing slash; the API is under `${url}/api`. */
  readonly url: string;
  readonly tenantId: string;
  /** The `resource` to request at `${url}/oidc/token`: `https://<tenantId>.logto.app/api`. */
  readonly resource: string;
  close(): Promise<void>;
  /** Requests received (every path), and access tokens issued at /oidc/token. */
  stats(): { requests: number; tokensIssued: number; jwksFetches: number };
  /** The issuer of the tokens it signs: `${url}/oidc`. */
  readonly issuer: string;
  /** Test hook: sign with a new key from now on; the previous one stays in the JWKS unless `retire`. Returns the new kid. */
  rotateSigningKey(retire?: boolean): string;
  /** Test hook: an opaque (non-JWT) access token for an API resource, known only to introspection. */
  issueOpaqueToken(clientId: string, scopes: string[], resource: string): string;
  /** Test hook: the stored rows, newest first, with their stored (not displayed) status. */
  tokens(): OneTimeToken[];
  /** Test hook: consume a token as an end user's magic-link sign-in would. False if unknown. */
  consumeToken(token: string): boolean;
  /** Test hook: make every access token issued so far expired (to test refresh on 401). */
  expireAccessTokens(): number;
  /** Test hook: drop every one-time token. */
  clear(): void;
}

export type StartLogtoSandboxOptions = LogtoSandboxOptions & { host?: string; port?: number };

const BODY_LIMIT = 1024 * 1024;

export async function startLogtoSandbox(options: StartLogtoSandboxOptions = {}): Promise<LogtoSandbox> {
  const now: Clock = options.now ?? Date.now;
  const tenantId = options.tenantId ?? 'default';
  const resource = `https://${tenantId}.logto.app/api`;
  const store = new TokenStore(tenantId, now);
  const accessTokens = new AccessTokens(options.accessTokenTtlSeconds ?? 3600, now);
  const m2m = options.oauthClients ?? [];
  const clients = new ClientRegistry(m2m, options.interactiveClients ?? [], now);
  const grants = new Grants(now);
  const apiResources = options.apiResources ?? [];
  const policy: BearerPolicy = { staticToken: options.token, oauthEnabled: m2m.length > 0, accessTokens, resource };
  let requests = 0;
  let jwksFetches = 0;

  const app = createApp(options.logger);
  app.addHook('onRequest', async (request, reply) => {
    requests++;
    reply.header('Logto-Core-Request-Id', generateRequestId());
    if (request.url === '/api' || request.url.startsWith('/api/') || request.url.startsWith('/api?')) {
      authenticate(request.headers.authorization, policy);
    }
  });
  registerTokenRoutes(app, store);
  registerOidcRoutes(app, { clients, grants, resource, apiResources, accessTokens, onJwks: () => jwksFetches++ });
  registerAuthorizeRoutes(app, {
    clients,
    apiResources,
    users: options.users ?? [{ ...DEFAULT_SANDBOX_USER }],
    grants,
  });
  registerRegistrationRoute(app, clients, now);

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address() as AddressInfo;
  const url = `http://${urlHost(address.address)}:${address.port}`;
  return {
    url,
    issuer: `${url}/oidc`,
    rotateSigningKey: (retire) => accessTokens.rotate(retire),
    issueOpaqueToken: (clientId, scopes, audience) =>
      accessTokens.issueOpaque(clientId, scopes, `${url}/oidc`, audience),
    tenantId,
    resource,
    close: () => app.close(),
    stats: () => ({ requests, tokensIssued: accessTokens.issued, jwksFetches }),
    tokens: () => store.snapshot(),
    consumeToken: (token) => store.consumeOutOfBand(token),
    expireAccessTokens: () => accessTokens.expireAll(),
    clear: () => store.clear(),
  };
}

function createApp(logger: Logger | false | undefined): FastifyInstance {
  const loggerInstance: FastifyBaseLogger | undefined = logger || undefined;
  const app = fastify({
    ...(loggerInstance ? { loggerInstance } : { logger: false }),
    // Close keep-alive sockets too, so close() never waits for an idle client.
    forceCloseConnections: true,
    bodyLimit: BODY_LIMIT,
    // koa's query parser, so repeated keys and `+` decode as Logto sees them.
    routerOptions: { ignoreTrailingSlash: true, querystringParser: (s: string) => ({ ...parseQueryString(s) }) },
  });
  // Handlers parse bodies themselves (http.ts readBody): Logto parses only on guarded routes, after auth.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const [status, body] = errorResponse(error);
    return reply.code(status).type(JSON_TYPE).send(JSON.stringify(body));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/plain; charset=utf-8').send('Not Found'));
  return app;
}

/** Logto's RequestError envelope, a bare message for body syntax errors, and koa's 500 for the rest. */
function errorResponse(error: FastifyError): [number, object] {
  if (error instanceof LogtoError) return [error.status, error.toBody()];
  if (error instanceof PlainError) return [error.status, { message: error.message }];
  // fastify's own client errors (e.g. 413 body too large) keep their status and message.
  if (error.statusCode !== undefined && error.statusCode < 500) return [error.statusCode, { message: error.message }];
  return [500, { message: 'Internal server error.' }];
}

/** A connectable URL host: wildcard binds map to loopback, IPv6 gets brackets. */
function urlHost(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return address.includes(':') ? `[${address}]` : address;
}
