// The six one-time-token routes under /api, in Logto's check order: auth (an onRequest hook in
// server.ts), pagination, query guard, body guard, handler (contract §1.1, §3).
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { createBodyGuard, guard, listQueryGuard, statusBodyGuard, verifyBodyGuard } from './guards.js';
import { readBody, requestOrigin, sendJson } from './http.js';
import { buildLinks, parsePagination, type Query } from './pagination.js';
import type { TokenStore } from './store.js';

const BASE = '/api/one-time-tokens';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

export function registerTokenRoutes(app: FastifyInstance, store: TokenStore): void {
  app.get(BASE, async (request, reply) => {
    const query = request.query as Query;
    const window = parsePagination(query);
    const filter = guard('query', listQueryGuard, query);
    const { items, total } = store.list(filter, window);
    if (window) {
      // koa-mount strips `/api` from ctx.path, so Logto's Link URLs lack it.
      const path = request.url.split('?')[0]!.slice('/api'.length);
      reply.header('Total-Number', String(total));
      reply.header('Link', buildLinks(requestOrigin(request), path, query, window, total));
    }
    return sendJson(request, reply, 200, items);
  });

  app.post(BASE, async (request, reply) => {
    const body = guard('body', createBodyGuard, readBody(request));
    return sendJson(request, reply, 201, store.create(body));
  });

  // A static segment, so it wins over `/:id` for POST; `GET .../verify` is still a lookup of id "verify".
  app.post(`${BASE}/verify`, async (request, reply) => {
    const { token, email } = guard('body', verifyBodyGuard, readBody(request));
    return sendJson(request, reply, 200, store.verify(token, email));
  });

  app.get(`${BASE}/:id`, async (request: IdRequest, reply) =>
    sendJson(request, reply, 200, store.get(request.params.id)),
  );

  app.delete(`${BASE}/:id`, async (request: IdRequest, reply) => {
    store.delete(request.params.id);
    return reply.code(204).send();
  });

  app.put(`${BASE}/:id/status`, async (request: IdRequest, reply) => {
    const { status } = guard('body', statusBodyGuard, readBody(request));
    return sendJson(request, reply, 200, store.setStatus(request.params.id, status));
  });
}
