// The bare-proxy baseline: fastify + @fastify/reply-from in front of the upstream, doing what a
// hand-written gateway for these routes would do and nothing more: strip the /v1 prefix our REST
// adapter adds, add the bearer token, stream the answer back. No validation, metrics or access lines.
//
// Run: UPSTREAM=http://127.0.0.1:N LOGTO_API_KEY=… node bench/servers/proxy.mjs  → prints {"port":N}.

import replyFrom from '@fastify/reply-from';
import fastify from 'fastify';

const upstream = process.env.UPSTREAM;
const auth = `Bearer ${process.env.LOGTO_API_KEY ?? ''}`;
const app = fastify({ logger: false });
await app.register(replyFrom, { base: upstream });
// Bodies are forwarded as they came: no parse/re-serialise (reply-from's own advice for speed).
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
app.all('/v1/api/*', (req, reply) =>
  reply.from(req.url.slice(3), {
    rewriteRequestHeaders: (_req, headers) => ({ ...headers, authorization: auth }),
  }),
);
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ port: app.server.address().port })}\n`);
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
