// A Logto stand-in for the recording upstream: the sandbox's own guards, in Logto's check order, and no
// tokens, so every lookup is a 404 that quotes the id it got. The capability declares the request bodies as
// plain `object`, so the fields inside them (email, expiresIn, status…) are Logto's to check: a request the
// runtime lets through comes back as Logto's own 4xx, and the matrix sees exactly what was sent.

import { LogtoError, entityErrors, tokenErrors } from '../../src/sandbox/logto/errors.js';
import {
  createBodyGuard,
  guard,
  listQueryGuard,
  statusBodyGuard,
  verifyBodyGuard,
} from '../../src/sandbox/logto/guards.js';
import { parsePagination, type Query } from '../../src/sandbox/logto/pagination.js';
import type { RecordedRequest, UpstreamAnswer } from '../helpers/recording-upstream.js';

export const UPSTREAM_BASE = '/api/one-time-tokens';

export function logtoResponder(req: RecordedRequest): UpstreamAnswer {
  try {
    return answer(req);
  } catch (err) {
    if (err instanceof LogtoError) return { status: err.status, body: err.toBody() };
    throw err;
  }
}

function answer(req: RecordedRequest): UpstreamAnswer {
  if (req.path !== UPSTREAM_BASE && !req.path.startsWith(`${UPSTREAM_BASE}/`))
    return { status: 404, body: 'Not Found' };
  const [first, tail, ...more] = req.path.slice(UPSTREAM_BASE.length + 1).split('/');
  const route = `${req.method} ${first === undefined || first === '' ? '' : first === 'verify' ? 'verify' : ':id'}${tail === undefined ? '' : `/${tail}`}`;
  const id = first ? decodeURIComponent(first) : '';
  if (more.length) return { status: 404, body: 'Not Found' };
  switch (route) {
    case 'GET ':
      return list(req.query);
    case 'POST ':
      return { status: 201, body: created(guard('body', createBodyGuard, req.json)) };
    case 'POST verify':
      throw tokenErrors.notFound(guard('body', verifyBodyGuard, req.json).token);
    case 'GET :id':
      throw entityErrors.notExistsWithId(id);
    case 'DELETE :id':
      throw entityErrors.notFound();
    case 'PUT :id/status':
      guard('body', statusBodyGuard, req.json);
      throw entityErrors.notExistsWithId(id);
    default:
      return { status: 404, body: 'Not Found' };
  }
}

function list(search: string): UpstreamAnswer {
  const query: Query = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const had = query[k];
    query[k] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
  }
  parsePagination(query);
  guard('query', listQueryGuard, query);
  return { body: [] };
}

function created(body: { email: string; expiresIn?: number }): object {
  const now = Date.now();
  return {
    tenantId: 'default',
    id: 'k3v9x2m8q1w7e5r4t6y0u',
    email: body.email,
    token: 'Zq8RtY2uI4oP6aS8dF0gH2jK4lZ6xC8v',
    context: {},
    status: 'active',
    createdAt: now,
    expiresAt: now + (body.expiresIn ?? 600) * 1000,
  };
}
