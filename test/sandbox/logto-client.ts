// A tiny HTTP client for the sandbox contract tests: real sockets through undici, one call per request.
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach } from 'vitest';

import {
  startLogtoSandbox,
  type LogtoSandbox,
  type LogtoSandboxOptions,
  type OneTimeToken,
} from '../../src/sandbox/logto/index.js';
import type { LogtoErrorBody } from '../../src/sandbox/logto/errors.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: unknown;
}

export interface CallOptions {
  /** Sent as JSON unless `raw` is given. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** The whole Authorization header; null sends none. Defaults to `Bearer <sandbox token>`. */
  auth?: string | null;
}

export const TOKEN = 'sandbox-test-token';
export const T0 = Date.UTC(2026, 0, 1);

/** A sandbox on an ephemeral port with a settable clock, accepting `TOKEN` unless `token` is null. */
export async function startTestSandbox(extra: LogtoSandboxOptions = {}, token: string | null = TOKEN) {
  const clock = { now: T0 };
  const sandbox = await startLogtoSandbox({ ...(token !== null && { token }), now: () => clock.now, ...extra });
  return { sandbox, clock, call: caller(sandbox) };
}

export type TestSandbox = Awaited<ReturnType<typeof startTestSandbox>>;

/**
 * One sandbox for the test file, emptied and its clock set back to T0 before each test. The returned
 * object is filled in by beforeAll, so tests read `ctx.call`, `ctx.sandbox`, `ctx.clock` as usual.
 */
export function useTestSandbox(): TestSandbox {
  const ctx = {} as TestSandbox;
  beforeAll(async () => {
    Object.assign(ctx, await startTestSandbox());
  });
  beforeEach(() => {
    ctx.sandbox.clear();
    ctx.clock.now = T0;
  });
  afterAll(() => ctx.sandbox?.close());
  return ctx;
}

export function caller(sandbox: Pick<LogtoSandbox, 'url'>) {
  return async function call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = {};
    const auth = options.auth === undefined ? `Bearer ${TOKEN}` : options.auth;
    if (auth !== null) headers['authorization'] = auth;
    let payload: string | undefined = options.raw;
    if (payload === undefined && options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    Object.assign(headers, options.headers);
    const res = await request(`${sandbox.url}${path}`, {
      method: method as 'GET',
      headers,
      ...(payload !== undefined && { body: payload }),
    });
    const text = await res.body.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.statusCode, headers: res.headers, text, body };
  };
}

export const asToken = (value: unknown): OneTimeToken => value as OneTimeToken;
export const asTokens = (value: unknown): OneTimeToken[] => value as OneTimeToken[];
export const asError = (value: unknown): LogtoErrorBody => value as LogtoErrorBody;

/** Creates a token and returns it (asserting the 201). */
export async function createToken(
  call: ReturnType<typeof caller>,
  body: Record<string, unknown> = { email: 'ada@example.com' },
): Promise<OneTimeToken> {
  const res = await call('POST', '/api/one-time-tokens', { body });
  if (res.status !== 201) throw new Error(`create answered ${res.status}: ${res.text}`);
  return asToken(res.body);
}
