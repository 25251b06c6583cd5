// Connection floods on loopback (issue 13, "bounded connections"): silent and slow-header connections by the
// thousand are closed by the server's own timeouts, health stays answerable meanwhile, and past the
// connection cap the oldest idle connection makes room (or a busy adapter refuses with a readable 503).
// Timeouts are short here so the suite runs fast; bounds are generous for a loaded 2-core machine.

import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import {
  allClosed,
  floodCount,
  NAMESPACE,
  openSockets,
  portOf,
  probe,
  startUpstream,
  type Upstream,
} from './flood-support.js';

const COUNT = floodCount(2000);
let rt: TestRuntime;
let up: Upstream;

beforeAll(async () => {
  up = await startUpstream((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  rt = await startTestRuntime({
    baseUris: { [NAMESPACE]: up.url },
    limits: { firstByteTimeoutMs: 1000, headersTimeoutMs: 1500, requestTimeoutMs: 5000, maxConnections: 4 * COUNT },
  });
});

afterAll(async () => {
  await rt?.close();
  await up?.close();
});

describe(`${COUNT} silent connections`, () => {
  it('are all closed by the server within 30 s, and /health/live answers meanwhile', async () => {
    const sockets = await openSockets(portOf(rt.restUrl), COUNT);
    const health = await probe(`${rt.restUrl}/health/live`);
    expect(health.status).toBe(200);
    const ms = await allClosed(sockets, 30_000);
    expect(ms).toBeLessThan(30_000);
    // Closed by the server: none of them ever sent a byte.
    expect(sockets.every((s) => s.bytesWritten === 0)).toBe(true);
  }, 60_000);
});

describe(`${COUNT} slow-header connections`, () => {
  it('are all closed by the headers timeout within 30 s, though each keeps sending', async () => {
    const timers: NodeJS.Timeout[] = [];
    const sockets = await openSockets(portOf(rt.mcpUrl), COUNT, (s: Socket) => {
      s.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      // One header line every 400 ms: always active, never finished (the first-byte check passes).
      let n = 0;
      const t = setInterval(() => {
        if (s.writable) s.write(`x-slow-${n++}: 1\r\n`);
      }, 400);
      timers.push(t);
      s.once('close', () => clearInterval(t));
    });
    try {
      const health = await probe(`${rt.mcpUrl.replace(/\/mcp$/, '')}/health/live`);
      expect(health.status).toBe(200);
      const ms = await allClosed(sockets, 30_000);
      expect(ms).toBeLessThan(30_000);
    } finally {
      for (const t of timers) clearInterval(t);
    }
  }, 60_000);
});

describe('past the connection cap', () => {
  let capped: TestRuntime;
  beforeAll(async () => {
    capped = await startTestRuntime({ baseUris: { [NAMESPACE]: up.url }, limits: { maxConnections: 50 } });
  });
  afterAll(async () => capped?.close());

  it('the oldest idle connection is closed to make room, so a health check still gets in', async () => {
    const squatters = await openSockets(portOf(capped.restUrl), 200);
    // At most the cap stays open: the rest were evicted as newer ones came.
    await expect.poll(() => squatters.filter((s) => !s.closed).length, { timeout: 5000 }).toBeLessThanOrEqual(50);
    const health = await probe(`${capped.restUrl}/health/live`);
    expect(health.status).toBe(200);
    for (const s of squatters) s.destroy();
  });

  it('when every connection is busy, a newcomer gets a 503 with Retry-After, not a reset', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const hung = await startUpstream((_req, res) => void held.then(() => res.writeHead(200).end('{}')));
    const busy = await startTestRuntime({ baseUris: { [NAMESPACE]: hung.url }, limits: { maxConnections: 20 } });
    try {
      const calls = Array.from({ length: 20 }, () => probe(`${busy.restUrl}/v1/api/one-time-tokens/tok1`, 20_000));
      await expect.poll(() => hung.active(), { timeout: 10_000 }).toBe(20);
      const refused = await new Promise<string>((done, fail) => {
        void openSockets(portOf(busy.restUrl), 1).then(([s]) => {
          let text = '';
          s?.on('data', (d: Buffer) => (text += d.toString()));
          s?.once('close', () => done(text));
          s?.once('error', fail);
        });
      });
      expect(refused).toMatch(/^HTTP\/1\.1 503 /);
      expect(refused).toMatch(/\r\nRetry-After: 1\r\n/i);
      expect(refused).toMatch(/NAF_ERR_OVERLOADED/);
      release();
      expect((await Promise.all(calls)).every((r) => r.status === 200)).toBe(true);
    } finally {
      release();
      await busy.close();
      await hung.close();
    }
  });
});
