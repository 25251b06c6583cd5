// Who may call the adapters (DESIGN §5): the runtime-wide token and the file's own `authentication`
// (bearer, apikey in a header or the query, the oauth2 metadata seam), on both adapters, through real
// clients. Every token given to the runtime is a canary: a 401 or a log line must never show it.

import { resolve } from 'node:path';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskQueryParam } from '../../src/expose/inbound-auth.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { modern, rpcError, rpcResult } from '../mcp/wire.js';
import { canary } from '../support/canary.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/capabilities');
const UPSTREAM = 'logto-one-time-tokens';
const LIST = '/v1/api/one-time-tokens';

/** Near misses of a secret: a prefix, an extension, another case, an empty value. */
function wrongValues(secret: string): string[] {
  return [secret.slice(0, -1), `${secret}x`, secret.toUpperCase(), ''];
}

async function expect401(res: Response, challenge: RegExp): Promise<Record<string, unknown>> {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(challenge);
  return (await res.json()) as Record<string, unknown>;
}

async function sdkV2(url: string, headers: Record<string, string>): Promise<ClientV2> {
  const client = new ClientV2(
    { name: 'auth-v2', version: '1' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new TransportV2(new URL(url), { requestInit: { headers } }));
  return client;
}

async function sdkV1(url: string, headers: Record<string, string>): Promise<ClientV1> {
  const client = new ClientV1({ name: 'auth-v1', version: '1' });
  await client.connect(new TransportV1(new URL(url), { requestInit: { headers } }));
  return client;
}

describe('runtime-wide bearer token (RUNTIME_AUTH_TOKEN / authToken) on adapters that declare none', () => {
  const TOKEN = canary('runtime-auth-token');
  const BEARER = /^Bearer realm="runtime"$/;
  let rt: TestRuntime;
  let mcp: string;
  beforeAll(async () => {
    rt = await startTestRuntime({ sandbox: true, authToken: TOKEN });
    mcp = rt.mcpUrl;
  });
  afterAll(async () => rt?.close());

  it('REST route and /openapi.json: 401 with a challenge without the token or with a wrong one', async () => {
    for (const path of [LIST, '/openapi.json']) {
      const none = await expect401(await rt.rest(path), BEARER);
      expect(none).toMatchObject({ status: 401, code: 'NAF_ERR_UNAUTHORIZED' });
      for (const wrong of wrongValues(TOKEN)) {
        const body = await expect401(await rt.rest(path, { headers: { authorization: `Bearer ${wrong}` } }), BEARER);
        expect(body['code']).toBe('NAF_ERR_UNAUTHORIZED');
      }
      await expect401(await rt.rest(path, { headers: { authorization: `Basic ${TOKEN}` } }), BEARER);
      await expect401(await rt.rest(path, { headers: { 'x-api-key': TOKEN } }), BEARER);
    }
  });

  it('REST route and /openapi.json: served with the right token (the scheme name in any case)', async () => {
    for (const scheme of ['Bearer', 'bearer']) {
      const listed = await rt.rest(LIST, { headers: { authorization: `${scheme} ${TOKEN}` } });
      expect(listed.status).toBe(200);
      expect(await listed.json()).toEqual([]);
    }
    const doc = await rt.rest('/openapi.json', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { openapi: string }).openapi).toMatch(/^3\.1/);
  });

  it('health endpoints stay open on both adapters', async () => {
    for (const base of [rt.restUrl, new URL(rt.mcpUrl).origin])
      for (const path of ['/health/live', '/health/ready']) expect((await fetch(`${base}${path}`)).status).toBe(200);
  });

  it('MCP raw POST: 401 with a JSON-RPC error without or with a wrong token; served with the right one', async () => {
    const denied = await modern(mcp, 'tools/list');
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toMatch(BEARER);
    expect(rpcError(denied)).toMatchObject({ code: -32001 });
    for (const wrong of wrongValues(TOKEN)) {
      const r = await modern(mcp, 'tools/list', {}, { authorization: `Bearer ${wrong}` });
      expect(r.status).toBe(401);
    }
    const allowed = await modern(mcp, 'tools/list', {}, { authorization: `Bearer ${TOKEN}` });
    expect(allowed.status).toBe(200);
    expect((rpcResult(allowed)['tools'] as unknown[]).length).toBe(6);
  });

  it('MCP SDK clients (v2 pinned to 2026-07-28, and 1.x) connect and call with the header, and fail without it', async () => {
    const v2 = await sdkV2(mcp, { authorization: `Bearer ${TOKEN}` });
    const v1 = await sdkV1(mcp, { authorization: `Bearer ${TOKEN}` });
    try {
      for (const client of [v2, v1]) {
        expect((await client.listTools()).tools).toHaveLength(6);
        const created = await client.callTool({
          name: 'create-one-time-token',
          arguments: { body: { email: 'auth@example.com' } },
        });
        expect(created.isError).toBeFalsy();
      }
    } finally {
      await v2.close();
      await v1.close();
    }
    await expect(sdkV2(mcp, {})).rejects.toThrow();
    await expect(sdkV1(mcp, { authorization: `Bearer ${TOKEN}x` })).rejects.toThrow();
  });

  it('the banner says inbound auth is on, and no log line carries the token', () => {
    const text = rt.logs.join('\n');
    expect(text).toMatch(/REST adapter '[^']+' listening on \S+ \(inbound auth on\)/);
    expect(text).toMatch(/MCP adapter '[^']+' listening on \S+ \(inbound auth on\)/);
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('"status":401');
  });
});

describe("the file's authentication: bearer on REST, an API key header on MCP", () => {
  const INBOUND = canary('inbound-bearer');
  const MCP_KEY = canary('mcp-api-key');
  const RUNTIME = canary('runtime-token-unused');
  let rt: TestRuntime;
  let mcp: string;
  beforeAll(async () => {
    rt = await startTestRuntime({
      file: resolve(FIXTURES, 'inbound-bearer-apikey-header.yaml'),
      sandbox: true,
      env: { INBOUND_TOKEN: INBOUND, MCP_API_KEY: MCP_KEY },
      // The file's own authentication wins over the runtime-wide token.
      authToken: RUNTIME,
    });
    mcp = rt.mcpUrl;
  });
  afterAll(async () => rt?.close());

  it('REST: the bound bearer token serves; no token, a wrong one, or the runtime-wide one is 401', async () => {
    const ok = await rt.rest(LIST, { headers: { authorization: `Bearer ${INBOUND}` } });
    expect(ok.status).toBe(200);
    await expect401(await rt.rest(LIST), /^Bearer /);
    for (const wrong of [...wrongValues(INBOUND), RUNTIME, MCP_KEY])
      await expect401(await rt.rest(LIST, { headers: { authorization: `Bearer ${wrong}` } }), /^Bearer /);
    await expect401(await rt.rest('/openapi.json'), /^Bearer /);
    expect((await rt.rest('/health/ready')).status).toBe(200);
  });

  it('MCP: X-Api-Key with the bound value serves (raw and SDK); a bearer token or a wrong key is 401', async () => {
    const challenge = /^ApiKey realm="runtime", header="X-Api-Key"$/;
    const ok = await modern(mcp, 'tools/list', {}, { 'x-api-key': MCP_KEY });
    expect(ok.status).toBe(200);
    for (const headers of [
      {},
      { authorization: `Bearer ${MCP_KEY}` },
      { authorization: `Bearer ${RUNTIME}` },
      ...wrongValues(MCP_KEY).map((v) => ({ 'x-api-key': v })),
    ]) {
      const denied = await modern(mcp, 'tools/list', {}, headers);
      expect(denied.status).toBe(401);
      expect(denied.headers.get('www-authenticate')).toMatch(challenge);
    }
    const client = await sdkV2(mcp, { 'X-Api-Key': MCP_KEY });
    try {
      const listed = await client.callTool({ name: 'get-one-time-tokens', arguments: {} });
      expect(listed.isError).toBeFalsy();
    } finally {
      await client.close();
    }
    expect((await fetch(new URL('/health/live', rt.mcpUrl))).status).toBe(200);
  });
});

describe("the file's authentication: an API key in the query string", () => {
  const KEY = canary('rest-query-key');
  const API_KEY = canary('logto-api-key');
  let up: RecordingUpstream;
  let rt: TestRuntime;
  beforeAll(async () => {
    up = await startRecordingUpstream();
    up.respond(() => ({ body: [] }));
    rt = await startTestRuntime({
      file: resolve(FIXTURES, 'inbound-apikey-query.yaml'),
      env: { REST_API_KEY: KEY, LOGTO_API_KEY: API_KEY },
      baseUris: { [UPSTREAM]: up.url },
    });
  });
  afterAll(async () => {
    await rt?.close();
    await up?.close();
  });

  it('serves with ?api_key=<value>, alone or among the call arguments, and never forwards it upstream', async () => {
    up.reset();
    up.respond(() => ({ body: [] }));
    expect((await rt.rest(`${LIST}?api_key=${KEY}`)).status).toBe(200);
    expect((await rt.rest(`${LIST}?email=a%40example.com&api_key=${KEY}&page=2`)).status).toBe(200);
    expect(up.requests.map((r) => r.query)).toEqual(['', 'email=a%40example.com&page=2']);
    for (const r of up.requests) {
      expect(r.headers['authorization']).toBe(`Bearer ${API_KEY}`);
      expect(r.url).not.toContain(KEY);
    }
  });

  it('401 naming the query parameter without it, with a wrong value, or with the value in a header', async () => {
    const challenge = /^ApiKey realm="runtime", query="api_key"$/;
    await expect401(await rt.rest(LIST), challenge);
    for (const wrong of wrongValues(KEY)) await expect401(await rt.rest(`${LIST}?api_key=${wrong}`), challenge);
    await expect401(await rt.rest(LIST, { headers: { api_key: KEY } }), challenge);
    await expect401(await rt.rest(`${LIST}?API_KEY=${KEY}`), challenge);
  });

  it('the MCP adapter, which declares none and has no runtime token, stays open (on loopback)', async () => {
    expect((await modern(rt.mcpUrl, 'tools/list')).status).toBe(200);
  });

  it('the access log masks the query key, right or wrong (a near miss is most of the secret)', () => {
    const lines = rt.logs.filter((l) => l.includes('"msg":"request"') && /api_key=/i.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(7);
    for (const l of lines) expect(l).toMatch(/[?&]api_key=\[REDACTED\]/i);
    expect(rt.logs.join('\n')).not.toContain(KEY.slice(0, -1));
  });

  it('maskQueryParam masks every occurrence, by decoded name, and keeps the rest as sent', () => {
    expect(maskQueryParam('/a?x=1&api_key=s&api%5Fkey=t&y&api_key', 'api_key')).toBe(
      '/a?x=1&api_key=[REDACTED]&api%5Fkey=[REDACTED]&y&api_key=[REDACTED]',
    );
    expect(maskQueryParam('/a?api_keys=1', 'api_key')).toBe('/a?api_keys=1');
    expect(maskQueryParam('/a', 'api_key')).toBe('/a');
  });
});

describe("the file's authentication: oauth2 (OAuth 2.1 resource server, RFC 9728 metadata; validation in test/auth)", () => {
  let rt: TestRuntime;
  let mcp: string;
  beforeAll(async () => {
    rt = await startTestRuntime({ file: resolve(FIXTURES, 'inbound-oauth2.yaml'), sandbox: true });
    mcp = rt.mcpUrl;
  });
  afterAll(async () => rt?.close());

  it('401 points at the protected resource metadata, which is served without a token', async () => {
    const denied = await modern(mcp, 'tools/list');
    expect(denied.status).toBe(401);
    const metadataUrl = new URL('/.well-known/oauth-protected-resource/mcp', rt.mcpUrl).href;
    expect(denied.headers.get('www-authenticate')).toBe(
      `Bearer realm="runtime", resource_metadata="${metadataUrl}", scope="tokens:read tokens:write"`,
    );
    const metadata = await fetch(metadataUrl);
    expect(metadata.status).toBe(200);
    expect(await metadata.json()).toEqual({
      resource: 'https://mcp.example.com/mcp',
      authorization_servers: ['https://auth.example.com/oidc'],
      scopes_supported: ['tokens:read', 'tokens:write'],
      bearer_methods_supported: ['header'],
    });
  });

  it('refuses an unsigned (alg none) token without asking the authorization server', async () => {
    const jwtLike = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.';
    expect((await modern(mcp, 'tools/list', {}, { authorization: `Bearer ${jwtLike}` })).status).toBe(401);
  });

  it('the REST adapter, which declares none, stays open; health stays open on MCP', async () => {
    expect((await rt.rest(LIST)).status).toBe(200);
    expect((await fetch(new URL('/health/ready', rt.mcpUrl))).status).toBe(200);
  });
});
