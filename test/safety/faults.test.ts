// Fault matrix: every upstream fault × the six operations × both adapters, on real sockets.
//
// Each cell scripts "fault, then 200" for its own request id, so a retry that should not happen shows up
// as a success, and one that should happen as exactly two upstream requests. "Persistent" cells answer
// the fault every time and must stop at the retry policy's attempt count (DEFAULT_RETRY.attempts = 3).
//
// | fault                          | REST (MCP: isError + same code / "HTTP <status>") | POST create, verify | GET, PUT, DELETE        |
// |--------------------------------|---------------------------------------------------|---------------------|-------------------------|
// | connection refused             | 502 NAF_ERR_UPSTREAM_UNREACHABLE                  | (nothing to count)  | (nothing to count)      |
// | reset at accept (no request)   | 502 NAF_ERR_UPSTREAM_RESET                        | 1 connection        | 3 connections           |
// | reset before headers           | 502 NAF_ERR_UPSTREAM_RESET                        | 1                   | retried → 200 after 2   |
// | reset mid-body                 | 502 NAF_ERR_UPSTREAM_RESET                        | 1                   | retried → 200 after 2   |
// | slow headers (> headers t/o)   | 504 NAF_ERR_UPSTREAM_TIMEOUT, upstream aborted    | 1                   | 1 (timeouts not retried)|
// | slow body (> body t/o)         | 504 NAF_ERR_UPSTREAM_TIMEOUT, upstream aborted    | 1                   | 1                       |
// | slower than the call deadline  | 504 NAF_ERR_UPSTREAM_TIMEOUT, upstream aborted    | 1                   | 1                       |
// | 500 {code, message}            | 500, Logto's body passed through                  | 1                   | 1 (500 not retried)     |
// | 503 + Retry-After: 0           | 503, body and Retry-After passed through          | 1                   | retried → 200 after 2   |
// | 429 / 502 / 504 from upstream  | same status, body passed through                  | 1                   | retried → 200 after 2   |
// | 503 + Retry-After past deadline| 503, Retry-After passed through                   | 1                   | 1 (no pointless wait)   |
// | 2xx body not JSON              | 502 NAF_ERR_UPSTREAM_INVALID_RESPONSE             | 1                   | 1                       |
// | body over the size limit       | 502 NAF_ERR_UPSTREAM_RESPONSE_TOO_LARGE "larger…" | 1                   | 1                       |
// | broken HTTP, 2 Content-Lengths | 502 NAF_ERR_UPSTREAM_INVALID_RESPONSE             | 1 connection        | 1 connection            |
// | caller disconnects mid-call    | upstream request aborted, access line 499         | 1                   | 1                       |
// A persistent retryable fault on GET/PUT/DELETE ends with the fault's own answer after 3 requests.
// MCP runs as raw 2026-07-28 JSON-RPC for every cell, and through the SDK 1.x client (2025-11-25) for a sample.

import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RETRY } from '../../src/consume/retry.js';
import {
  startRecordingUpstream,
  type RecordedRequest,
  type RecordingUpstream,
  type UpstreamAnswer,
} from '../helpers/recording-upstream.js';
import { canary } from '../support/canary.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import {
  ADAPTERS,
  callMcp,
  callRest,
  expectOutcome,
  linesOf,
  OK,
  OK_BODY,
  OPS,
  passed,
  problem,
  Scripts,
  sentBy,
  type Adapter,
  type Expected,
  type Op,
} from './faults-support.js';

// Cells wait on upstream timers, not CPU: more of them in flight keeps the file fast.
vi.setConfig({ maxConcurrency: 12 });

const KEY = canary('logto-api-key');
const LIMIT = 64 * 1024;
const ATTEMPTS = DEFAULT_RETRY.attempts;
const NAMESPACE = 'logto-one-time-tokens';

interface Fault {
  readonly name: string;
  readonly answer: UpstreamAnswer;
  /** Retried for idempotent operations (never for POST). */
  readonly retried: boolean;
  /** The runtime gives up on the exchange, so the upstream must see its request aborted. */
  readonly aborts?: boolean;
  readonly expect: Expected;
}

const logtoError = (code: string, message: string) => ({ code, message });
const E500 = logtoError('unknown', 'Internal server error.');
const E503 = logtoError('guard.service_unavailable', 'Try again later.');
const E429 = logtoError('guard.too_many_requests', 'Too many requests.');
const E502 = logtoError('proxy.bad_gateway', 'Bad gateway.');
const E504 = logtoError('proxy.gateway_timeout', 'Gateway timeout.');

const FAULTS: readonly Fault[] = [
  {
    name: 'reset before headers',
    answer: { reset: 'before-headers' },
    retried: true,
    expect: problem(502, 'NAF_ERR_UPSTREAM_RESET'),
  },
  {
    name: 'reset mid-body',
    answer: { reset: 'mid-body', body: { id: 'x'.repeat(4096) } },
    retried: true,
    expect: problem(502, 'NAF_ERR_UPSTREAM_RESET'),
  },
  {
    name: 'slow headers',
    answer: { delayMs: 5_000, body: OK_BODY },
    retried: false,
    aborts: true,
    expect: problem(504, 'NAF_ERR_UPSTREAM_TIMEOUT', /no response headers in time/),
  },
  {
    name: 'slow body',
    answer: { bodyDelayMs: 5_000, body: OK_BODY },
    retried: false,
    aborts: true,
    expect: problem(504, 'NAF_ERR_UPSTREAM_TIMEOUT', /response body stalled/),
  },
  { name: '500', answer: { status: 500, body: E500 }, retried: false, expect: passed(500, E500) },
  {
    name: '503 Retry-After 0',
    answer: { status: 503, headers: { 'retry-after': '0' }, body: E503 },
    retried: true,
    expect: passed(503, E503, '0'),
  },
  { name: '429', answer: { status: 429, body: E429 }, retried: true, expect: passed(429, E429) },
  { name: '502', answer: { status: 502, body: E502 }, retried: true, expect: passed(502, E502) },
  { name: '504', answer: { status: 504, body: E504 }, retried: true, expect: passed(504, E504) },
  {
    name: 'invalid JSON',
    answer: { malformed: true },
    retried: false,
    expect: problem(502, 'NAF_ERR_UPSTREAM_INVALID_RESPONSE', /not valid JSON/),
  },
  {
    name: 'huge body',
    answer: { hugeBytes: 16 * LIMIT },
    retried: false,
    expect: problem(502, 'NAF_ERR_UPSTREAM_RESPONSE_TOO_LARGE', new RegExp(`larger than ${LIMIT} bytes`)),
  },
  {
    name: 'huge chunked body',
    answer: { hugeBytes: 16 * LIMIT, chunked: true },
    retried: false,
    expect: problem(502, 'NAF_ERR_UPSTREAM_RESPONSE_TOO_LARGE', new RegExp(`larger than ${LIMIT} bytes`)),
  },
];

const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-');
let seq = 0;
const idFor = (...parts: string[]) => `${slug(parts.join('.'))}.${++seq}`;

let up: RecordingUpstream;
const scripts = new Scripts();
/**
 * Short timeouts so slow faults (5 s) trip fast, yet long enough that a retried attempt on a loaded 2-core
 * machine running the whole suite still gets its headers in time (250 ms did not, in CI); a deadline long
 * enough for one Retry-After: 1.
 */
let fast: TestRuntime;

beforeAll(async () => {
  up = await startRecordingUpstream();
  up.respond(scripts.answer);
  fast = await startTestRuntime({
    env: { LOGTO_API_KEY: KEY },
    baseUris: { [NAMESPACE]: up.url },
    timeouts: {
      connectTimeoutMs: 1_000,
      headersTimeoutMs: 1_000,
      bodyTimeoutMs: 1_000,
      callTimeoutMs: 4_000,
      maxResponseBytes: LIMIT,
    },
  });
});
afterAll(async () => {
  await fast?.close();
  await up?.close();
});

describe.concurrent('fault, then 200: POST is sent once, idempotent calls retry only what they should', () => {
  for (const fault of FAULTS)
    for (const op of OPS)
      for (const adapter of ADAPTERS) {
        const retried = fault.retried && op.idempotent;
        const label = `${fault.name} · ${op.name} · ${adapter} → ${retried ? '200 after 2' : 'fault, 1 request'}`;
        it(label, async () => {
          const id = idFor(fault.name, op.name, adapter);
          scripts.plan(id, fault.answer, OK);
          await expectOutcome(adapter, fast, op, id, retried ? { kind: 'ok', body: OK_BODY } : fault.expect);
          const sent = sentBy(up.requests, id);
          expect(sent).toHaveLength(retried ? 2 : 1);
          for (const r of sent) {
            // A retry repeats the same request, credentials and body included.
            expect([r.method, r.path, r.headers['authorization'], r.text]).toEqual([
              op.upstream.method,
              op.upstream.path,
              `Bearer ${KEY}`,
              sent[0]!.text,
            ]);
          }
          if (fault.aborts) await vi.waitFor(() => expect(sent[0]!.aborted).toBe(true));
        });
      }
});

describe.concurrent('the same faults through a real MCP SDK client of the 2025 generation', () => {
  const picked = ['reset before headers', 'slow headers', '503 Retry-After 0', 'huge body'];
  for (const fault of FAULTS.filter((f) => picked.includes(f.name)))
    for (const op of OPS) {
      const retried = fault.retried && op.idempotent;
      it(`${fault.name} · ${op.name} · MCP-2025 → ${retried ? '200 after 2' : 'fault, 1 request'}`, async () => {
        const id = idFor('sdk', fault.name, op.name);
        scripts.plan(id, fault.answer, OK);
        await expectOutcome('MCP-2025', fast, op, id, retried ? { kind: 'ok', body: OK_BODY } : fault.expect);
        expect(sentBy(up.requests, id)).toHaveLength(retried ? 2 : 1);
      });
    }
});

describe.concurrent('persistent retryable fault: idempotent calls stop at the attempt count', () => {
  for (const fault of FAULTS.filter((f) => f.retried))
    for (const op of OPS.filter((o) => o.idempotent))
      for (const adapter of ADAPTERS) {
        it(`${fault.name} · ${op.name} · ${adapter}`, async () => {
          const id = idFor('persistent', fault.name, op.name, adapter);
          scripts.plan(id, fault.answer);
          await expectOutcome(adapter, fast, op, id, fault.expect);
          expect(sentBy(up.requests, id)).toHaveLength(ATTEMPTS);
        });
      }
});

describe.concurrent('Retry-After is honoured within the call deadline', () => {
  const list = OPS.find((o) => o.name === 'list')!;
  const unavailable = (retryAfter: string): UpstreamAnswer => ({
    status: 503,
    headers: { 'retry-after': retryAfter },
    body: E503,
  });
  for (const adapter of ADAPTERS) {
    it(`Retry-After: 1 (seconds) · ${adapter} → 200 after 2 requests`, async () => {
      const id = idFor('ra-1', adapter);
      scripts.plan(id, unavailable('1'), OK);
      await expectOutcome(adapter, fast, list, id, { kind: 'ok', body: OK_BODY });
      expect(sentBy(up.requests, id)).toHaveLength(2);
    });
    it(`Retry-After as a past HTTP date · ${adapter} → 200 after 2 requests`, async () => {
      const id = idFor('ra-date', adapter);
      scripts.plan(id, unavailable(new Date(Date.now() - 60_000).toUTCString()), OK);
      await expectOutcome(adapter, fast, list, id, { kind: 'ok', body: OK_BODY });
      expect(sentBy(up.requests, id)).toHaveLength(2);
    });
    it(`Retry-After beyond the deadline · ${adapter} → the 503 at once, 1 request`, async () => {
      const id = idFor('ra-120', adapter);
      scripts.plan(id, unavailable('120'), OK);
      await expectOutcome(adapter, fast, list, id, passed(503, E503, '120'));
      expect(sentBy(up.requests, id)).toHaveLength(1);
    });
  }
});

describe.concurrent('slower than the call deadline → 504 and the upstream request is aborted', () => {
  let patient: TestRuntime;
  beforeAll(async () => {
    patient = await startTestRuntime({
      env: { LOGTO_API_KEY: KEY },
      baseUris: { [NAMESPACE]: up.url },
      timeouts: { headersTimeoutMs: 10_000, bodyTimeoutMs: 10_000, callTimeoutMs: 400 },
    });
  });
  afterAll(async () => patient?.close());

  const slow: Array<[string, UpstreamAnswer]> = [
    ['no headers', { delayMs: 5_000, body: OK_BODY }],
    ['headers, no body', { bodyDelayMs: 5_000, body: OK_BODY }],
  ];
  for (const [what, answer] of slow)
    for (const op of OPS)
      for (const adapter of ADAPTERS) {
        it(`${what} · ${op.name} · ${adapter}`, async () => {
          const id = idFor('deadline', what, op.name, adapter);
          scripts.plan(id, answer, OK);
          await expectOutcome(
            adapter,
            patient,
            op,
            id,
            problem(504, 'NAF_ERR_UPSTREAM_TIMEOUT', /within the call deadline/),
          );
          const sent = sentBy(up.requests, id);
          expect(sent).toHaveLength(1);
          await vi.waitFor(() => expect(sent[0]!.aborted).toBe(true));
        });
      }
});

describe.concurrent('the caller disconnects mid-call → the upstream request is aborted', () => {
  let lenient: TestRuntime;
  beforeAll(async () => {
    lenient = await startTestRuntime({ env: { LOGTO_API_KEY: KEY }, baseUris: { [NAMESPACE]: up.url } });
  });
  afterAll(async () => lenient?.close());

  /** Starts the call, hangs up once the upstream has the request, and returns what the upstream saw. */
  async function hangUp(op: Op, adapter: Adapter, id: string): Promise<RecordedRequest> {
    scripts.plan(id, { delayMs: 5_000, body: OK_BODY }, OK);
    const caller = new AbortController();
    const call =
      adapter === 'REST' ? callRest(lenient, op, id, caller.signal) : callMcp(lenient, op, id, caller.signal);
    const settled = call.then(
      () => 'answered',
      (err: Error) => err.name,
    );
    await vi.waitFor(() => expect(sentBy(up.requests, id)).toHaveLength(1));
    caller.abort();
    expect(await settled).toBe('AbortError');
    const sent = sentBy(up.requests, id)[0]!;
    await vi.waitFor(() => expect(sent.aborted).toBe(true));
    return sent;
  }

  for (const op of OPS)
    for (const adapter of ADAPTERS) {
      it(`${op.name} · ${adapter}`, async () => {
        const id = idFor('disconnect', op.name, adapter);
        await hangUp(op, adapter, id);
        if (adapter === 'MCP')
          await vi.waitFor(() =>
            expect(linesOf(lenient, id)).toContainEqual(
              expect.objectContaining({ msg: 'tools/call', error: 'NAF_ERR_CANCELLED' }),
            ),
          );
        // A cancelled call is not a failure to retry, whatever the method.
        expect(sentBy(up.requests, id)).toHaveLength(1);
      });
    }

  // README (Observability): "A call the client abandons gets a line with status 499". Fastify's
  // onRequestAbort only fires while the request body is unread, so calls with a body are missed.
  for (const op of OPS)
    for (const adapter of ADAPTERS) {
      it(`${op.name} · ${adapter}: the abandoned call gets an access line with status 499`, async () => {
        const id = idFor('abandoned', op.name, adapter);
        await hangUp(op, adapter, id);
        await vi.waitFor(() =>
          expect(linesOf(lenient, id)).toContainEqual(expect.objectContaining({ status: 499, aborted: true })),
        );
      });
    }
});

interface RawServer {
  readonly url: string;
  connections(): number;
  close(): Promise<void>;
}

/** A TCP server that counts connections: what it does to a connection never becomes a request the recorder sees. */
async function startRawServer(onSocket: (socket: Socket) => void): Promise<RawServer> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const RAW: Array<[string, (socket: Socket) => void, Expected, boolean]> = [
  // The closest countable stand-in for a refused connection: nothing is read, nothing answered.
  ['reset at accept', (socket) => socket.resetAndDestroy(), problem(502, 'NAF_ERR_UPSTREAM_RESET'), true],
  [
    'broken HTTP',
    (socket) => socket.once('data', () => socket.end('HTTP/1.1 abc\r\nnonsense\r\n\r\n')),
    problem(502, 'NAF_ERR_UPSTREAM_INVALID_RESPONSE', /invalid HTTP response/),
    false,
  ],
  [
    'conflicting Content-Length',
    (socket) =>
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}')),
    problem(502, 'NAF_ERR_UPSTREAM_INVALID_RESPONSE', /invalid HTTP response/),
    false,
  ],
];

describe.each(RAW)('%s: connections counted', (fault, onSocket, expected, retried) => {
  let raw: RawServer;
  let rt: TestRuntime;
  beforeAll(async () => {
    raw = await startRawServer(onSocket);
    rt = await startTestRuntime({ env: { LOGTO_API_KEY: KEY }, baseUris: { [NAMESPACE]: raw.url } });
  });
  afterAll(async () => {
    await rt?.close();
    await raw?.close();
  });

  // Sequential: connections carry no request id, so only one call may be in flight.
  for (const op of OPS)
    for (const adapter of ADAPTERS) {
      const attempts = retried && op.idempotent ? ATTEMPTS : 1;
      it(`${op.name} · ${adapter} → ${attempts} connection(s)`, async () => {
        const before = raw.connections();
        await expectOutcome(adapter, rt, op, idFor(fault, op.name, adapter), expected);
        expect(raw.connections() - before).toBe(attempts);
      });
    }
});

describe.concurrent('connection refused → 502 unreachable', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    // A port that was just ours and is closed now: nothing listens there.
    const probe = await startRawServer(() => undefined);
    await probe.close();
    rt = await startTestRuntime({ env: { LOGTO_API_KEY: KEY }, baseUris: { [NAMESPACE]: probe.url } });
  });
  afterAll(async () => rt?.close());

  for (const op of OPS)
    for (const adapter of ADAPTERS) {
      it(`${op.name} · ${adapter}`, async () => {
        await expectOutcome(
          adapter,
          rt,
          op,
          idFor('refused', op.name, adapter),
          problem(502, 'NAF_ERR_UPSTREAM_UNREACHABLE', /ECONNREFUSED/),
        );
      });
    }
});

describe('after the matrix the process is up and serving', () => {
  it('health is live on both adapters and a normal call succeeds through each', async () => {
    expect((await fast.rest('/health/live')).status).toBe(200);
    expect((await fetch(fast.mcpUrl.replace(/\/mcp$/, '/health/live'))).status).toBe(200);
    const list = OPS.find((o) => o.name === 'list')!;
    for (const adapter of ADAPTERS) {
      const id = idFor('after', adapter);
      scripts.plan(id, { body: [{ id: 'tok1' }] });
      await expectOutcome(adapter, fast, list, id, { kind: 'ok', body: [{ id: 'tok1' }] });
      expect(sentBy(up.requests, id)).toHaveLength(1);
    }
  });
});
