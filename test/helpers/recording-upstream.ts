/**
 * A scriptable, recording upstream for end-to-end tests: a node:http server on 127.0.0.1, port 0.
 *
 *   const up = await startRecordingUpstream();
 *   up.url;                                          // http://127.0.0.1:PORT (no trailing slash)
 *   up.script({ status: 201, body: { id: 'x' } }, { reset: 'before-headers' }); // FIFO, one answer per request
 *   up.respond((req) => (req.path === '/a' ? { status: 404, body: { code: 'nope' } } : { body: [] }));
 *   await fetch(`${up.url}/a?x=1`);
 *   up.requests[0];                                  // see RecordedRequest
 *   await up.waitForRequests(2);                     // resolves once two requests are recorded
 *   up.reset();                                      // forget requests, queue and responder
 *   await up.close();                                // destroys open sockets, cancels pending delays
 *
 * Which answer a request gets: the next scripted one if the queue is not empty, else the responder's,
 * else 200 `{}`. Answer fields (all optional):
 *   status        default 200
 *   headers       added to / overriding the defaults (content-type from the body kind, content-length)
 *   body          object → JSON; string → text/plain; Buffer → application/octet-stream; absent → empty
 *   delayMs       wait before sending anything (to trip header timeouts)
 *   bodyDelayMs   send the head, then wait before the body (to trip body timeouts)
 *   reset         'before-headers': TCP reset instead of a response; 'mid-body': the head and half the
 *                 body (or malformed body), then the connection is closed short of Content-Length
 *   malformed     a truncated JSON body with a JSON content type
 *   hugeBytes     a valid JSON string body of exactly N (≥ 2) bytes, streamed in 64 KiB chunks
 *   chunked       no Content-Length (Transfer-Encoding: chunked)
 * A request is recorded when its body has been read, before it is answered; `aborted` turns true if
 * the client goes away before the answer is complete.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, as sent (not decoded). */
  path: string;
  /** Raw query string without `?`; '' when absent. */
  query: string;
  /** The raw request target, path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
  receivedAt: number;
  aborted: boolean;
}

export interface UpstreamAnswer {
  status?: number;
  headers?: Record<string, string | number | string[]>;
  body?: string | Buffer | object;
  delayMs?: number;
  bodyDelayMs?: number;
  reset?: 'before-headers' | 'mid-body';
  malformed?: boolean;
  hugeBytes?: number;
  chunked?: boolean;
}

export type Responder = (request: RecordedRequest) => UpstreamAnswer | Promise<UpstreamAnswer>;

export interface RecordingUpstream {
  readonly url: string;
  /** Live list, in arrival order. */
  readonly requests: RecordedRequest[];
  script(...answers: UpstreamAnswer[]): void;
  respond(responder: Responder): void;
  waitForRequests(count: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

const CHUNK = 64 * 1024;

export async function startRecordingUpstream(): Promise<RecordingUpstream> {
  const requests: RecordedRequest[] = [];
  const queue: UpstreamAnswer[] = [];
  const sockets = new Set<Socket>();
  const pending = new Set<() => void>();
  let waiters: Array<{ count: number; resolve: () => void }> = [];
  let responder: Responder | undefined;

  // Every wait is cancellable so close() never leaves a handler sleeping on a dead socket.
  const sleep = (ms: number | undefined): Promise<void> =>
    !ms || ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            pending.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, ms);
          pending.add(wake);
        });

  const record = (req: IncomingMessage, body: Buffer): RecordedRequest => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const text = body.toString('utf8');
    const entry: RecordedRequest = {
      method: req.method ?? 'GET',
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      url,
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body,
      text,
      json: parseJson(text),
      receivedAt: Date.now(),
      aborted: false,
    };
    requests.push(entry);
    const ready = waiters.filter((w) => requests.length >= w.count);
    waiters = waiters.filter((w) => requests.length < w.count);
    for (const w of ready) w.resolve();
    return entry;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const entry = record(req, body);
    res.on('close', () => {
      if (!res.writableFinished) entry.aborted = true;
    });
    let answer: UpstreamAnswer;
    try {
      answer = queue.shift() ?? (responder ? await responder(entry) : { body: {} });
    } catch (error) {
      answer = { status: 500, body: { message: `responder failed: ${(error as Error).message}` } };
    }
    await send(res, answer, sleep);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...answers) => void queue.push(...answers),
    respond: (fn) => {
      responder = fn;
    },
    waitForRequests: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      responder = undefined;
    },
    close: async () => {
      for (const wake of [...pending]) wake();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function send(res: ServerResponse, answer: UpstreamAnswer, sleep: (ms: number | undefined) => Promise<void>) {
  await sleep(answer.delayMs);
  if (res.destroyed) return;
  if (answer.reset === 'before-headers') {
    res.socket?.resetAndDestroy();
    return;
  }
  const status = answer.status ?? 200;
  const huge = answer.hugeBytes === undefined ? undefined : Math.max(2, answer.hugeBytes);
  const { payload, type } = encode(answer, status);
  const length = huge ?? payload.length;
  const headers: Record<string, string | number | string[]> = {};
  if (type) headers['content-type'] = type;
  if (!answer.chunked && length > 0) headers['content-length'] = length;
  for (const [name, value] of Object.entries(answer.headers ?? {})) headers[name.toLowerCase()] = value;
  res.writeHead(status, headers);

  if (answer.reset === 'mid-body') {
    // Close (not reset) after the partial body is flushed, so the client reliably sees head and part of the body.
    res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.socket?.destroy());
    return;
  }
  if (answer.bodyDelayMs) {
    res.flushHeaders();
    await sleep(answer.bodyDelayMs);
    if (res.destroyed) return;
  }
  if (huge !== undefined) await streamHuge(res, huge);
  else res.end(payload);
}

function encode(answer: UpstreamAnswer, status: number): { payload: Buffer; type: string | undefined } {
  const json = 'application/json; charset=utf-8';
  if (status === 204 || status === 304) return { payload: Buffer.alloc(0), type: undefined };
  if (answer.hugeBytes !== undefined) return { payload: Buffer.alloc(0), type: json }; // streamed by streamHuge
  if (answer.malformed) return { payload: Buffer.from('{"truncated": '), type: json };
  const { body } = answer;
  if (body === undefined) return { payload: Buffer.alloc(0), type: undefined };
  if (Buffer.isBuffer(body)) return { payload: body, type: 'application/octet-stream' };
  if (typeof body === 'string') return { payload: Buffer.from(body), type: 'text/plain; charset=utf-8' };
  return { payload: Buffer.from(JSON.stringify(body)), type: json };
}

/** `"xxx…"`: a JSON string literal of exactly `size` bytes (at least 2). */
async function streamHuge(res: ServerResponse, size: number): Promise<void> {
  const filler = Buffer.alloc(CHUNK, 'x');
  let written = 0;
  const write = (chunk: Buffer): Promise<void> | undefined => {
    written += chunk.length;
    return res.write(chunk) ? undefined : drained(res);
  };
  await write(Buffer.from('"'));
  while (written < size - 1 && !res.destroyed) {
    await write(filler.subarray(0, Math.min(CHUNK, size - 1 - written)));
  }
  if (!res.destroyed) res.end('"');
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
