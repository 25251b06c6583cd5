// A fast fixed-body stand-in for Logto's one-time-token routes, on loopback, for the benchmark.
// Every body is built once at start, so the upstream costs a few µs per request and is never what is
// being measured. It counts requests per route (and those without a bearer token) for GET /__stats,
// so the harness can check that every proxy under test really reached it with the right path.
//
// Run: node bench/upstream.mjs  → prints {"port":N} on stdout once listening.

import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';

/** One token in Logto's shape (see shared/reference/logto-one-time-tokens-contract.md §2). */
function token(i) {
  return {
    tenantId: 'default',
    id: `tok${String(i).padStart(18, '0')}`,
    email: `user${i}@example.com`,
    token: `Qm7Xc2LkP0aZt9R4yB1nVw8sE5gH${String(i).padStart(4, '0')}`,
    context: { jitOrganizationIds: ['org_1'], interactionEvent: 'ForgotPassword' },
    status: 'active',
    createdAt: 1767225600000 + i,
    expiresAt: 1767226200000 + i,
  };
}

const json = (value) => Buffer.from(JSON.stringify(value));
const LIST_20 = json(Array.from({ length: 20 }, (_, i) => token(i)));
const LIST_100 = json(Array.from({ length: 100 }, (_, i) => token(i)));
const ONE = json(token(7));
const VERIFIED = json({ ...token(7), status: 'consumed' });

const stats = { total: 0, unauthenticated: 0, routes: {}, firstUrl: {} };
/** Counts a hit on `route`; keeps the first URL seen per route, to show what each proxy sent. */
function count(route, url) {
  stats.routes[route] = (stats.routes[route] ?? 0) + 1;
  stats.firstUrl[route] ??= url;
}

function send(res, status, body) {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
}

const ID = /^\/api\/one-time-tokens\/([^/]+)$/;
const STATUS = /^\/api\/one-time-tokens\/([^/]+)\/status$/;
// The generated 100-tool capability (bench/lib/capability-100.mjs) reads one token at 100 such paths.
const GENERATED = /^\/api\/bench-\d+\/one-time-tokens\/[^/]+$/;

const server = createServer((req, res) => {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  if (path === '/__stats') return send(res, 200, json(stats));
  stats.total++;
  if (!(req.headers.authorization ?? '').startsWith('Bearer ')) stats.unauthenticated++;
  // Drain any request body before answering; the body itself is not looked at.
  req.resume();
  req.on('end', () => {
    const m = req.method;
    if (path === '/api/one-time-tokens' && m === 'GET') {
      const big = q >= 0 && /(?:^|&)page_size=100(?:&|$)/.test(req.url.slice(q + 1));
      count(big ? 'list100' : 'list20', req.url);
      return send(res, 200, big ? LIST_100 : LIST_20);
    }
    if (path === '/api/one-time-tokens' && m === 'POST') return (count('create', req.url), send(res, 201, ONE));
    if (path === '/api/one-time-tokens/verify' && m === 'POST')
      return (count('verify', req.url), send(res, 200, VERIFIED));
    if (ID.test(path) && m === 'GET') return (count('get', req.url), send(res, 200, ONE));
    if (ID.test(path) && m === 'DELETE') return (count('delete', req.url), send(res, 204));
    if (GENERATED.test(path) && m === 'GET') return (count('generated', req.url), send(res, 200, ONE));
    if (STATUS.test(path) && m === 'PUT') return (count('status', req.url), send(res, 200, ONE));
    count('unknown', req.url);
    send(res, 404, json({ code: 'guard.invalid_input', message: 'Not found' }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({ port: server.address().port, sizes: { list20: LIST_20.length, list100: LIST_100.length, get: ONE.length } })}\n`,
  );
});
process.on('SIGTERM', () => process.exit(0));
