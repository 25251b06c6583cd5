// Where inbound auth meets the HTTP adapters: one onRequest hook authenticates every request but health,
// the protected-resource metadata and CORS preflights; one preHandler checks the scopes of the binding the
// route serves (REST); the MCP adapter checks each tools/call it finds in the body (requireScopes).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RuntimeError } from '../../errors.js';
import type { InboundAuth } from '../inbound-auth.js';
import { bearerChallenge } from './challenge.js';
import type { Principal } from './verify.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the validated access token says is calling (oauth2 only). Never forwarded upstream. */
    principal?: Principal;
  }
}

const PRM = '/.well-known/oauth-protected-resource';

export function installInboundAuth(app: FastifyInstance, auth: InboundAuth): void {
  app.addHook('onRequest', async (req, reply) => {
    const [path = '', search = ''] = req.url.split('?');
    if (path.startsWith('/health/') || path === PRM || path.startsWith(`${PRM}/`) || isPreflight(req)) return;
    const metadataUrl = auth.protectedResource ? `${req.protocol}://${req.host}${PRM}${path}` : undefined;
    const oauth = auth.oauth;
    if (!oauth) {
      if (auth.check(req.headers, new URLSearchParams(search))) return;
      reply.header('www-authenticate', auth.challenge(metadataUrl));
      throw new RuntimeError('NAF_ERR_UNAUTHORIZED', `Missing or wrong credentials (${auth.scheme})`);
    }
    const token = bearerToken(req);
    const verdict = token === undefined ? undefined : await oauth.verifier.verify(token);
    if (verdict?.ok) {
      req.principal = verdict.principal;
      return;
    }
    if (verdict?.unavailable) {
      req.log.warn({ reason: verdict.reason }, 'inbound oauth2: cannot validate tokens');
      throw new RuntimeError(
        'NAF_ERR_AUTH_SERVER_UNAVAILABLE',
        'The authorization server cannot be reached to validate the access token; try again',
      );
    }
    reply.header(
      'www-authenticate',
      bearerChallenge({
        scopes: oauth.challengeScopes,
        ...(metadataUrl ? { metadataUrl } : {}),
        ...(verdict ? { error: 'invalid_token' as const, description: verdict.reason } : {}),
      }),
    );
    if (verdict) req.log.info({ reason: verdict.reason }, 'inbound oauth2: token refused');
    throw new RuntimeError(
      'NAF_ERR_UNAUTHORIZED',
      verdict ? `Invalid access token: ${verdict.reason}` : 'Missing access token (Authorization: Bearer <token>)',
    );
  });
  // REST routes name their binding in their own onRequest hook, so it is known here; MCP has none yet
  // (only the baseline `*` scopes apply) and checks its tools/call bindings itself.
  app.addHook('preHandler', async (req, reply) => requireScopes(auth, req, reply, req.binding ? [req.binding] : []));
  const prm = auth.protectedResource;
  if (prm) {
    app.get(PRM, async () => prm);
    app.get(`${PRM}/*`, async () => prm);
  }
}

/** 403 `insufficient_scope` naming every scope the calls need, when the token lacks one. */
export function requireScopes(
  auth: InboundAuth | undefined,
  req: FastifyRequest,
  reply: FastifyReply,
  bindingIds: readonly string[],
): void {
  const oauth = auth?.oauth;
  const principal = req.principal;
  if (!oauth || !principal) return;
  const ids = bindingIds.length ? bindingIds : [undefined];
  const missing = [...new Set(ids.flatMap((id) => oauth.policy.missing(principal.scopes, id)))];
  if (!missing.length) return;
  const needed = [...new Set(ids.flatMap((id) => oauth.policy.required(id)))];
  const path = req.url.split('?')[0] ?? '';
  reply.header(
    'www-authenticate',
    bearerChallenge({
      error: 'insufficient_scope',
      scopes: needed,
      description: `requires scope ${missing.join(' ')}`,
      ...(auth.protectedResource ? { metadataUrl: `${req.protocol}://${req.host}${PRM}${path}` } : {}),
    }),
  );
  throw new RuntimeError(
    'NAF_ERR_INSUFFICIENT_SCOPE',
    `The access token lacks the scope this call needs: ${missing.join(' ')}`,
  );
}

/** A CORS preflight carries no credentials (Fetch standard): it is answered, or refused, by the CORS layer. */
export function isPreflight(req: FastifyRequest): boolean {
  return (
    req.method === 'OPTIONS' &&
    req.headers.origin !== undefined &&
    req.headers['access-control-request-method'] !== undefined
  );
}

function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  // The scheme name is case-insensitive (RFC 9110 §11.1); a token in the query is not accepted (OAuth 2.1).
  if (typeof h !== 'string' || !/^bearer /i.test(h)) return undefined;
  const token = h.slice(7).trim();
  return token === '' ? undefined : token;
}

/** The bindings of every tools/call in an MCP message or batch (a batch must not slip a call past its scope). */
export function toolCallsIn(body: unknown, tools: ReadonlyMap<string, { readonly id: string }>): string[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((m: { method?: unknown; params?: { name?: unknown } } | null) => {
    if (m?.method !== 'tools/call' || typeof m.params?.name !== 'string') return [];
    const b = tools.get(m.params.name);
    return b ? [b.id] : [];
  });
}
