// Upstream OAuth2 client credentials (Logto's machine-to-machine flow, contract §5), end to end: the
// real runtime in-process against the Logto sandbox's /oidc/token, and against a recording upstream
// that shows exactly what is sent. One token serves many calls; expiry and an upstream 401 each cost
// exactly one fetch; a refused client is a clear 502; the caller's own credentials never go upstream.

import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentials } from '../../src/consume/oauth2.js';
import { startLogtoSandbox, type LogtoSandbox } from '../../src/sandbox/logto/index.js';
import { Secrets } from '../../src/secrets.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { modern, rpcResult } from '../mcp/wire.js';
import { canary } from '../support/canary.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';

const UPSTREAM = 'logto-one-time-tokens';
const LIST = '/v1/api/one-time-tokens';
const CLIENT_ID = 'm2m-runtime';

interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
}

async function sdkClient(url: string, token: string): Promise<ClientV2> {
  const client = new ClientV2({ name: 'oauth', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(
    new TransportV2(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  return client;
}

describe('against the Logto sandbox, with a runtime-wide inbound token', () => {
  const SECRET = canary('oauth-client-secret');
  const INBOUND = canary('runtime-auth-token');
  const auth = { authorization: `Bearer ${INBOUND}` };
  let sandbox: LogtoSandbox;
  let rt: TestRuntime;
  let mcp: ClientV2;
  beforeAll(async () => {
    // No static token: only access tokens issued at /oidc/token open the API.
    sandbox = await startLogtoSandbox({ port: 0, logger: false, oauthClients: [{ id: CLIENT_ID, secret: SECRET }] });
    rt = await startTestRuntime({
      baseUris: { [UPSTREAM]: sandbox.url },
      oauth: { clientId: CLIENT_ID, clientSecret: SECRET },
      authToken: INBOUND,
    });
    mcp = await sdkClient(rt.mcpUrl, INBOUND);
  });
  afterAll(async () => {
    await mcp?.close();
    await rt?.close();
    await sandbox?.close();
  });

  const restCreate = (email: string) =>
    rt.rest(LIST, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    });
  const mcpCreate = (email: string) =>
    mcp.callTool({ name: 'create-one-time-token', arguments: { body: { email } } }) as Promise<ToolResult>;

  it('20 calls, REST and MCP, the first eight at once: every one succeeds on a single token fetch', async () => {
    const burst = await Promise.all([
      ...[0, 1, 2, 3].map((i) => restCreate(`burst-rest-${i}@example.com`)),
      ...[0, 1, 2, 3].map((i) => mcpCreate(`burst-mcp-${i}@example.com`)),
    ]);
    for (const r of burst.slice(0, 4)) expect((r as Response).status).toBe(201);
    for (const r of burst.slice(4)) expect((r as ToolResult).isError).toBeFalsy();

    for (let i = 0; i < 3; i++) expect((await restCreate(`seq-rest-${i}@example.com`)).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await mcpCreate(`seq-mcp-${i}@example.com`)).isError).toBeFalsy();
    const listed = await rt.rest(`${LIST}?page_size=50`, { headers: auth });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as unknown[]).length).toBe(14);
    const raw = await modern(rt.mcpUrl, 'tools/call', { name: 'get-one-time-tokens', arguments: {} }, auth);
    expect(rpcResult(raw)['isError']).toBeFalsy();
    const parallel = await Promise.all([
      rt.rest(LIST, { headers: auth }),
      mcp.callTool({ name: 'get-one-time-tokens', arguments: { email: 'seq-mcp-0@example.com' } }),
      rt.rest(`${LIST}?status=active`, { headers: auth }),
      mcp.callTool({ name: 'get-one-time-tokens', arguments: {} }),
    ]);
    expect((parallel[0] as Response).status).toBe(200);
    expect((parallel[2] as Response).status).toBe(200);
    expect((parallel[1] as ToolResult).isError).toBeFalsy();
    expect((parallel[3] as ToolResult).isError).toBeFalsy();

    expect(sandbox.stats().tokensIssued).toBe(1);
  });

  it('tokens expired upstream: concurrent calls get 401, share one refresh, and all succeed', async () => {
    const before = sandbox.stats().tokensIssued;
    expect(sandbox.expireAccessTokens()).toBeGreaterThan(0);
    const results = await Promise.all([
      rt.rest(LIST, { headers: auth }),
      restCreate('after-expiry-rest@example.com'),
      mcpCreate('after-expiry-mcp@example.com'),
      mcp.callTool({ name: 'get-one-time-tokens', arguments: {} }) as Promise<ToolResult>,
      rt.rest(`${LIST}?page=1`, { headers: auth }),
    ]);
    expect((results[0] as Response).status).toBe(200);
    expect((results[1] as Response).status).toBe(201);
    expect((results[2] as ToolResult).isError).toBeFalsy();
    expect((results[3] as ToolResult).isError).toBeFalsy();
    expect((results[4] as Response).status).toBe(200);
    expect(sandbox.stats().tokensIssued).toBe(before + 1);
    // A create that met the 401 was sent again: the upstream acted on nothing the first time.
    expect(sandbox.tokens().filter((t) => t.email === 'after-expiry-rest@example.com')).toHaveLength(1);
  });
});

describe('token lifetime', () => {
  const SECRET = canary('oauth-client-secret');

  it('the cache lasts until 60 s before expires_in, then one new fetch (shared clock, no waiting)', async () => {
    const clock = { now: Date.UTC(2026, 0, 1) };
    const sandbox = await startLogtoSandbox({
      port: 0,
      logger: false,
      now: () => clock.now,
      oauthClients: [{ id: CLIENT_ID, secret: SECRET }],
    });
    const creds = clientCredentials(
      {
        tokenUrl: `${sandbox.url}/oidc/token`,
        clientId: CLIENT_ID,
        clientSecret: SECRET,
        resource: sandbox.resource,
        scope: 'all',
        now: () => clock.now,
      },
      new Secrets(),
    );
    try {
      const first = await Promise.all([creds.apply(), creds.apply(), creds.apply()]);
      expect(new Set(first.map((a) => a.headers['authorization'])).size).toBe(1);
      expect(creds.fetches()).toBe(1);
      clock.now += (3600 - 61) * 1000;
      expect((await creds.apply()).headers).toEqual(first[0]?.headers);
      expect(creds.fetches()).toBe(1);
      clock.now += 2000;
      expect((await creds.apply()).headers).not.toEqual(first[0]?.headers);
      expect(creds.fetches()).toBe(2);
      expect(sandbox.stats().tokensIssued).toBe(2);
    } finally {
      await creds.close?.();
      await sandbox.close();
    }
  });

  it('end to end with a 2 s token: the runtime fetches again once half its life has passed', async () => {
    const sandbox = await startLogtoSandbox({
      port: 0,
      logger: false,
      accessTokenTtlSeconds: 2,
      oauthClients: [{ id: CLIENT_ID, secret: SECRET }],
    });
    const rt = await startTestRuntime({
      baseUris: { [UPSTREAM]: sandbox.url },
      oauth: { clientId: CLIENT_ID, clientSecret: SECRET },
    });
    try {
      expect((await rt.rest(LIST)).status).toBe(200);
      const fetchedAt = Date.now();
      expect(sandbox.stats().tokensIssued).toBe(1);
      // The leeway is capped at half the lifetime, so a 2 s token is replaced after 1 s.
      await new Promise((r) => setTimeout(r, Math.max(0, fetchedAt + 1100 - Date.now())));
      expect((await rt.rest(LIST)).status).toBe(200);
      expect(sandbox.stats().tokensIssued).toBe(2);
    } finally {
      await rt.close();
      await sandbox.close();
    }
  });
});

describe('a client the token endpoint refuses, or cannot be reached', () => {
  const RIGHT = canary('oauth-client-secret');
  const WRONG = canary('wrong-client-secret');
  let sandbox: LogtoSandbox;
  let rt: TestRuntime;
  beforeAll(async () => {
    sandbox = await startLogtoSandbox({ port: 0, logger: false, oauthClients: [{ id: CLIENT_ID, secret: RIGHT }] });
    rt = await startTestRuntime({
      baseUris: { [UPSTREAM]: sandbox.url },
      oauth: { clientId: CLIENT_ID, clientSecret: WRONG },
    });
  });
  afterAll(async () => {
    await rt?.close();
    await sandbox?.close();
  });

  it('REST: 502 problem NAF_ERR_UPSTREAM_AUTH naming the token endpoint and its answer, never the secret', async () => {
    const res = await rt.rest(LIST);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as Record<string, string>;
    expect(problem['code']).toBe('NAF_ERR_UPSTREAM_AUTH');
    expect(problem['detail']).toBe(
      `Token endpoint ${sandbox.url}/oidc/token refused the client credentials (HTTP 401: invalid_client: client authentication failed)`,
    );
    expect(JSON.stringify(problem)).not.toContain(WRONG);
    // Nothing reached the API: the call stopped at the token endpoint.
    expect(sandbox.tokens()).toHaveLength(0);
  });

  it('MCP: a tool error with the same code and message', async () => {
    const r = await modern(rt.mcpUrl, 'tools/call', {
      name: 'create-one-time-token',
      arguments: { body: { email: 'x@example.com' } },
    });
    const result = rpcResult(r) as unknown as ToolResult;
    expect(result.isError).toBe(true);
    const text = result.content.map((c) => c.text ?? '').join('\n');
    expect(text).toContain('NAF_ERR_UPSTREAM_AUTH');
    expect(text).toContain(`Token endpoint ${sandbox.url}/oidc/token refused the client credentials`);
    expect(sandbox.tokens()).toHaveLength(0);
  });

  it('the log names the failure and redacts the secret', () => {
    const text = rt.logs.join('\n');
    expect(text).toContain('NAF_ERR_UPSTREAM_AUTH');
    expect(text).not.toContain(WRONG);
  });

  it('an unreachable token endpoint: 502 NAF_ERR_UPSTREAM_AUTH saying so', async () => {
    const closed = await startRecordingUpstream();
    const tokenUrl = `${closed.url}/oidc/token`;
    await closed.close();
    const down = await startTestRuntime({
      baseUris: { [UPSTREAM]: sandbox.url },
      oauth: { clientId: CLIENT_ID, clientSecret: RIGHT, tokenUrl },
    });
    try {
      const res = await down.rest(LIST);
      expect(res.status).toBe(502);
      const problem = (await res.json()) as Record<string, string>;
      expect(problem['code']).toBe('NAF_ERR_UPSTREAM_AUTH');
      expect(problem['detail']).toBe(`Token endpoint ${tokenUrl} is unreachable (ECONNREFUSED)`);
    } finally {
      await down.close();
    }
  });
});

describe('what goes upstream (recording upstream standing in for Logto)', () => {
  const SECRET = canary('oauth-client-secret');
  const INBOUND = canary('runtime-auth-token');
  let up: RecordingUpstream;
  let rt: TestRuntime;
  let issued = 0;
  beforeAll(async () => {
    up = await startRecordingUpstream();
    up.respond((req) => {
      if (req.path === '/oidc/token') {
        issued++;
        return { body: { access_token: `issued-access-token-${issued}`, expires_in: 3600, token_type: 'Bearer' } };
      }
      return { body: [] };
    });
    rt = await startTestRuntime({
      baseUris: { [UPSTREAM]: up.url },
      oauth: { clientId: CLIENT_ID, clientSecret: SECRET },
      authToken: INBOUND,
    });
  });
  afterAll(async () => {
    await rt?.close();
    await up?.close();
  });

  it('the token request is a Logto client-credentials grant with the OSS resource by default', async () => {
    const res = await rt.rest(LIST, { headers: { authorization: `Bearer ${INBOUND}` } });
    expect(res.status).toBe(200);
    const token = up.requests.find((r) => r.path === '/oidc/token');
    expect(token?.method).toBe('POST');
    expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token?.text))).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: SECRET,
      resource: 'https://default.logto.app/api',
      scope: 'all',
    });
    expect(token?.text).not.toContain(INBOUND);
  });

  it("the caller's Authorization (and other credentials) never reach the upstream; the issued token does", async () => {
    up.reset();
    up.respond(() => ({ body: [] }));
    const caller = { authorization: `Bearer ${INBOUND}`, cookie: `session=${INBOUND}`, 'x-api-key': INBOUND };
    expect((await rt.rest(LIST, { headers: caller })).status).toBe(200);
    expect((await rt.rest(`${LIST}/tok_1`, { headers: caller })).status).toBe(200);
    const call = await modern(rt.mcpUrl, 'tools/call', { name: 'get-one-time-tokens', arguments: {} }, caller);
    expect(rpcResult(call)['isError']).toBeFalsy();
    expect(up.requests).toHaveLength(3);
    for (const r of up.requests) {
      expect(r.headers['authorization']).toBe('Bearer issued-access-token-1');
      expect(r.headers['cookie']).toBeUndefined();
      expect(r.headers['x-api-key']).toBeUndefined();
      expect(r.rawHeaders.join('\n')).not.toContain(INBOUND);
    }
  });

  it('an upstream 401 costs one new token and one resend with it', async () => {
    up.reset();
    let apiCalls = 0;
    up.respond((req) => {
      if (req.path === '/oidc/token') {
        issued++;
        return { body: { access_token: `issued-access-token-${issued}`, expires_in: 3600, token_type: 'Bearer' } };
      }
      apiCalls++;
      return apiCalls === 1 ? { status: 401, body: { code: 'auth.unauthorized', message: 'expired' } } : { body: [] };
    });
    const res = await rt.rest(LIST, { headers: { authorization: `Bearer ${INBOUND}` } });
    expect(res.status).toBe(200);
    expect(up.requests.map((r) => `${r.method} ${r.path} ${r.headers['authorization'] ?? ''}`)).toEqual([
      'GET /api/one-time-tokens Bearer issued-access-token-1',
      'POST /oidc/token ',
      'GET /api/one-time-tokens Bearer issued-access-token-2',
    ]);
  });
});
