import { describe, expect, it } from 'vitest';
import { classify } from './classify.js';
import { backoffMs, DEFAULT_RETRY, retriableError, retryAfterMs } from './retry.js';

const failure = (code: string) => classify(Object.assign(new Error(code), { code }), 'up', undefined);

describe('retriableError', () => {
  it.each([
    ['ECONNREFUSED', true],
    ['ECONNRESET', true],
    ['UND_ERR_SOCKET', true],
    ['UND_ERR_CONNECT_TIMEOUT', true],
    ['UND_ERR_HEADERS_TIMEOUT', false],
    ['UND_ERR_BODY_TIMEOUT', false],
    ['UND_ERR_RES_EXCEEDED_MAX_SIZE', false],
    ['HPE_INVALID_CONSTANT', false],
  ])('%s → %s', (code, retriable) => {
    expect(retriableError(failure(code))).toBe(retriable);
  });

  it('a connect timeout is still reported as a timeout (504) to the caller', () => {
    expect(failure('UND_ERR_CONNECT_TIMEOUT').code).toBe('NAF_ERR_UPSTREAM_TIMEOUT');
  });
});

describe('backoff and Retry-After', () => {
  it('full jitter stays under the doubling ceiling, capped at maxDelayMs', () => {
    expect(backoffMs(DEFAULT_RETRY, 1, () => 1)).toBe(100);
    expect(backoffMs(DEFAULT_RETRY, 2, () => 1)).toBe(200);
    expect(backoffMs(DEFAULT_RETRY, 10, () => 1)).toBe(2_000);
    expect(backoffMs(DEFAULT_RETRY, 3, () => 0)).toBe(0);
  });

  it('reads seconds and HTTP dates, ignores the unreadable', () => {
    const now = Date.parse('2026-11-29T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs('Sun, 29 Nov 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs('Sat, 28 Nov 2026 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
