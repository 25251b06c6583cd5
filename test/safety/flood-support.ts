// Shared pieces of the flood suite: raw loopback sockets by the thousand, a health probe that times itself,
// and upstreams that hang, answer big or never end. Counts fit the fd limit (checked, raised if allowed).

import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { connect, type Socket } from 'node:net';
import { execSync } from 'node:child_process';

export const NAMESPACE = 'logto-one-time-tokens';
export const BASE = '/v1/api/one-time-tokens';

/** The soft fd limit of this process (the flood needs a client and a server fd per connection). */
export function fdLimit(): number {
  try {
    return Number(execSync('ulimit -n', { shell: '/bin/sh' }).toString().trim()) || 1024;
  } catch {
    return 1024;
  }
}

/** `want` connections, or as many as fit in the fd limit with room to spare (each costs two fds here). */
export function floodCount(want: number): number {
  return Math.min(want, Math.floor((fdLimit() - 512) / 2));
}

export function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Opens `n` sockets in waves (the listen backlog is finite); resolves once all are connected. */
export async function openSockets(port: number, n: number, onConnect?: (s: Socket) => void): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < n; i += 200) {
    const wave = Array.from({ length: Math.min(200, n - i) }, () => {
      const s = connect({ host: '127.0.0.1', port });
      s.on('error', () => undefined);
      sockets.push(s);
      return new Promise<void>((done) => {
        s.once('connect', () => {
          onConnect?.(s);
          done();
        });
        s.once('close', () => done());
      });
    });
    await Promise.all(wave);
  }
  return sockets;
}

/** Resolves when every socket is closed, or rejects after `ms` with how many remain. */
export async function allClosed(sockets: readonly Socket[], ms: number): Promise<number> {
  const started = Date.now();
  await Promise.race([
    Promise.all(sockets.map((s) => (s.destroyed || s.closed ? undefined : new Promise((r) => s.once('close', r))))),
    new Promise((_, fail) =>
      setTimeout(
        () => fail(new Error(`${sockets.filter((s) => !s.closed).length} sockets still open after ${ms} ms`)),
        ms,
      ).unref(),
    ),
  ]);
  return Date.now() - started;
}

/** GET on a fresh connection (no pool: the point is that a new caller still gets in); status and time. */
export function probe(url: string, timeoutMs = 10_000): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const req = httpRequest(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => done({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.once('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.once('error', fail);
    req.end();
  });
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly text: string;
  readonly ms: number;
}

/** One HTTP exchange on its own connection, body read as text (small answers only). */
export function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {},
): Promise<Answer> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const req = httpRequest(
      url,
      { agent: false, method: init.method ?? 'GET', headers: init.headers ?? {}, timeout: init.timeoutMs ?? 30_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.once('end', () =>
          done({ status: res.statusCode ?? 0, headers: res.headers, text, ms: performance.now() - started }),
        );
      },
    );
    req.once('timeout', () => req.destroy(new Error(`no answer from ${url}`)));
    req.once('error', fail);
    req.end(init.body);
  });
}

/** A JSON-RPC POST to /mcp (2025-03-26 era when `legacy`, which allows batches). */
export function rpc(url: string, body: unknown, era: '2025-03-26' | '2026-07-28' = '2025-03-26'): Promise<Answer> {
  return call(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': era,
    },
    body: JSON.stringify(body),
    timeoutMs: 60_000,
  });
}

/** The JSON-RPC message(s) of an answer: a JSON body, or the data lines of an SSE stream. */
export function messages(a: Answer): Array<Record<string, unknown>> {
  const sse = [...a.text.matchAll(/^data: (.*)$/gm)].map((m) => m[1] ?? '');
  const parsed = (sse.length ? sse : [a.text]).flatMap((t) => {
    try {
      const v = JSON.parse(t) as unknown;
      return Array.isArray(v) ? v : [v];
    } catch {
      return [];
    }
  });
  return parsed as Array<Record<string, unknown>>;
}

export function toolCall(id: number, name: string, args: Record<string, unknown>): Record<string, unknown> {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } };
}

export interface Upstream {
  readonly url: string;
  /** Requests being answered (or held) right now, and the most at once. */
  readonly active: () => number;
  readonly peak: () => number;
  readonly total: () => number;
  close(): Promise<void>;
}

/** An upstream whose every request is handed to `handle`; counts concurrency. Held requests are ended on close. */
export async function startUpstream(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<Upstream> {
  let active = 0;
  let peak = 0;
  let total = 0;
  const server: Server = createServer((req, res) => {
    active++;
    total++;
    peak = Math.max(peak, active);
    res.once('close', () => active--);
    handle(req, res);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    active: () => active,
    peak: () => peak,
    total: () => total,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Resident set size of this process, in MiB. */
export function rssMiB(): number {
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}
