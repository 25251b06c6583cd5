// REST ↔ MCP parity on a recording upstream: every case of cases.ts runs once over REST and once per MCP
// client generation; all must send the same upstream request and report the same data or error kind.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parse } from 'yaml';
import { compileTable } from '../../src/binding/compile.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERRORS, type ErrorCode } from '../../src/errors.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { canary } from '../support/canary.js';
import { SEED, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { CASES, type ParityCase } from './cases.js';
import {
  callRest,
  comparable,
  connectMcp,
  mcpOutcome,
  restOutcome,
  textOf,
  wrapForEra,
  type McpSide,
  type Outcome,
  type RestReply,
  type ToolResult,
} from './sides.js';
import { findTwins, kindOf, operationOf, requiredKinds, twinsOf, type Twins } from './twins.js';

const KEY = canary('logto-api-key');
// Compiled at collection time so each twin pair gets its own test; the runtime compiles the same file.
const TWINS = findTwins(compileTable(parse(readFileSync(SEED, 'utf8'))));
let up: RecordingUpstream;
let rt: TestRuntime;
let mcp: McpSide[];

beforeAll(async () => {
  up = await startRecordingUpstream();
  rt = await startTestRuntime({ env: { LOGTO_API_KEY: KEY }, baseUris: { 'logto-one-time-tokens': up.url } });
  mcp = await connectMcp(rt.mcpUrl);
});
afterAll(async () => {
  await Promise.all((mcp ?? []).map((m) => m.close()));
  await rt?.close();
  await up?.close();
});

describe('the case table', () => {
  const label = (t: Twins) => `${t.rest.expose.method} ${t.rest.expose.path} ↔ ${t.mcp.expose.name}`;

  it('pairs each REST binding with the MCP tool that calls the same upstream operation', () => {
    expect(findTwins(rt.table).map(label), 'the served table pairs as the collected one').toEqual(TWINS.map(label));
    expect(TWINS.map(label)).toEqual([
      'GET /v1/api/one-time-tokens ↔ get-one-time-tokens',
      'POST /v1/api/one-time-tokens ↔ create-one-time-token',
      'POST /v1/api/one-time-tokens/verify ↔ verify-one-time-token',
      'GET /v1/api/one-time-tokens/{id} ↔ get-one-time-token-id',
      'DELETE /v1/api/one-time-tokens/{id} ↔ delete-one-time-token-id',
      'PUT /v1/api/one-time-tokens/{id}/status ↔ update-one-time-token-status',
    ]);
  });

  it.each(CASES.map((c) => [`${c.op} — ${c.name}`, c] as const))('%s calls a REST route and its MCP twin', (_n, c) => {
    const pair = twinsOf(c, TWINS);
    expect(pair, `${c.rest.method} ${c.rest.route} and tool ${c.mcp.tool} are not twins`).toBeDefined();
    expect(pair && operationOf(pair.rest)).toBe(c.op);
  });

  it('has a success, an upstream error, a bad input and an upstream failure case for every twin pair', () => {
    const missing = TWINS.flatMap((t) => {
      const kinds = new Set(CASES.filter((c) => twinsOf(c, [t])).map(kindOf));
      return requiredKinds(t)
        .filter((k) => !kinds.has(k))
        .map((k) => `${t.op} (${t.rest.expose.path} ↔ ${t.mcp.expose.name}): no ${k} case`);
    });
    expect(missing).toEqual([]);
  });
});

interface Side {
  readonly label: string;
  readonly outcome: Outcome;
  readonly requests: ReturnType<typeof comparable>[];
}

async function run<T>(c: ParityCase, label: string, send: () => Promise<T>, toOutcome: (r: T) => Outcome) {
  up.reset();
  const answer = c.upstream;
  // A responder (not a script) so every retry of an idempotent call meets the same answer.
  if (answer) up.respond(() => answer);
  const reply = await send();
  const side: Side = { label, outcome: toOutcome(reply), requests: up.requests.map(comparable) };
  return { reply, side };
}

const ops = [...new Set(CASES.map((c) => c.op))];
for (const op of ops) {
  const cases = CASES.filter((c) => c.op === op);
  describe(op, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
      const rest = await run(c, 'REST', () => callRest(rt.restUrl, c.rest), restOutcome);
      const tools = [];
      for (const client of mcp)
        tools.push({ client, ...(await run(c, client.label, () => client.call(c.mcp), mcpOutcome)) });
      // Parity first: it is the point of the suite, and its diff says which side strayed.
      for (const { side } of tools) {
        expect(side.requests, `${side.label}: upstream requests differ from REST's`).toEqual(rest.side.requests);
        expect(side.outcome, `${side.label}: outcome differs from REST's`).toEqual(rest.side.outcome);
      }
      checkUpstream(c, rest.side);
      checkRest(c, rest.reply);
      for (const { client, reply } of tools) checkMcp(c, reply, rest.reply, client);
    });
  });
}

function checkUpstream(c: ParityCase, rest: Side): void {
  const attempts = c.sends ? (c.attempts ?? 1) : 0;
  expect(rest.requests, 'upstream requests').toHaveLength(attempts);
  const [first] = rest.requests;
  if (!first || !c.sends) return;
  const hasBody = c.sends.body !== undefined;
  expect(first).toMatchObject({
    method: c.op.split(' ')[0],
    path: c.sends.path,
    body: c.sends.body,
    headers: {
      authorization: `Bearer ${KEY}`,
      accept: 'application/json',
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
    },
  });
  if (!hasBody) expect(first.headers['content-type']).toBeUndefined();
  expect(Object.fromEntries(new URLSearchParams(first.query.join('&')))).toEqual(c.sends.query ?? {});
  // Retries repeat the request as it was.
  for (const again of rest.requests.slice(1)) expect(again).toEqual(first);
}

/** docs/errors.md: the caller's bad input is 400; an upstream that failed to answer usably is 502. */
function expectedStatus(code: ErrorCode): number {
  return ERRORS[code].kind === 'input' ? 400 : 502;
}

function checkRest(c: ParityCase, r: RestReply): void {
  if (c.raises) {
    const { code, argument } = c.raises;
    expect(r.contentType).toMatch(/^application\/problem\+json/);
    expect(r.status).toBe(expectedStatus(code));
    expect(r.json).toMatchObject({ code, status: r.status, type: `urn:naftiko-runtime:error:${code}` });
    if (argument) {
      expect((r.json as { detail: string }).detail).toContain(`'${argument}'`);
      expect(r.json).toMatchObject({ errors: [expect.objectContaining({ argument })] });
    }
    return;
  }
  const status = c.upstream?.status ?? 200;
  expect(r.status, 'REST status is the upstream status').toBe(status);
  const sent = c.upstream?.body;
  if (status === 204) expect(r.text).toBe('');
  else expect(r.json).toEqual(typeof sent === 'string' ? { message: sent } : sent);
}

function checkMcp(c: ParityCase, r: ToolResult, rest: RestReply, client: McpSide): void {
  const text = textOf(r);
  if (c.raises) {
    expect(r.isError, client.label).toBe(true);
    const { code, argument } = c.raises;
    expect(r.structuredContent).toMatchObject({ error: code, kind: ERRORS[code].kind });
    if (argument) expect(text).toMatch(new RegExp(`^Invalid arguments: .*'${argument}'`));
    else expect(text).toContain(`(${code})`);
    return;
  }
  if (rest.status >= 400) {
    expect(r.isError, client.label).toBe(true);
    const { code, message } = (rest.json ?? {}) as { code?: string; message?: string };
    const summary = [code, message].filter(Boolean).join(' — ');
    const [head, ...body] = text.split('\n');
    expect(head).toBe(`Upstream returned HTTP ${rest.status}${summary ? `: ${summary}` : ''}`);
    // REST passes Retry-After as a header; the model reads it as the last line.
    const { retryAfter } = rest;
    if (retryAfter) expect(body.pop()).toBe(`Retry after ${retryAfter} s.`);
    expect(JSON.parse(body.join('\n'))).toEqual(rest.json);
    return;
  }
  expect(r.isError ?? false, client.label).toBe(false);
  if (rest.status === 204) {
    expect(r.structuredContent).toBeUndefined();
    expect(text).toBe('OK (HTTP 204, no content)');
    return;
  }
  expect(r.structuredContent, `${client.label}: structuredContent`).toEqual(wrapForEra(rest.json, client.era));
  expect(JSON.parse(text)).toEqual(rest.json);
}

describe('upstream unreachable (nothing listens on its port)', () => {
  let down: TestRuntime;
  let clients: McpSide[];
  beforeAll(async () => {
    down = await startTestRuntime({
      env: { LOGTO_API_KEY: KEY },
      baseUris: { 'logto-one-time-tokens': await closedPort() },
    });
    clients = await connectMcp(down.mcpUrl);
  });
  afterAll(async () => {
    await Promise.all((clients ?? []).map((m) => m.close()));
    await down?.close();
  });

  // One call per pair, taken from its first success case, so a new pair is covered without a new row.
  it.each(TWINS.map((t) => [t.op, t] as const))('%s', async (op, t) => {
    const c = CASES.find((x) => twinsOf(x, [t]) && kindOf(x) === 'success');
    if (!c) throw new Error(`no success case for ${op}`);
    const rest = await callRest(down.restUrl, c.rest);
    expect(rest.status).toBe(502);
    const expected = restOutcome(rest);
    expect(expected).toMatchObject({ kind: 'runtime-error', code: 'NAF_ERR_UPSTREAM_UNREACHABLE' });
    for (const client of clients) {
      const r = await client.call(c.mcp);
      expect(r.isError, client.label).toBe(true);
      expect(textOf(r)).toContain('(NAF_ERR_UPSTREAM_UNREACHABLE)');
      expect(mcpOutcome(r), client.label).toEqual(expected);
    }
  });
});

/** An origin whose port was just free: connections to it are refused. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
