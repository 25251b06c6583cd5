// The forward pass-through send: the caller's method, path, query and body go to one upstream with
// its credentials and parameters; the answer comes back as bytes. Same pools, timeouts, deadline and
// error kinds as `Consumer.send`, but never retried: a proxied request may not be safe to repeat, and
// its body is a stream that is gone once sent (only a bodiless call refused with 401 goes once more,
// after the credentials refresh, because the upstream acted on nothing).

import { readBounded } from './response.js';
import { Transform, type Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { ForwardParams, ForwardRoute } from '../binding/forward.js';
import { RuntimeError } from '../errors.js';
import { classify, type AbortCause } from './classify.js';
import type { AppliedAuth } from './credentials.js';
import type { Consumer, UpstreamEndpoint } from './http.js';
import type { ByteBudget } from '../limits/budget.js';

export interface ForwardCall {
  readonly upstream: string;
  readonly method: Dispatcher.HttpMethod;
  /** Below the base URI: '' or `/a/b`, already checked and percent-encoded as the caller sent it. */
  readonly path: string;
  /** The caller's raw query string without `?` ('' for none), kept byte for byte. */
  readonly query: string;
  /** The caller's headers that may travel (trusted ones and the body's own), lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly params: ForwardParams;
  /** The caller's request body, streamed up; at most `bodyLimit` bytes. */
  readonly body?: Readable;
  readonly bodyLimit: number;
}

export interface ForwardResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface ForwardSendOptions {
  readonly signal?: AbortSignal;
  readonly requestId?: string;
}

/** The caller's side of a forwarded request: what the REST adapter decoded. */
export type CallerRequest = Omit<ForwardCall, 'upstream' | 'params'>;
export type Forwarder = (route: ForwardRoute, req: CallerRequest, opts?: ForwardSendOptions) => Promise<ForwardResult>;

/** One forwarder per runtime: the route's upstream and its parameters (rendered against binds) added. */
export function createForwarder(consumer: Consumer, vars: Readonly<Record<string, string>>): Forwarder {
  const { gate, budget } = consumer.limits;
  return async (route, req, opts) => {
    const send = () => forwardSend(consumer, { ...req, upstream: route.upstream, params: route.params(vars) }, opts);
    // A forward is a call like any other: it takes a call slot and its answer's bytes count until it ends.
    const release = await gate?.call(opts?.signal);
    try {
      return await (budget ? budget.run(send) : send());
    } finally {
      release?.();
    }
  };
}

export async function forwardSend(
  consumer: Consumer,
  call: ForwardCall,
  opts: ForwardSendOptions = {},
): Promise<ForwardResult> {
  const entry = consumer.upstream(call.upstream);
  if (!entry) throw new RuntimeError('NAF_ERR_CONFIG', `No upstream named '${call.upstream}' is configured`);
  const { callTimeoutMs } = consumer.options;
  const deadline = AbortSignal.timeout(callTimeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  const cause = (): AbortCause | undefined =>
    opts.signal?.aborted ? 'caller' : deadline.aborted ? 'deadline' : undefined;
  const release = await consumer.limits.gate?.upstream(call.upstream, signal).catch((err: unknown) => {
    throw classify(err, call.upstream, cause());
  });
  try {
    return await exchange(consumer, entry, call, opts, signal, cause);
  } finally {
    release?.();
  }
}

async function exchange(
  consumer: Consumer,
  entry: NonNullable<ReturnType<Consumer['upstream']>>,
  call: ForwardCall,
  opts: ForwardSendOptions,
  signal: AbortSignal,
  cause: () => AbortCause | undefined,
): Promise<ForwardResult> {
  const { maxResponseBytes } = consumer.options;
  const credentials = entry.endpoint.credentials;
  const target = (authQuery: AppliedAuth['query']) => requestTarget(entry.endpoint, call, authQuery);
  for (let attempt = 1; ; attempt++) {
    try {
      const auth: AppliedAuth = credentials
        ? await credentials.apply(signal, { method: call.method, uri: target([]) })
        : { headers: {}, query: [] };
      const res = await entry.pool.request({
        method: call.method,
        path: target(auth.query),
        headers: headersFor(call, auth, opts.requestId),
        ...(call.body ? { body: call.body.pipe(limit(call.bodyLimit)) } : {}),
        signal,
      });
      const result = await read(res, maxResponseBytes, call.upstream, consumer.limits.budget);
      if (result.status !== 401 || attempt > 1 || !credentials?.refresh) return result;
      // Refreshed either way, so the caller's next try carries good credentials; resent only when
      // there is no body (a streamed body is gone once sent).
      const renewed = await credentials.refresh(auth, { headers: flatten(result.headers) });
      if (!renewed || call.body) return result;
    } catch (err) {
      throw classify(err, call.upstream, cause());
    }
  }
}

function requestTarget(endpoint: UpstreamEndpoint, call: ForwardCall, authQuery: AppliedAuth['query']): string {
  const basePath = endpoint.baseUrl.pathname.replace(/\/$/, '');
  const query = joinQuery(call.query, [...call.params.query, ...authQuery]);
  return (`${basePath}${call.path}` || '/') + (query ? `?${query}` : '');
}

/** Ours win over the caller's: namespace parameters over trusted headers, credentials over both. */
function headersFor(call: ForwardCall, auth: AppliedAuth, requestId: string | undefined): Record<string, string> {
  return {
    accept: '*/*',
    ...call.headers,
    'user-agent': 'naftiko-runtime',
    ...call.params.headers,
    ...(requestId ? { 'x-request-id': requestId } : {}),
    ...auth.headers,
  };
}

function flatten(headers: ForwardResult['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * The caller's query as sent, minus any pair whose name one of ours (a namespace parameter, an API key
 * in the query) also uses — so a caller can neither replace nor shadow them — then ours, form-encoded.
 */
export function joinQuery(raw: string, ours: ReadonlyArray<readonly [string, string]>): string {
  const names = new Set(ours.map(([k]) => k));
  const kept = raw.split('&').filter((pair) => pair !== '' && !names.has(decodeName(pair.split('=')[0] ?? '')));
  const added = new URLSearchParams(ours.map(([k, v]): [string, string] => [k, v])).toString();
  return [...kept, ...(added ? [added] : [])].join('&');
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/** Counts the request body on its way up and fails the upload once it passes the limit. */
function limit(max: number): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > max)
        done(new RuntimeError('NAF_ERR_BODY_TOO_LARGE', `Request body is larger than the limit (${max} bytes)`));
      else done(null, chunk);
    },
  });
}

/** The upstream body, bounded by the response size limit (10 MiB by default) and the byte budget, as bytes. */
async function read(
  res: Dispatcher.ResponseData,
  max: number,
  upstream: string,
  budget: ByteBudget | undefined,
): Promise<ForwardResult> {
  if (!budget) return { status: res.statusCode, headers: res.headers, body: await readBounded(res, max, upstream) };
  const { lease, own } = budget.lease();
  try {
    const metered = { ...res, body: budget.meter(res, lease, upstream, max) } as typeof res;
    return { status: res.statusCode, headers: res.headers, body: await readBounded(metered, max, upstream) };
  } finally {
    if (own) lease.release();
  }
}
