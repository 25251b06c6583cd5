// The introspection cache (issue 16): an opaque token sent on every request costs the authorization server
// one RFC 7662 call per token and TTL, concurrent requests share one call, inactive answers are kept briefly
// (a flood of one bad token is one call), errors are never kept, and the cache is bounded. The unit part
// drives IntrospectionCache with a fake clock; the rest runs the runtime against the Logto sandbox and counts
// the introspection requests the sandbox itself logged.

import { resolve } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntrospectionCache } from '../../src/expose/auth/cache.js';
import type { IntrospectionResult } from '../../src/expose/auth/introspect.js';
import { startLogtoSandbox, type LogtoSandbox } from '../../src/sandbox/logto/index.js';
import { modern } from '../mcp/wire.js';
import { canary } from '../support/canary.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';

const BOTH = resolve(import.meta.dirname, 'fixtures/oauth2-both.yaml');
const INTROSPECTION = resolve(import.meta.dirname, 'fixtures/oauth2-introspection.yaml');
const MCP_RESOURCE = 'https://mcp.example.com/mcp';
const CLIENT = { id: 'rs-client', secret: canary('introspection-secret') };

describe('IntrospectionCache', () => {
  const active = (exp?: number): IntrospectionResult => ({ active: true, ...(exp ? { exp } : {}) });

  it('concurrent misses for one token share one call; later ones are hits until the max TTL', async () => {
    let now = 1_000_000;
    const cache = new IntrospectionCache({ maxTtlMs: 60_000 }, () => now);
    let calls = 0;
    let release: (r: IntrospectionResult) => void = () => {};
    const ask = () => {
      calls++;
      return new Promise<IntrospectionResult>((r) => (release = r));
    };
    const pending = Array.from({ length: 25 }, () => cache.get('tok', ask));
    release(active());
    const answers = await Promise.all(pending);
    expect(answers.every((a) => a.active)).toBe(true);
    expect(calls).toBe(1);
    expect(cache.stats()).toMatchObject({ calls: 1, joined: 24, hits: 0, size: 1 });
    now += 59_999;
    await cache.get('tok', ask);
    expect(cache.stats().hits).toBe(1);
    now += 2;
    const again = cache.get('tok', ask);
    release(active());
    await again;
    expect(calls).toBe(2);
  });

  it("an active answer is never reused past the token's own exp", async () => {
    let now = 1_000_000;
    const cache = new IntrospectionCache({ maxTtlMs: 60_000 }, () => now);
    let calls = 0;
    const ask = async () => (calls++, active(now / 1000 + 5));
    await cache.get('tok', ask);
    now += 4_999;
    await cache.get('tok', ask);
    expect(calls).toBe(1);
    now += 2;
    await cache.get('tok', ask);
    expect(calls).toBe(2);
  });

  it('inactive answers are kept for the negative TTL only; 0 keeps none', async () => {
    let now = 0;
    const cache = new IntrospectionCache({ negativeTtlMs: 10_000 }, () => now);
    let calls = 0;
    const ask = async () => (calls++, { active: false });
    for (let i = 0; i < 50; i++) await cache.get('bad', ask);
    expect(calls).toBe(1);
    now += 10_001;
    await cache.get('bad', ask);
    expect(calls).toBe(2);
    const uncached = new IntrospectionCache({ negativeTtlMs: 0 }, () => now);
    for (let i = 0; i < 3; i++) await uncached.get('bad', ask);
    expect(calls).toBe(5);
    expect(uncached.stats().size).toBe(0);
  });

  it('an error from the authorization server is not cached, and is shared with the requests waiting on it', async () => {
    const cache = new IntrospectionCache();
    let calls = 0;
    const failing = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      throw new Error('connect ECONNREFUSED');
    };
    const results = await Promise.allSettled([cache.get('tok', failing), cache.get('tok', failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    expect(cache.stats().size).toBe(0);
    const ok = await cache.get('tok', async () => (calls++, active()));
    expect(ok.active).toBe(true);
    expect(calls).toBe(2);
  });

  it('is bounded: the least recently used entry goes first', async () => {
    const cache = new IntrospectionCache({ maxEntries: 3 });
    const asked: string[] = [];
    const ask = (t: string) => async () => (asked.push(t), active());
    for (const t of ['a', 'b', 'c']) await cache.get(t, ask(t));
    await cache.get('a', ask('a')); // a is now the most recent
    await cache.get('d', ask('d')); // evicts b
    expect(cache.stats()).toMatchObject({ size: 3, evictions: 1 });
    await cache.get('a', ask('a'));
    await cache.get('b', ask('b'));
    expect(asked).toEqual(['a', 'b', 'c', 'd', 'b']);
    const big = new IntrospectionCache({ maxEntries: 100 });
    for (let i = 0; i < 1_000; i++) await big.get(`t${i}`, async () => active());
    expect(big.stats()).toMatchObject({ size: 100, evictions: 900 });
  });
});

/** A sandbox whose own request log counts the introspection calls it received. */
async function countingSandbox(): Promise<{ sandbox: LogtoSandbox; introspections: () => number }> {
  let introspections = 0;
  const logger = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        const entry = JSON.parse(line) as { msg?: string; req?: { url?: string } };
        if (entry.msg === 'incoming request' && entry.req?.url === '/oidc/token/introspection') introspections++;
      },
    },
  );
  const sandbox = await startLogtoSandbox({
    oauthClients: [CLIENT],
    apiResources: [{ indicator: MCP_RESOURCE, scopes: ['tokens:read'] }],
    logger,
  });
  return { sandbox, introspections: () => introspections };
}

async function mintJwt(sandbox: LogtoSandbox): Promise<string> {
  const res = await fetch(`${sandbox.url}/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: MCP_RESOURCE }).toString(),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const listWith = (rt: TestRuntime, token: string) =>
  modern(rt.mcpUrl, 'tools/list', {}, { authorization: `Bearer ${token}` });

describe('opaque tokens against the sandbox: one introspection per token and TTL', () => {
  let sandbox: LogtoSandbox;
  let introspections: () => number;
  let rt: TestRuntime;
  beforeAll(async () => {
    ({ sandbox, introspections } = await countingSandbox());
    rt = await startTestRuntime({
      file: BOTH,
      sandbox: true,
      inboundOAuth: {
        issuer: sandbox.issuer,
        introspection: { clientId: CLIENT.id, clientSecret: CLIENT.secret },
        introspectionCache: { maxEntries: 50 },
      },
    });
  });
  afterAll(async () => {
    await rt?.close();
    await sandbox?.close();
  });

  it('30 requests (10 of them concurrent) with one opaque token: 1 introspection', async () => {
    const opaque = sandbox.issueOpaqueToken(CLIENT.id, ['tokens:read'], MCP_RESOURCE);
    const before = introspections();
    const concurrent = await Promise.all(Array.from({ length: 10 }, () => listWith(rt, opaque)));
    for (let i = 0; i < 20; i++) expect((await listWith(rt, opaque)).status).toBe(200);
    expect(concurrent.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(introspections() - before).toBe(1);
  });

  it('a flood of one bad token is 1 introspection (negative TTL); distinct bad tokens cost one each', async () => {
    const before = introspections();
    for (let i = 0; i < 30; i++) {
      const res = await listWith(rt, 'garbage-token-that-was-never-issued');
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('the token is not active');
    }
    expect(introspections() - before).toBe(1);
    const distinct = await Promise.all(Array.from({ length: 10 }, (_, i) => listWith(rt, `garbage-${i}`)));
    expect(distinct.every((r) => r.status === 401)).toBe(true);
    expect(introspections() - before).toBe(11);
  });

  it('the cache is bounded (50 entries here): a token pushed out is introspected again', async () => {
    const first = sandbox.issueOpaqueToken(CLIENT.id, ['tokens:read'], MCP_RESOURCE);
    expect((await listWith(rt, first)).status).toBe(200);
    const before = introspections();
    for (let i = 0; i < 60; i++) expect((await listWith(rt, `filler-${i}`)).status).toBe(401);
    expect(introspections() - before).toBe(60);
    expect((await listWith(rt, first)).status).toBe(200);
    expect(introspections() - before).toBe(61);
    expect(rt.logs.join('\n')).not.toContain(first);
  });
});

describe('revocation: the authorization server turns a token inactive', () => {
  let sandbox: LogtoSandbox;
  let introspections: () => number;
  let rt: TestRuntime;
  let jwtRt: TestRuntime;
  const TTL = 2_000;
  beforeAll(async () => {
    ({ sandbox, introspections } = await countingSandbox());
    const common = {
      sandbox: true,
      inboundOAuth: {
        issuer: sandbox.issuer,
        introspection: { clientId: CLIENT.id, clientSecret: CLIENT.secret },
        introspectionCache: { maxTtlMs: TTL },
      },
    };
    // tokenValidation: introspection on the MCP adapter: every token is introspected.
    rt = await startTestRuntime({ ...common, file: INTROSPECTION });
    // JWKS validation, plus --inbound-oauth-introspect-jwts.
    jwtRt = await startTestRuntime({
      ...common,
      file: BOTH,
      inboundOAuth: { ...common.inboundOAuth, introspectJwts: true },
    });
  });
  afterAll(async () => {
    await rt?.close();
    await jwtRt?.close();
    await sandbox?.close();
  });

  it('accepted while the cached answer lasts (at most the max TTL), refused after it', async () => {
    const viaIntrospection = await mintJwt(sandbox);
    const viaJwks = await mintJwt(sandbox);
    const before = introspections();
    expect((await listWith(rt, viaIntrospection)).status).toBe(200);
    expect((await listWith(jwtRt, viaJwks)).status).toBe(200);
    expect(introspections() - before).toBe(2);
    // What revocation looks like from here: the same token, now `active: false` at the authorization server.
    sandbox.expireAccessTokens();
    expect((await listWith(rt, viaIntrospection)).status).toBe(200);
    expect((await listWith(jwtRt, viaJwks)).status).toBe(200);
    expect(introspections() - before).toBe(2);
    await new Promise((r) => setTimeout(r, TTL + 200));
    for (const [runtime, token] of [
      [rt, viaIntrospection],
      [jwtRt, viaJwks],
    ] as const) {
      const refused = await listWith(runtime, token);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toContain('the token is not active');
    }
    expect(introspections() - before).toBe(4);
  });
});
