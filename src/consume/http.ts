// The only outbound I/O: one keep-alive undici Pool per upstream origin, timeouts, credentials,
// the caller's AbortSignal, response size limit, and failures mapped to our error kinds.

import { Pool } from 'undici';
import type { BuiltRequest } from '../binding/table.js';
import { RuntimeError } from '../errors.js';
import type { HttpMethod } from '../spec/types.js';
import { classify, type AbortCause } from './classify.js';
import type { AppliedAuth, Credentials } from './credentials.js';
import type { Decoder } from './formats/index.js';
import type { CallTracer } from '../telemetry/types.js';
import type { ByteBudget } from '../limits/budget.js';
import type { Gate } from '../limits/gate.js';

const NO_AUTH: AppliedAuth = { headers: {}, query: [] };
import { RawJson, readBody } from './response.js';
import {
  backoffMs,
  DEFAULT_RETRY,
  retriableError,
  retriableStatus,
  retryAfterMs,
  sleep,
  type RetryPolicy,
} from './retry.js';

export interface ConsumerOptions {
  /** TCP/TLS connect. */
  readonly connectTimeoutMs: number;
  /** From request sent to response headers. */
  readonly headersTimeoutMs: number;
  /** Longest pause between two body chunks. */
  readonly bodyTimeoutMs: number;
  /** Whole call, retries included. */
  readonly callTimeoutMs: number;
  readonly maxResponseBytes: number;
}

export const DEFAULT_CONSUMER_OPTIONS: ConsumerOptions = {
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 15_000,
  bodyTimeoutMs: 15_000,
  callTimeoutMs: 30_000,
  maxResponseBytes: 10 * 1024 * 1024,
};

/** Runtime-wide bounds shared by every generation's consumer (src/limits). */
export interface ConsumerLimits {
  /** Caps upstream exchanges per namespace, with a bounded queue. */
  readonly gate?: Gate;
  /** Caps the upstream response bytes all calls hold at once. */
  readonly budget?: ByteBudget;
  /** Sockets per upstream origin (undici's pool `connections`). */
  readonly connections?: number;
}

export interface UpstreamEndpoint {
  readonly namespace: string;
  /** Resolved base URI, e.g. `https://acme.logto.app` or `http://127.0.0.1:3001/prefix`. */
  readonly baseUrl: URL;
  readonly credentials?: Credentials;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON; `{message}` for a non-JSON error body; undefined when empty. */
  readonly body: unknown;
  /** A 2xx JSON body's bytes as received, when they may be passed on unchanged (plain-json.ts); `body` parses them when read. */
  readonly json?: Buffer;
}

/** The answer, its JSON body parsed only when read (a REST pass-through never reads it). */
function answer(status: number, headers: Readonly<Record<string, string>>, body: unknown): UpstreamResponse {
  if (!(body instanceof RawJson)) return { status, headers, body };
  return {
    status,
    headers,
    json: body.bytes,
    get body() {
      return body.value;
    },
  };
}

export interface SendOptions {
  readonly signal?: AbortSignal;
  readonly requestId?: string;
  /** Retry-safe: may be sent again on a retriable failure. */
  readonly idempotent?: boolean;
  /** The operation's outputRawFormat decoder: reads a 2xx body instead of JSON (and sets the default Accept). */
  readonly decode?: Decoder;
}

export class Consumer {
  readonly #endpoints = new Map<string, { endpoint: UpstreamEndpoint; pool: Pool }>();
  readonly #options: ConsumerOptions;
  readonly #retry: RetryPolicy;
  readonly limits: ConsumerLimits;

  constructor(
    endpoints: readonly UpstreamEndpoint[],
    options: Partial<ConsumerOptions> = {},
    retry: RetryPolicy = DEFAULT_RETRY,
    limits: ConsumerLimits = {},
    /** OpenTelemetry, when on (src/telemetry): a span per upstream request, and one per call in invoke.ts. */
    readonly tracer?: CallTracer,
  ) {
    this.#options = { ...DEFAULT_CONSUMER_OPTIONS, ...options };
    this.#retry = retry;
    this.limits = limits;
    const pools = new Map<string, Pool>();
    for (const endpoint of endpoints) {
      const origin = endpoint.baseUrl.origin;
      let pool = pools.get(origin);
      if (!pool) {
        pool = new Pool(origin, {
          connect: { timeout: this.#options.connectTimeoutMs },
          headersTimeout: this.#options.headersTimeoutMs,
          bodyTimeout: this.#options.bodyTimeoutMs,
          keepAliveTimeout: 10_000,
          ...(limits.connections ? { connections: limits.connections } : {}),
        });
        pools.set(origin, pool);
      }
      this.#endpoints.set(endpoint.namespace, { endpoint, pool });
    }
  }

  get options(): ConsumerOptions {
    return this.#options;
  }

  /** One upstream's endpoint and pool, for the forward pass-through (`forward.ts`), which sends on its own terms. */
  upstream(namespace: string): { readonly endpoint: UpstreamEndpoint; readonly pool: Pool } | undefined {
    return this.#endpoints.get(namespace);
  }

  /**
   * One call: a single exchange, or several for an idempotent call on a retriable failure, all within
   * the call deadline. A 401 gets one more try after the credentials refresh (the upstream acted on nothing).
   */
  async send(
    upstream: string,
    method: HttpMethod,
    req: BuiltRequest,
    opts: SendOptions = {},
  ): Promise<UpstreamResponse> {
    const entry = this.#endpoints.get(upstream);
    if (!entry) throw new RuntimeError('NAF_ERR_CONFIG', `No upstream named '${upstream}' is configured`);
    // One controller and one timer per call: the caller's signal and the deadline both abort it
    // (AbortSignal.timeout + AbortSignal.any cost a GC-tracked timer and dependent-signal bookkeeping per call).
    const controller = new AbortController();
    const signal = controller.signal;
    const caller = opts.signal;
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      controller.abort(new DOMException('The call deadline passed', 'TimeoutError'));
    }, this.#options.callTimeoutMs);
    timer.unref();
    const onCallerAbort = () => controller.abort(caller?.reason);
    if (caller?.aborted) onCallerAbort();
    else caller?.addEventListener('abort', onCallerAbort, { once: true });
    const cause = (): AbortCause | undefined => (caller?.aborted ? 'caller' : expired ? 'deadline' : undefined);
    try {
      // One slot per upstream exchange (its retries included), taken within the call deadline.
      const release = await this.limits.gate?.upstream(upstream, signal).catch((err: unknown) => {
        throw classify(err, upstream, cause());
      });
      try {
        return await this.#send(entry, upstream, method, req, opts, signal, cause);
      } finally {
        release?.();
      }
    } finally {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onCallerAbort);
    }
  }

  async #send(
    entry: { endpoint: UpstreamEndpoint; pool: Pool },
    upstream: string,
    method: HttpMethod,
    req: BuiltRequest,
    opts: SendOptions,
    signal: AbortSignal,
    cause: () => AbortCause | undefined,
  ): Promise<UpstreamResponse> {
    const started = Date.now();
    const policy = this.#retry;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      let res: UpstreamResponse;
      let auth: AppliedAuth = NO_AUTH;
      try {
        if (entry.endpoint.credentials)
          auth = await entry.endpoint.credentials.apply(signal, {
            method,
            uri: requestTarget(entry.endpoint, req, []),
            ...(req.body ? { body: req.body.text } : {}),
          });
        // Tracing off: the plain exchange, nothing built for a span.
        res = this.tracer
          ? await this.tracer.upstream(
              { namespace: upstream, method, url: spanUrl(entry.endpoint, req), attempt },
              (t) => this.#exchange(entry, method, req, auth, signal, opts.requestId, opts.decode, t),
            )
          : await this.#exchange(entry, method, req, auth, signal, opts.requestId, opts.decode);
      } catch (err) {
        const e = classify(err, upstream, cause());
        if (!opts.idempotent || attempt >= policy.attempts || !retriableError(e)) throw e;
        await this.#pause(backoffMs(policy, attempt), started, signal, e, upstream, cause);
        continue;
      }
      if (res.status === 401 && !refreshed && entry.endpoint.credentials?.refresh) {
        refreshed = true;
        // A refused credential is not a failed attempt: the upstream acted on nothing.
        if (await entry.endpoint.credentials.refresh(auth, res)) {
          attempt--;
          continue;
        }
      }
      if (!opts.idempotent || attempt >= policy.attempts || !retriableStatus(res.status)) return res;
      const wait = retryAfterMs(res.headers['retry-after']) ?? backoffMs(policy, attempt);
      // Waiting past the deadline helps nobody: answer with what the upstream said.
      if (Date.now() - started + wait >= this.#options.callTimeoutMs) return res;
      await this.#pause(wait, started, signal, undefined, upstream, cause);
    }
  }

  async #pause(
    ms: number,
    started: number,
    signal: AbortSignal,
    last: RuntimeError | undefined,
    upstream: string,
    cause: () => AbortCause | undefined,
  ): Promise<void> {
    if (last && Date.now() - started + ms >= this.#options.callTimeoutMs) throw last;
    try {
      await sleep(ms, signal);
    } catch (err) {
      throw classify(err, upstream, cause());
    }
  }

  async #exchange(
    entry: { endpoint: UpstreamEndpoint; pool: Pool },
    method: HttpMethod,
    req: BuiltRequest,
    auth: AppliedAuth,
    signal: AbortSignal,
    requestId: string | undefined,
    decode?: Decoder,
    trace?: Readonly<Record<string, string>>,
  ): Promise<UpstreamResponse> {
    const { endpoint, pool } = entry;
    const headers: Record<string, string> = {
      accept: decode?.accept ?? 'application/json',
      'user-agent': 'naftiko-runtime',
      ...req.headers,
      ...(req.body ? { 'content-type': req.body.contentType } : {}),
      ...(requestId ? { 'x-request-id': requestId } : {}),
      ...trace,
      ...auth.headers,
    };
    const res = await pool.request({
      method,
      path: requestTarget(endpoint, req, auth.query),
      headers,
      ...(req.body ? { body: req.body.text } : {}),
      signal,
    });
    const budget = this.limits.budget;
    if (!budget) {
      const body = await readBody(res, this.#options.maxResponseBytes, endpoint.namespace, decode);
      return answer(res.statusCode, flatten(res.headers), body);
    }
    const { lease, own } = budget.lease();
    try {
      const metered = {
        ...res,
        body: budget.meter(res, lease, endpoint.namespace, this.#options.maxResponseBytes),
      } as typeof res;
      const body = await readBody(metered, this.#options.maxResponseBytes, endpoint.namespace, decode);
      return answer(res.statusCode, flatten(res.headers), body);
    } finally {
      if (own) lease.release();
    }
  }

  async close(): Promise<void> {
    const pools = new Set([...this.#endpoints.values()].map((e) => e.pool));
    await Promise.all([...pools].map((p) => p.close()));
    await Promise.all([...this.#endpoints.values()].map((e) => e.endpoint.credentials?.close?.()));
  }
}

/** The request-target sent upstream: the base URI's path, the request's path, its query and the auth's. */
function requestTarget(endpoint: UpstreamEndpoint, req: BuiltRequest, authQuery: AppliedAuth['query']): string {
  const query = new URLSearchParams([...req.query, ...authQuery].map(([k, v]): [string, string] => [k, v])).toString();
  // A consumed path without a leading `/` is joined as written, like the engine (`/v1` + `data` → `/v1data`);
  // on a bare origin that still needs the `/` an HTTP request target must start with.
  const joined = `${endpoint.baseUrl.pathname.replace(/\/$/, '')}${req.path}`;
  return `${joined.startsWith('/') ? joined : `/${joined}`}${query ? `?${query}` : ''}`;
}

/** Origin and path for a span: never the query, which may hold an API key (auth in query) or an e-mail. */
function spanUrl(endpoint: UpstreamEndpoint, req: BuiltRequest): string {
  return `${endpoint.baseUrl.origin}${requestTarget(endpoint, req, []).split('?')[0]}`;
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
