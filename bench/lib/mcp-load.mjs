// MCP load at the client level: N SDK clients, each connected once, each calling `tools/call` in a loop
// (the next call as soon as the last one's result arrived). This is the only fair way to load
// @ivotoby/openapi-mcp-server: it answers a tools/call POST with 202 and sends the result on the
// session's GET SSE stream, so raw HTTP load would only time how fast it accepts calls.
//
// Two client generations: the 1.x SDK (`@modelcontextprotocol/sdk`, 2025-11-25, stateful where the server
// is) and the v2 client (`@modelcontextprotocol/client`) pinned to 2026-07-28 (stateless).

import { performance } from 'node:perf_hooks';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Samples } from './stats.mjs';

let clientsMade = 0;

/**
 * Connects one client of generation `gen` ('v1' | 'v2') to `url`. Each client numbers its JSON-RPC ids
 * from its own offset: every SDK client starts at 0, and @ivotoby/openapi-mcp-server maps a response to
 * its session by the message id alone, so two sessions with a call id in common get each other's answers
 * (one early, one broadcast to every stream). Unique ids keep every answer the one that was asked for.
 */
export async function connect(gen, url) {
  const c =
    gen === 'v2'
      ? new ClientV2({ name: 'bench-v2', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } })
      : new ClientV1({ name: 'bench-v1', version: '1' });
  c._requestMessageId = ++clientsMade * 10_000_000;
  await c.connect(gen === 'v2' ? new TransportV2(new URL(url)) : new TransportV1(new URL(url)));
  return c;
}

/** A pool of `n` connected clients, reused across runs (connecting is not what is measured). */
export async function connectMany(gen, url, n) {
  const clients = [];
  // A few at a time: 64 simultaneous initialize handshakes on a loaded box can hit client timeouts.
  for (let i = 0; i < n; i += 8) {
    clients.push(...(await Promise.all(Array.from({ length: Math.min(8, n - i) }, () => connect(gen, url)))));
  }
  return clients;
}

export async function closeAll(clients) {
  await Promise.allSettled(clients.map((c) => c.close()));
}

/**
 * Every client calls `tool` with `args` back to back for `duration` s. A call counts as an error when it
 * throws (protocol or transport) or its result has isError, or when `check` rejects its result.
 */
export async function callLoop(clients, { tool, args, duration, check }) {
  const samples = new Samples();
  let errors = 0;
  let firstError;
  const start = performance.now();
  const until = start + duration * 1000;
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          const r = await c.callTool({ name: tool, arguments: args });
          if (r.isError || (check && !check(r))) {
            errors++;
            firstError ??= JSON.stringify(r).slice(0, 300);
          } else samples.push(performance.now() - t0);
        } catch (err) {
          errors++;
          firstError ??= String(err?.message ?? err).slice(0, 300);
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const { p50, p99, n } = samples.summary();
  return { calls: n + errors, ok: n, rps: n / seconds, p50, p99, errors, firstError, seconds };
}
