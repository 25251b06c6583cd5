// OpenTelemetry end to end: the runtime, configured only by OTEL_* variables, exports to a local OTLP/HTTP
// receiver one SERVER span per call (REST route, MCP tool) and one CLIENT span per upstream request; the
// caller's trace context (REST `traceparent`, MCP `_meta.traceparent`) is the parent, and the upstream
// receives the CLIENT span's `traceparent`.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordedRequest, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { legacy, modern, rpcResult } from '../mcp/wire.js';
import { capabilityYaml, tempCapability, type TempCapability } from '../reload/capability.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { KIND, STATUS, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';

const OPS = [
  { name: 'list-items', path: '/items' },
  { name: 'get-stats', path: '/stats' },
  { name: 'get-slow', path: '/slow' },
];
const REST_TRACE = '0af7651916cd43dd8448eb211c80319c';
const REST_PARENT = 'b7ad6b7169203331';
const MCP_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const MCP_PARENT = '00f067aa0ba902b7';
const LEGACY_TRACE = '5bf92f3577b34da6a3ce929d0e0e4737';

let receiver: OtlpReceiver;
let up: RecordingUpstream;
let cap: TempCapability;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  up = await startRecordingUpstream();
  up.respond((r) =>
    r.path === '/stats'
      ? { status: 503, body: { message: 'busy' } }
      : r.path === '/slow'
        ? { delayMs: 2_000, body: {} }
        : { body: { path: r.path } },
  );
  cap = await tempCapability(capabilityYaml({ upstream: up.url, ops: OPS }));
});
afterAll(async () => {
  await cap?.remove();
  await up?.close();
  await receiver?.close();
});

const W3C = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;
const traceparentOf = (r: RecordedRequest | undefined) => W3C.exec(String(r?.headers['traceparent']));

describe('OTEL_TRACES_EXPORTER=otlp', () => {
  let rt: TestRuntime;
  const sent: Record<string, RecordedRequest | undefined> = {};

  beforeAll(async () => {
    rt = await startTestRuntime({
      file: cap.file,
      timeouts: { callTimeoutMs: 400 },
      env: {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'otel-test',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
      },
    });
    const rest = rt.urls['api'] ?? '';
    const mcp = `${rt.urls['tools'] ?? ''}/mcp`;
    const last = () => up.requests[up.requests.length - 1];
    await fetch(`${rest}/items`, { headers: { traceparent: `00-${REST_TRACE}-${REST_PARENT}-01` } });
    sent['rest'] = last();
    await fetch(`${rest}/items`);
    sent['root'] = last();
    const call = await modern(mcp, 'tools/call', {
      name: 'list-items',
      arguments: {},
      _meta: { traceparent: `00-${MCP_TRACE}-${MCP_PARENT}-01` },
    });
    expect(rpcResult(call)['structuredContent']).toEqual({ path: '/items' });
    sent['mcp'] = last();
    await legacy(mcp, 'tools/call', {
      name: 'list-items',
      arguments: {},
      _meta: { traceparent: `00-${LEGACY_TRACE}-${MCP_PARENT}-01` },
    });
    sent['legacy'] = last();
    expect((await fetch(`${rest}/stats`)).status).toBe(503);
    expect((await fetch(`${rest}/slow`)).status).toBe(504);
    // Closing flushes the batch processor: every span is at the receiver when close resolves.
    await rt.close();
  });

  const calls = () => receiver.spans.filter((s) => s.kind === KIND.server);
  const children = (of: ReceivedSpan) => receiver.spans.filter((s) => s.parentSpanId === of.spanId);

  it('exports over OTLP/HTTP protobuf with the service name and resource attributes', () => {
    expect(receiver.contentTypes.length).toBeGreaterThan(0);
    expect(new Set(receiver.contentTypes)).toEqual(new Set(['application/x-protobuf']));
    for (const s of receiver.spans)
      expect(s.resource).toMatchObject({ 'service.name': 'otel-test', 'deployment.environment.name': 'test' });
  });

  it('REST: the call span continues the inbound traceparent; its upstream span is its child and is propagated', () => {
    const span = calls().find((s) => s.traceId === REST_TRACE);
    expect(span).toMatchObject({
      name: 'GET /items',
      parentSpanId: REST_PARENT,
      attributes: {
        'naftiko.binding.id': 'api.list-items',
        'http.request.method': 'GET',
        'http.route': '/items',
        'http.response.status_code': 200,
        'naftiko.upstream.status_code': 200,
      },
    });
    const [child, ...more] = children(span as ReceivedSpan);
    expect(more).toEqual([]);
    expect(child).toMatchObject({
      kind: KIND.client,
      name: 'GET',
      traceId: REST_TRACE,
      attributes: {
        'http.request.method': 'GET',
        'http.response.status_code': 200,
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(up.url).port),
        'url.full': `${up.url}/items`,
        'naftiko.upstream.namespace': 'up',
      },
    });
    expect(traceparentOf(sent['rest'])?.slice(1)).toEqual([REST_TRACE, child?.spanId]);
  });

  it('REST without traceparent: a new trace whose id still reaches the upstream', () => {
    const match = traceparentOf(sent['root']);
    expect(match).not.toBeNull();
    const span = calls().find((s) => s.traceId === match?.[1]);
    expect(span).toMatchObject({ name: 'GET /items', parentSpanId: '' });
    expect(children(span as ReceivedSpan).map((c) => c.spanId)).toEqual([match?.[2]]);
  });

  it('MCP: _meta.traceparent is honoured on both protocol generations', () => {
    for (const [trace, key] of [
      [MCP_TRACE, 'mcp'],
      [LEGACY_TRACE, 'legacy'],
    ] as const) {
      const span = calls().find((s) => s.traceId === trace);
      expect(span).toMatchObject({
        name: 'tools/call list-items',
        parentSpanId: MCP_PARENT,
        attributes: {
          'naftiko.binding.id': 'tools.list-items',
          'mcp.method.name': 'tools/call',
          'gen_ai.tool.name': 'list-items',
          'naftiko.upstream.status_code': 200,
        },
      });
      const [child] = children(span as ReceivedSpan);
      expect(traceparentOf(sent[key])?.slice(1)).toEqual([trace, child?.spanId]);
    }
  });

  it('a retried upstream 503: one child span per attempt, the call span carries the upstream status', () => {
    const span = calls().find((s) => s.name === 'GET /stats');
    expect(span?.attributes).toMatchObject({ 'naftiko.upstream.status_code': 503, 'http.response.status_code': 503 });
    expect(span?.status.code).toBe(STATUS.error);
    const attempts = children(span as ReceivedSpan);
    expect(attempts.length).toBe(3);
    expect(attempts.map((a) => a.attributes['http.request.resend_count'] ?? 0)).toEqual([0, 1, 2]);
    for (const a of attempts)
      expect(a).toMatchObject({
        status: { code: STATUS.error },
        attributes: { 'http.response.status_code': 503, 'error.type': '503' },
      });
  });

  it('a call the runtime fails: the error code on the call span and its upstream span', () => {
    const span = calls().find((s) => s.name === 'GET /slow');
    expect(span?.attributes).toMatchObject({
      'naftiko.error.code': 'NAF_ERR_UPSTREAM_TIMEOUT',
      'error.type': 'NAF_ERR_UPSTREAM_TIMEOUT',
      'http.response.status_code': 504,
    });
    expect(span?.status.code).toBe(STATUS.error);
    // The upstream span names what the HTTP client saw (the call deadline aborted the request).
    const [child] = children(span as ReceivedSpan);
    expect(child?.status.code).toBe(STATUS.error);
    expect(child?.attributes['error.type']).toBe('TimeoutError');
    expect(child?.attributes['http.response.status_code']).toBeUndefined();
  });
});

describe('without OTEL_* variables', () => {
  it('sends no traceparent upstream and exports nothing', async () => {
    const before = receiver.spans.length;
    const rt = await startTestRuntime({ file: cap.file });
    try {
      await fetch(`${rt.urls['api'] ?? ''}/items`, { headers: { traceparent: `00-${REST_TRACE}-${REST_PARENT}-01` } });
      expect(up.requests[up.requests.length - 1]?.headers['traceparent']).toBeUndefined();
    } finally {
      await rt.close();
    }
    expect(receiver.spans.length).toBe(before);
  });
});
