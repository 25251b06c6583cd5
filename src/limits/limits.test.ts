import { describe, expect, it } from 'vitest';
import { isRuntimeError } from '../errors.js';
import { limitsSettings } from '../cli/limits-options.js';
import { ByteBudget } from './budget.js';
import { Slots } from './gate.js';
import { RateCounter, rateHeaders } from './rate.js';
import { DEFAULT_LIMITS } from './settings.js';
import { Readable } from 'node:stream';

describe('Slots', () => {
  it('grants up to the limit, queues FIFO up to the queue, sheds past it at once', async () => {
    const slots = new Slots('test', 2, 1, 10_000);
    const a = await slots.acquire();
    await slots.acquire();
    const order: string[] = [];
    const queued = slots.acquire().then((release) => (order.push('queued'), release));
    await expect(slots.acquire()).rejects.toMatchObject({ code: 'NAF_ERR_OVERLOADED', details: { retryAfter: '1' } });
    a();
    a(); // a second release of the same slot does nothing
    (await queued)();
    expect(order).toEqual(['queued']);
    expect(slots.busy).toBe(1);
  });

  it('sheds a queued call when its wait passes the queue timeout, and leaves the queue on abort', async () => {
    const slots = new Slots('test', 1, 5, 50);
    await slots.acquire();
    await expect(slots.acquire()).rejects.toMatchObject({ code: 'NAF_ERR_OVERLOADED' });
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'NAF_ERR_CANCELLED' });
    expect(slots.queued).toBe(0);
  });
});

describe('ByteBudget', () => {
  it('admits a declared length whole or sheds it before reading, and frees it when the call ends', async () => {
    const budget = new ByteBudget(100);
    const body = () => Readable.from([Buffer.alloc(60)]);
    const held = await budget.run(async () => {
      const { lease } = budget.lease();
      const read = budget.meter({ headers: { 'content-length': '60' }, body: body() }, lease, 'up', 1000);
      for await (const _ of read) void _;
      const second = budget.meter(
        { headers: { 'content-length': '60' }, body: body() },
        budget.lease().lease,
        'up',
        1000,
      );
      const err = await (async () => {
        for await (const _ of second) void _;
      })().catch((e: unknown) => e);
      expect(isRuntimeError(err) && err.code).toBe('NAF_ERR_OVERLOADED');
      return budget.used;
    });
    expect(held).toBe(60);
    expect(budget.used).toBe(0);
  });
});

describe('RateCounter', () => {
  it('counts a fixed window per key and reports the IETF header fields', () => {
    let now = 0;
    const counter = new RateCounter('route', { quota: 2, windowMs: 10_000 }, () => now);
    expect(counter.hit('a').ok).toBe(true);
    expect(rateHeaders(counter.hit('a'))).toEqual({
      'ratelimit-policy': '"route";q=2;w=10',
      ratelimit: '"route";r=0;t=10',
    });
    now = 4000;
    const refused = counter.hit('a');
    expect(refused.ok).toBe(false);
    expect(rateHeaders(refused)['retry-after']).toBe('6');
    expect(counter.hit('b').ok).toBe(true);
    now = 10_000;
    expect(counter.hit('a').ok).toBe(true);
  });
});

describe('limits flags', () => {
  it('reads flags over environment, with units', () => {
    const { limits } = limitsSettings(
      { 'max-inflight': '10', 'buffer-budget': '64MiB', 'rate-limit': '100/1m', 'queue-timeout': '2s' },
      { RUNTIME_MAX_INFLIGHT: '99', RUNTIME_MAX_QUEUE: '0', RUNTIME_RATE_LIMIT_CALLER: '5/s' },
    );
    expect(limits).toEqual({
      maxInflight: 10,
      maxQueue: 0,
      queueTimeoutMs: 2000,
      bufferBudget: 64 * 1024 * 1024,
      rateLimit: { quota: 100, windowMs: 60_000 },
      rateLimitCaller: { quota: 5, windowMs: 1000 },
    });
    expect(limitsSettings({}, {}).limits).toEqual({});
    expect(DEFAULT_LIMITS.maxBatch).toBe(50);
  });

  it('reports every bad value at once, one line each, naming the flag or variable', () => {
    let message = '';
    try {
      limitsSettings({ 'max-connections': '-1', 'rate-limit': 'lots' }, { RUNTIME_BUFFER_BUDGET: '12 parsecs' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n')).toEqual([
      "--max-connections expects a positive whole number, got '-1'",
      "RUNTIME_BUFFER_BUDGET expects a size in bytes (e.g. 268435456, 256MiB, 512k), got '12 parsecs'",
      "--rate-limit expects calls per window, e.g. 100/1m, 10/s or 500/1h (or off), got 'lots'",
    ]);
  });
});
