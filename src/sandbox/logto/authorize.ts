// GET /oidc/auth and the sign-in page behind it: the authorization-code flow with PKCE as Logto (oidc-provider)
// runs it for an interactive app. The request is checked before anyone signs in — an unknown client or a
// redirect URI that is not exactly a registered one gets an error page and no redirect (RFC 6749 §4.1.2.1);
// anything else wrong goes back to the client as `error=` on its redirect URI. PKCE is required and only S256
// is accepted (OAuth 2.1). `resource` (RFC 8707) names the API resource, whose permissions the token may
// carry: those requested that the user holds. The redirect carries `code`, `state` and `iss` (RFC 9207).
import { createHash } from 'node:crypto';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { sameSecret } from './auth.js';
import type { ClientRegistry } from './clients.js';
import { OIDC_SCOPES, PKCE_VALUE, type AuthorizationRequest, type Grants } from './grants.js';
import { requestOrigin } from './http.js';
import type { ApiResource } from './oidc.js';
import { renderSignInPage, SIGN_IN_CSP } from './sign-in-page.js';

/** Someone who can sign in on the sandbox's page. */
export interface SandboxUser {
  username: string;
  password: string;
  /** The permissions the user's roles grant, on every API resource that defines them; default: all of them. */
  scopes?: string[];
}

/** The user a sandbox has when none is configured (documented in docs/auth.md). */
export const DEFAULT_SANDBOX_USER: Readonly<SandboxUser> = { username: 'sandbox-user', password: 'sandbox-password' };

interface AuthorizeConfig {
  clients: ClientRegistry;
  apiResources: readonly ApiResource[];
  users: readonly SandboxUser[];
  grants: Grants;
}

type Query = Record<string, string | string[] | undefined>;

export function registerAuthorizeRoutes(app: FastifyInstance, config: AuthorizeConfig): void {
  app.get('/oidc/auth', async (request, reply) => {
    const query = request.query as Query;
    const one = (name: string): string | undefined => {
      const v = query[name];
      return Array.isArray(v) ? undefined : v;
    };
    const repeated = Object.keys(query).find((k) => Array.isArray(query[k]));
    const clientId = one('client_id');
    const client = clientId ? config.clients.get(clientId) : undefined;
    if (!client) return errorPage(reply, 'invalid_client', 'the client_id is missing or unknown');
    const redirectUri = one('redirect_uri');
    if (!redirectUri || !client.redirectUris.includes(redirectUri))
      return errorPage(
        reply,
        'invalid_redirect_uri',
        "redirect_uri did not match any of the client's registered redirect_uris",
      );

    const state = one('state');
    const back = (error: string, description: string) =>
      redirect(reply, redirectUri, { error, error_description: description, state, iss: issuerOf(request) });
    if (repeated) return back('invalid_request', `'${repeated}' parameter must not be provided twice`);
    if (one('response_type') !== 'code')
      return back('unsupported_response_type', 'unsupported response_type requested');
    if (!client.grantTypes.includes('authorization_code'))
      return back('unauthorized_client', 'requested response_type is not allowed for this client');
    const challenge = one('code_challenge');
    if (!challenge)
      return back('invalid_request', 'Authorization Server policy requires PKCE to be used for this request');
    const method = one('code_challenge_method');
    if (method !== 'S256')
      return back(
        'invalid_request',
        method === undefined || method === 'plain'
          ? 'plain code_challenge_method fallback disabled, code_challenge_method must be provided'
          : 'not supported value of code_challenge_method',
      );
    if (!PKCE_VALUE.test(challenge))
      return back('invalid_request', 'code_challenge must be a string with a minimum length of 43 characters');
    const resource = one('resource');
    if (resource !== undefined && !config.apiResources.some((r) => r.indicator === resource))
      return back('invalid_target', 'resource indicator is missing, or unknown');

    const authorization: AuthorizationRequest = {
      clientId: client.id,
      redirectUri,
      codeChallenge: challenge,
      scopes: (one('scope') ?? '').split(' ').filter(Boolean),
      ...(state === undefined ? {} : { state }),
      ...(resource === undefined ? {} : { resource }),
    };
    const uid = config.grants.startInteraction(authorization);
    return page(reply, 200, {
      action: `/oidc/interaction/${uid}`,
      clientName: client.name ?? client.id,
      ...(resource === undefined ? {} : { resource }),
      scopes: authorization.scopes,
    });
  });

  app.post('/oidc/interaction/:uid', async (request, reply) => {
    const { uid } = request.params as { uid: string };
    const authorization = config.grants.interaction(uid);
    if (!authorization)
      return errorPage(reply, 'invalid_request', 'the sign-in has expired or was already completed; start again');
    const form = new URLSearchParams(Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '');
    const state = authorization.state;
    const iss = issuerOf(request);
    if (form.get('consent') !== 'allow') {
      config.grants.endInteraction(uid);
      return redirect(reply, authorization.redirectUri, {
        error: 'access_denied',
        error_description: 'End-User aborted interaction',
        state,
        iss,
      });
    }
    const username = form.get('username') ?? '';
    const password = form.get('password') ?? '';
    const user = config.users.find((u) => u.username === username && sameSecret(password, u.password));
    if (!user) {
      const client = config.clients.get(authorization.clientId);
      return page(reply, 200, {
        action: `/oidc/interaction/${uid}`,
        clientName: client?.name ?? authorization.clientId,
        ...(authorization.resource === undefined ? {} : { resource: authorization.resource }),
        scopes: authorization.scopes,
        error: 'Wrong username or password.',
        username,
      });
    }
    config.grants.endInteraction(uid);
    const code = config.grants.issueCode({
      clientId: authorization.clientId,
      subject: userId(user.username),
      redirectUri: authorization.redirectUri,
      codeChallenge: authorization.codeChallenge,
      scopes: grantedScopes(authorization, user, config.apiResources),
      ...(authorization.resource === undefined ? {} : { resource: authorization.resource }),
    });
    return redirect(reply, authorization.redirectUri, { code, state, iss });
  });
}

/** OIDC scopes as requested; the resource's permissions requested ∩ defined by it ∩ held by the user. */
function grantedScopes(request: AuthorizationRequest, user: SandboxUser, resources: readonly ApiResource[]): string[] {
  const api = resources.find((r) => r.indicator === request.resource);
  return request.scopes.filter(
    (s) =>
      OIDC_SCOPES.includes(s) || (api?.scopes.includes(s) && (user.scopes === undefined || user.scopes.includes(s))),
  );
}

/** A stable 12-character id like Logto's user ids. */
export function userId(username: string): string {
  return createHash('sha256').update(username).digest('hex').slice(0, 12);
}

function issuerOf(request: FastifyRequest): string {
  return `${requestOrigin(request)}/oidc`;
}

function redirect(reply: FastifyReply, to: string, params: Record<string, string | undefined>): FastifyReply {
  const url = new URL(to);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.append(k, v);
  return reply.code(303).header('Cache-Control', 'no-store').header('Location', url.href).send();
}

function page(reply: FastifyReply, status: number, content: Parameters<typeof renderSignInPage>[0]): FastifyReply {
  return reply
    .code(status)
    .header('Cache-Control', 'no-store')
    .header('Content-Security-Policy', SIGN_IN_CSP)
    .type('text/html; charset=utf-8')
    .send(renderSignInPage(content));
}

function errorPage(reply: FastifyReply, error: string, description: string): FastifyReply {
  const text = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return reply
    .code(400)
    .header('Cache-Control', 'no-store')
    .header('Content-Security-Policy', SIGN_IN_CSP)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>oops! something went wrong</title></head>` +
        `<body><h1>oops! something went wrong</h1><p><code>${text(error)}</code>: ${text(description)}</p></body></html>\n`,
    );
}
