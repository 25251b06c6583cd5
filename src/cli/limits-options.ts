// `runtime start` flags and environment for the load bounds (src/limits, docs/safety.md "Limits"): inbound
// connections and their timeouts, concurrent and queued calls, batch size, the response byte budget and rate
// limits. Precedence: flag > environment > default. Every value is checked up front.

import type { Limits, RateSpec } from '../limits/settings.js';
import { UsageError } from './io.js';
import { duration, fromFlagOrEnv, positiveInt, Problems } from './options.js';

export const LIMITS_FLAGS = {
  'max-connections': { type: 'string' },
  'first-byte-timeout': { type: 'string' },
  'request-headers-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
  'idle-timeout': { type: 'string' },
  'send-timeout': { type: 'string' },
  'max-inflight': { type: 'string' },
  'max-inflight-per-upstream': { type: 'string' },
  'max-queue': { type: 'string' },
  'queue-timeout': { type: 'string' },
  'max-batch': { type: 'string' },
  'buffer-budget': { type: 'string' },
  'rate-limit': { type: 'string' },
  'rate-limit-caller': { type: 'string' },
} as const;

export const LIMITS_USAGE = `  Load limits (docs/safety.md, "Limits"; env RUNTIME_<FLAG NAME>, e.g. RUNTIME_MAX_INFLIGHT):
  --max-connections <n>     open connections per adapter; past it the oldest idle one is closed, or 503 (1024)
  --first-byte-timeout <ms> close a connection that sends nothing for this long (10s)
  --request-headers-timeout <ms>  a request's headers must arrive within this (15s)
  --request-timeout <ms>    the whole request must arrive within this (30s)
  --idle-timeout <ms>       close an idle keep-alive connection after this (72s)
  --send-timeout <ms>       cut a client that stops reading its answer for this long (30s)
  --max-inflight <n>        calls running at once, all adapters (256)
  --max-inflight-per-upstream <n>  upstream exchanges at once per consumed namespace; its socket cap (64)
  --max-queue <n>           calls waiting for a slot; past it: 503 / tool error at once (256)
  --queue-timeout <ms>      longest wait for a slot before the call is shed (5s)
  --max-batch <n>           messages in one JSON-RPC batch (50)
  --buffer-budget <bytes>   upstream answer bytes held at once, all calls (256MiB; k/KiB, m/MiB, g/GiB)
  --rate-limit <n/window>   calls per caller per REST route or MCP tool, e.g. 100/1m (default off)
  --rate-limit-caller <n/window>  calls per caller per adapter, all routes or tools together (default off)
`;

type Flag = keyof typeof LIMITS_FLAGS;
type Values = Partial<Record<Flag, string>>;

export interface LimitsSettings {
  readonly limits: Partial<Limits>;
}

const envOf = (flag: Flag) => `RUNTIME_${flag.toUpperCase().replace(/-/g, '_')}`;

export function limitsSettings(values: Values, env: NodeJS.ProcessEnv): LimitsSettings {
  const p = new Problems();
  const out: Record<string, unknown> = {};
  const read = <T>(key: keyof Limits, flag: Flag, check: (v: string | undefined, from: string) => T | undefined) => {
    const value = p.take(() => check(...fromFlagOrEnv(values, flag, env, envOf(flag))));
    if (value !== undefined) out[key] = value;
  };
  read('maxConnections', 'max-connections', positiveInt);
  read('firstByteTimeoutMs', 'first-byte-timeout', duration);
  read('headersTimeoutMs', 'request-headers-timeout', duration);
  read('requestTimeoutMs', 'request-timeout', duration);
  read('idleTimeoutMs', 'idle-timeout', duration);
  read('sendTimeoutMs', 'send-timeout', duration);
  read('maxInflight', 'max-inflight', positiveInt);
  read('maxInflightPerUpstream', 'max-inflight-per-upstream', positiveInt);
  read('maxQueue', 'max-queue', whole);
  read('queueTimeoutMs', 'queue-timeout', duration);
  read('maxBatch', 'max-batch', positiveInt);
  read('bufferBudget', 'buffer-budget', bytes);
  read('rateLimit', 'rate-limit', rate);
  read('rateLimitCaller', 'rate-limit-caller', rate);
  p.throwIfAny();
  return { limits: out as Partial<Limits> };
}

/** A count that may be 0 (no queue: shed as soon as every slot is taken). */
function whole(value: string | undefined, flag: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value)))
    throw new UsageError(`${flag} expects a whole number (0 or more), got '${value}'`);
  return Number(value);
}

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  k: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
};

export function bytes(value: string | undefined, flag: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = BYTE_UNITS[(m?.[2] ?? '').toLowerCase()];
  const n = m && unit ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new UsageError(`${flag} expects a size in bytes (e.g. 268435456, 256MiB, 512k), got '${value}'`);
  return n;
}

/** `100/1m`, `10/s`, `5/30s`; `off` (or 0) turns the limit off. */
export function rate(value: string | undefined, flag: string): RateSpec | undefined {
  if (value === undefined || value === '' || value === 'off' || value === '0') return undefined;
  const m = /^(\d+)\/(\d*(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m?.[3] ?? 's'] ?? NaN;
  const quota = Number(m?.[1]);
  const windowMs = Math.round((m?.[2] ? Number(m[2]) : 1) * unit);
  if (!m || !Number.isSafeInteger(quota) || quota <= 0 || !(windowMs >= 1000))
    throw new UsageError(`${flag} expects calls per window, e.g. 100/1m, 10/s or 500/1h (or off), got '${value}'`);
  return { quota, windowMs };
}
