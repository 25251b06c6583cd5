// Rate limits per caller: a fixed-window counter per key (caller × route or tool, and caller alone), with
// the state the IETF RateLimit header fields report (draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy`
// names the quota, `RateLimit` what is left and when it resets). Keys are bounded: past MAX_KEYS the oldest
// windows are dropped, so a flood of distinct callers cannot grow memory without end.

import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { RuntimeError } from '../errors.js';
import type { RateSpec } from './settings.js';

const MAX_KEYS = 100_000;

interface Window {
  startedAt: number;
  count: number;
}

export interface RateVerdict {
  readonly ok: boolean;
  /** The policy's name in the header fields. */
  readonly policy: string;
  readonly spec: RateSpec;
  readonly remaining: number;
  /** Seconds until the window resets. */
  readonly resetSeconds: number;
}

export class RateCounter {
  readonly #windows = new Map<string, Window>();

  constructor(
    readonly policy: string,
    readonly spec: RateSpec,
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: string): RateVerdict {
    const t = this.now();
    let w = this.#windows.get(key);
    if (!w || t - w.startedAt >= this.spec.windowMs) {
      if (w) this.#windows.delete(key);
      w = { startedAt: t, count: 0 };
      this.#windows.set(key, w);
      if (this.#windows.size > MAX_KEYS) this.#sweep(t);
    }
    const ok = w.count < this.spec.quota;
    if (ok) w.count++;
    return {
      ok,
      policy: this.policy,
      spec: this.spec,
      remaining: this.spec.quota - w.count,
      resetSeconds: Math.max(1, Math.ceil((w.startedAt + this.spec.windowMs - t) / 1000)),
    };
  }

  /** Expired windows first; if every window is live, the oldest (insertion order) go. */
  #sweep(t: number): void {
    for (const [k, w] of this.#windows) if (t - w.startedAt >= this.spec.windowMs) this.#windows.delete(k);
    for (const k of this.#windows.keys()) {
      if (this.#windows.size <= MAX_KEYS * 0.9) break;
      this.#windows.delete(k);
    }
  }
}

/** The per-caller and per-caller-per-target counters of one adapter; either may be off. */
export class RateLimiter {
  readonly #perTarget?: RateCounter;
  readonly #perCaller?: RateCounter;

  constructor(perTarget: RateSpec | undefined, perCaller: RateSpec | undefined) {
    if (perTarget) this.#perTarget = new RateCounter('route', perTarget);
    if (perCaller) this.#perCaller = new RateCounter('caller', perCaller);
  }

  get enabled(): boolean {
    return Boolean(this.#perTarget || this.#perCaller);
  }

  /** Counts one call of `target` by `caller`; the tighter verdict (a refusal first). */
  hit(caller: string, target: string): RateVerdict | undefined {
    const verdicts = [this.#perCaller?.hit(caller), this.#perTarget?.hit(`${caller}\n${target}`)].filter(
      (v): v is RateVerdict => v !== undefined,
    );
    return verdicts.find((v) => !v.ok) ?? verdicts.sort((a, b) => a.remaining - b.remaining)[0];
  }
}

/**
 * Who is calling: the credential they present (hashed: the key is kept in memory, a credential must not be),
 * else their address. Behind a proxy every caller shares its address: give callers tokens there.
 */
export function callerKey(headers: IncomingHttpHeaders, ip: string | undefined): string {
  const credential = headers['authorization'] ?? headers['x-api-key'];
  const value = Array.isArray(credential) ? credential[0] : credential;
  if (value) return `c:${createHash('sha256').update(value).digest('base64url').slice(0, 22)}`;
  return `ip:${ip ?? 'unknown'}`;
}

/** The header fields of a verdict (draft-ietf-httpapi-ratelimit-headers-09 syntax). */
export function rateHeaders(v: RateVerdict): Record<string, string> {
  const headers: Record<string, string> = {
    'ratelimit-policy': `"${v.policy}";q=${v.spec.quota};w=${Math.max(1, Math.round(v.spec.windowMs / 1000))}`,
    ratelimit: `"${v.policy}";r=${Math.max(0, v.remaining)};t=${v.resetSeconds}`,
  };
  if (!v.ok) headers['retry-after'] = String(v.resetSeconds);
  return headers;
}

export function rateLimited(v: RateVerdict, target: string): RuntimeError {
  const per = v.policy === 'caller' ? 'per caller' : `per caller for ${target}`;
  return new RuntimeError(
    'NAF_ERR_RATE_LIMITED',
    `Rate limit reached: ${v.spec.quota} calls per ${v.spec.windowMs / 1000} s ${per}; try again in ${v.resetSeconds} s`,
    { retryAfter: String(v.resetSeconds) },
  );
}
