// OAuth2 client-credentials grant for an upstream (Logto Management API: POST /oidc/token,
// resource https://<tenant>.logto.app/api, scope all). The access token is cached until shortly
// before it expires; concurrent callers share one fetch; a 401 from the upstream forces one refresh.

import { Agent, request } from 'undici';
import { RuntimeError } from '../errors.js';
import type { Secrets } from '../secrets.js';
import type { Credentials } from './credentials.js';

export interface ClientCredentialsConfig {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly resource?: string;
  readonly scope?: string;
  /** Refresh this long before `expires_in` runs out (default 60 s, as @logto/api does). */
  readonly leewayMs?: number;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

interface Cached {
  readonly token: string;
  readonly refreshAt: number;
}

export function clientCredentials(
  config: ClientCredentialsConfig,
  secrets: Secrets,
): Credentials & { fetches(): number } {
  const now = config.now ?? Date.now;
  const agent = new Agent({
    connect: { timeout: config.timeoutMs ?? 5_000 },
    headersTimeout: config.timeoutMs ?? 10_000,
    bodyTimeout: config.timeoutMs ?? 10_000,
  });
  secrets.add(config.clientSecret);
  let cached: Cached | undefined;
  let inflight: Promise<Cached> | undefined;
  let fetches = 0;

  const fetchToken = async (): Promise<Cached> => {
    fetches++;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: config.clientId,
      client_secret: config.clientSecret,
    });
    if (config.resource) form.set('resource', config.resource);
    if (config.scope) form.set('scope', config.scope);
    let status: number;
    let body: Record<string, unknown>;
    try {
      const res = await request(config.tokenUrl, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      });
      status = res.statusCode;
      body = ((await res.body.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;
    } catch (err) {
      throw new RuntimeError(
        'NAF_ERR_UPSTREAM_AUTH',
        `Token endpoint ${config.tokenUrl} is unreachable (${(err as { code?: string }).code ?? 'error'})`,
        {},
        { cause: err },
      );
    }
    const token = body['access_token'];
    if (status !== 200 || typeof token !== 'string' || token === '') {
      const reason =
        [body['error'], body['error_description']].filter(Boolean).join(': ') || 'no access_token in the answer';
      throw new RuntimeError(
        'NAF_ERR_UPSTREAM_AUTH',
        `Token endpoint ${config.tokenUrl} refused the client credentials (HTTP ${status}: ${String(reason)})`,
      );
    }
    secrets.add(token);
    const ttlMs = (typeof body['expires_in'] === 'number' ? body['expires_in'] : 3600) * 1000;
    // A short-lived token must not be refreshed on every call: keep at least half its life.
    const leeway = Math.min(config.leewayMs ?? 60_000, ttlMs / 2);
    return { token, refreshAt: now() + ttlMs - leeway };
  };

  const current = async (): Promise<Cached> => {
    if (cached && now() < cached.refreshAt) return cached;
    inflight ??= fetchToken().finally(() => {
      inflight = undefined;
    });
    cached = await inflight;
    return cached;
  };

  return {
    apply: async () => ({ headers: { authorization: `Bearer ${(await current()).token}` }, query: [] }),
    refresh: async (used) => {
      // Only the first caller to see a stale token drops it; the others wait for the same fetch.
      if (cached && used.headers['authorization'] === `Bearer ${cached.token}`) cached = undefined;
      await current();
      return true;
    },
    secrets: () => [config.clientSecret, ...(cached ? [cached.token] : [])],
    close: () => agent.close(),
    fetches: () => fetches,
  };
}
