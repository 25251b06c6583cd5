// The start-up floor: fastify listening with one route and nothing else, spawned exactly like our
// runtime, to put "start to ready" in context.
//
// Run: PORT=N node bench/servers/bare-fastify.mjs

import fastify from 'fastify';

const app = fastify({ logger: false });
app.get('/health/ready', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
