// Scenarios from the reference engine's TraceRingBufferTest and TracesResourceTest (ikanos v1.0.0-alpha2).
import { describe, expect, it } from 'vitest';
import { isoDuration } from './status.js';
import { traceOf, TraceBuffer, type TraceSummary } from './trace-buffer.js';

const trace = (traceId: string, operation = 'op', status: 'OK' | 'ERROR' = 'OK'): TraceSummary => ({
  traceId,
  operation,
  adapter: 'rest',
  durationMs: 42,
  status,
  httpStatus: status === 'OK' ? 200 : 502,
  timestamp: new Date(0).toISOString(),
  spanCount: 1,
  spans: [],
});

describe('TraceBuffer', () => {
  it('stores, returns the most recent first, and evicts the oldest when full', () => {
    const b = new TraceBuffer(2);
    expect(b.all()).toEqual([]);
    b.add(trace('t1'));
    expect([b.size, b.capacity]).toEqual([1, 2]);
    b.add(trace('t2'));
    b.add(trace('t3'));
    expect(b.size).toBe(2);
    expect(b.all().map((t) => t.traceId)).toEqual(['t3', 't2']);
  });

  it('finds by id, or not', () => {
    const b = new TraceBuffer(10);
    b.add(trace('t1', 'op-1'));
    b.add(trace('t2', 'op-2'));
    expect(b.find('t1')?.operation).toBe('op-1');
    expect(b.find('nonexistent')).toBeUndefined();
  });

  it.each([0, -5, 1.5])('refuses a capacity of %s', (n) => {
    expect(() => new TraceBuffer(n)).toThrow(RangeError);
  });
});

describe('traceOf', () => {
  it('a call becomes one SERVER span named after its binding; a 5xx is ERROR', () => {
    const t = traceOf('mcp', {
      binding: 'ns.tool',
      status: 502,
      durationMs: 12.34,
      upstreamStatus: 503,
      requestId: 'r1',
    });
    expect(t).toMatchObject({
      traceId: 'r1',
      operation: 'ns.tool',
      adapter: 'mcp',
      durationMs: 12.3,
      status: 'ERROR',
      httpStatus: 502,
      upstreamStatus: 503,
      spanCount: 1,
      spans: [{ name: 'ns.tool', kind: 'SERVER', durationMs: 12.3, status: 'ERROR' }],
    });
    expect(traceOf('rest', { binding: 'b', status: 404, durationMs: 1 })?.status).toBe('OK');
  });

  it('a probe (no binding, no error) is not a call; an unrouted error is', () => {
    expect(traceOf('rest', { status: 200, durationMs: 1 })).toBeUndefined();
    expect(traceOf('rest', { status: 404, durationMs: 1, errorCode: 'NAF_ERR_ROUTE_NOT_FOUND' })).toMatchObject({
      operation: 'rest (no binding)',
      error: 'NAF_ERR_ROUTE_NOT_FOUND',
    });
  });
});

describe('isoDuration', () => {
  it.each([
    [0, 'PT0S'],
    [1500, 'PT1.5S'],
    [60_000, 'PT1M'],
    [3_723_456, 'PT1H2M3.456S'],
  ])('%s ms → %s', (ms, text) => expect(isoDuration(ms)).toBe(text));
});
