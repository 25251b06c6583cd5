// /metrics on each adapter port: Prometheus text fed by the access-log hook, behind the adapter's
// inbound auth; and the access line for a call the client abandoned.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { modern } from '../mcp/wire.js';
import { canary } from '../support/canary.js';
import { json, startTestRuntime, type TestRuntime } from '../support/runtime.js';

const base = '/v1/api/one-time-tokens';
const REST_ADD = 'logto-one-time-tokens-rest.addonetimetokens';

/** `name{labels} value` lines → value, for lines whose labels include every given pair. */
function sample(text: string, name: string, want: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(want).every(([k, v]) => labels[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('metrics', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ sandbox: true });
  });
  afterAll(async () => rt?.close());

  it('counts REST requests per binding and status, with a latency histogram and upstream statuses', async () => {
    for (let i = 0; i < 3; i++) await rt.rest(base, { method: 'POST', ...json({ email: `m${i}@example.com` }) });
    await rt.rest(`${base}/nope`);
    await rt.rest(`${base}?page=1&page=2`);
    const res = await rt.rest('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(sample(text, 'runtime_requests_total', { adapter: 'rest', binding: REST_ADD, status: '201' })).toBe(3);
    const LIST = 'logto-one-time-tokens-rest.listonetimetokens';
    expect(sample(text, 'runtime_requests_total', { adapter: 'rest', binding: LIST, status: '400' })).toBe(1);
    expect(sample(text, 'runtime_upstream_responses_total', { binding: REST_ADD, status: '201' })).toBe(3);
    expect(
      sample(text, 'runtime_upstream_responses_total', {
        binding: 'logto-one-time-tokens-rest.getonetimetoken',
        status: '404',
      }),
    ).toBe(1);
    expect(
      sample(text, 'runtime_errors_total', { binding: LIST, code: 'NAF_ERR_DUPLICATE_PARAMETER', kind: 'input' }),
    ).toBe(1);
    expect(sample(text, 'runtime_request_duration_seconds_count', { adapter: 'rest', binding: REST_ADD })).toBe(3);
    expect(sample(text, 'runtime_request_duration_seconds_bucket', { binding: REST_ADD, le: '+Inf' })).toBe(3);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    // Bounded labels: never the id from the URL.
    expect(text).not.toContain('nope');
  });

  it('the MCP port serves its own adapter’s series', async () => {
    const call = await modern(rt.mcpUrl, 'tools/call', {
      name: 'create-one-time-token',
      arguments: { body: { email: 'mcp@example.com' } },
    });
    expect(call.status).toBe(200);
    expect(call.json?.['result']).not.toHaveProperty('isError');
    const text = await (await fetch(rt.mcpUrl.replace(/\/mcp$/, '/metrics'))).text();
    expect(
      sample(text, 'runtime_upstream_responses_total', {
        adapter: 'mcp',
        binding: 'logto-one-time-tokens-mcp.create-one-time-token',
        status: '201',
      }),
    ).toBe(1);
    expect(text).not.toContain('adapter="rest"');
  });
});

describe('metrics behind inbound auth', () => {
  const token = canary('inbound-token');
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ sandbox: true, authToken: token });
  });
  afterAll(async () => rt?.close());

  it.each(['rest', 'mcp'] as const)('%s: /metrics needs the token, health does not', async (adapter) => {
    const origin = new URL(adapter === 'rest' ? rt.restUrl : rt.mcpUrl).origin;
    const anonymous = await fetch(`${origin}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await fetch(`${origin}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('runtime_requests_total');
    expect((await fetch(`${origin}/health/live`)).status).toBe(200);
  });
});

describe('a call the client abandons', () => {
  let up: RecordingUpstream;
  let rt: TestRuntime;
  beforeAll(async () => {
    up = await startRecordingUpstream();
    rt = await startTestRuntime({
      env: { LOGTO_API_KEY: canary('logto-api-key') },
      baseUris: { 'logto-one-time-tokens': up.url },
    });
  });
  afterAll(async () => {
    await rt?.close();
    await up?.close();
  });

  it('gets one access line (status 499, aborted) and the upstream request is cancelled', async () => {
    up.script({ delayMs: 5_000, body: [] });
    const abort = new AbortController();
    const pending = rt.rest(base, { signal: abort.signal }).catch((e: unknown) => e);
    await up.waitForRequests(1);
    abort.abort();
    expect(await pending).toBeInstanceOf(Error);
    const lines = async () =>
      rt.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['url'] === base);
    await expect.poll(lines).toHaveLength(1);
    expect((await lines())[0]).toMatchObject({ status: 499, aborted: true, method: 'GET' });
    await expect.poll(() => up.requests[0]?.aborted).toBe(true);
    const text = await (await rt.rest('/metrics')).text();
    expect(sample(text, 'runtime_requests_total', { status: '499' })).toBe(1);
  });
});

describe('requests refused below the routes', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ sandbox: true });
  });
  afterAll(async () => rt?.close());

  it('get exactly one access line and are counted, with their NAF code', async () => {
    const bad = await rt.rest(`${base}/%ZZ`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'NAF_ERR_MALFORMED_REQUEST' });
    const huge = await rt.rest(`${base}?email=${'a'.repeat(20_000)}`);
    expect(huge.status).toBe(431);
    expect(huge.headers.get('content-type')).toBe('application/problem+json');
    const lines = rt.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['msg'] === 'request' && (l['status'] === 400 || l['status'] === 431));
    expect(lines.map((l) => [l['status'], l['error']])).toEqual([
      [400, 'NAF_ERR_MALFORMED_REQUEST'],
      [431, 'NAF_ERR_HEADERS_TOO_LARGE'],
    ]);
    const text = await (await rt.rest('/metrics')).text();
    expect(sample(text, 'runtime_errors_total', { code: 'NAF_ERR_HEADERS_TOO_LARGE', kind: 'headers_too_large' })).toBe(
      1,
    );
  });

  it('a body refused before the handler (415) still counts against its binding', async () => {
    const res = await rt.rest(base, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(res.status).toBe(415);
    const text = await (await rt.rest('/metrics')).text();
    expect(sample(text, 'runtime_requests_total', { binding: REST_ADD, status: '415' })).toBe(1);
  });
});
