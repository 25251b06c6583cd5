// When to try an upstream call again. Only idempotent calls are retried, and only on failures
// that say nothing happened or the upstream asked us to come back later (DESIGN §5).

import type { RuntimeError } from '../errors.js';
import { neverConnected } from './classify.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 };

const RETRY_STATUSES = new Set([429, 502, 503, 504]);

export function retriableStatus(status: number): boolean {
  return RETRY_STATUSES.has(status);
}

/**
 * Refused, reset or never-made connections: the request may not have reached the upstream, and the call
 * is idempotent, so repeating it is safe. A headers or body timeout is not retried: the upstream may
 * still be working on it, and piling on load is what made it slow.
 */
export function retriableError(err: RuntimeError): boolean {
  return err.code === 'NAF_ERR_UPSTREAM_UNREACHABLE' || err.code === 'NAF_ERR_UPSTREAM_RESET' || neverConnected(err);
}

/** Full-jitter exponential backoff (AWS architecture blog): spreads retries of many callers apart. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/** `Retry-After` as seconds or an HTTP date → milliseconds from now; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
