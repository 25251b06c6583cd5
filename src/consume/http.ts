// The only outbound I/O: one keep-alive undici Pool per upstream origin, timeouts, credentials,
// the caller's AbortSignal, response size limit, and failures mapped to our error kinds.

import { Pool } from 'undici';
import type { BuiltRequest } from '../binding/table.js';
import { RuntimeError } from '../errors.js';
import type { HttpMethod } from '../spec/types.js';
import { classify, type AbortCause } from './classify.js';
import type { Credentials } from './credentials.js';
import { readBody } from './response.js';

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
}

export interface SendOptions {
  readonly signal?: AbortSignal;
  readonly requestId?: string;
}

export class Consumer {
  readonly #endpoints = new Map<string, { endpoint: UpstreamEndpoint; pool: Pool }>();
  readonly #options: ConsumerOptions;

  constructor(endpoints: readonly UpstreamEndpoint[], options: Partial<ConsumerOptions> = {}) {
    this.#options = { ...DEFAULT_CONSUMER_OPTIONS, ...options };
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
        });
        pools.set(origin, pool);
      }
      this.#endpoints.set(endpoint.namespace, { endpoint, pool });
    }
  }

  get options(): ConsumerOptions {
    return this.#options;
  }

  /** One upstream exchange; the caller decides about retries. */
  async send(upstream: string, method: HttpMethod, req: BuiltRequest, opts: SendOptions = {}): Promise<UpstreamResponse> {
    const entry = this.#endpoints.get(upstream);
    if (!entry) throw new RuntimeError('NAF_ERR_CONFIG', `No upstream named '${upstream}' is configured`);
    const { endpoint, pool } = entry;
    const auth = endpoint.credentials ? await endpoint.credentials.apply() : { headers: {}, query: [] };
    const query = new URLSearchParams([...req.query, ...auth.query].map(([k, v]): [string, string] => [k, v])).toString();
    const basePath = endpoint.baseUrl.pathname.replace(/\/$/, '');
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'naftiko-runtime',
      ...req.headers,
      ...(req.body ? { 'content-type': req.body.contentType } : {}),
      ...(opts.requestId ? { 'x-request-id': opts.requestId } : {}),
      ...auth.headers,
    };

    const deadline = AbortSignal.timeout(this.#options.callTimeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
    const abortCause = (): AbortCause | undefined => (opts.signal?.aborted ? 'caller' : deadline.aborted ? 'deadline' : undefined);
    try {
      const res = await pool.request({
        method,
        path: `${basePath}${req.path}${query ? `?${query}` : ''}`,
        headers,
        ...(req.body ? { body: req.body.text } : {}),
        signal,
      });
      const body = await readBody(res, this.#options.maxResponseBytes, upstream);
      return { status: res.statusCode, headers: flatten(res.headers), body };
    } catch (err) {
      throw classify(err, upstream, abortCause());
    }
  }

  async close(): Promise<void> {
    const pools = new Set([...this.#endpoints.values()].map((e) => e.pool));
    await Promise.all([...pools].map((p) => p.close()));
  }
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
