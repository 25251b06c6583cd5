// Per-adapter inbound OAuth settings (issue 16): `--inbound-oauth-issuer|audience <adapter>=<value>` for one
// adapter while a bare value keeps applying to every oauth2 adapter; `--inbound-oauth-resource <adapter>=<uri>`
// as the one explicit way to turn OAuth 2.1 on for an adapter whose file declares no authentication (logged);
// every name checked at start with the nearest one suggested; a declared bearer/apikey is never replaced.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { inboundOAuthSettings } from '../../src/cli/inbound-oauth-options.js';
import { UsageError } from '../../src/cli/io.js';
import { ConfigError } from '../../src/config.js';
import { startLogtoSandbox, type LogtoSandbox } from '../../src/sandbox/logto/index.js';
import { modern } from '../mcp/wire.js';
import { canary } from '../support/canary.js';
import { SEED, startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { startTestIssuer, type TestIssuer } from './test-issuer.js';

const BOTH = resolve(import.meta.dirname, 'fixtures/oauth2-both.yaml');
const MCP = 'logto-one-time-tokens-mcp';
const REST = 'logto-one-time-tokens-rest';
const MCP_RESOURCE = 'https://mcp.example.com/mcp';
const REST_RESOURCE = 'https://rest.example.com';
const LIST = '/v1/api/one-time-tokens';
const CLIENT = { id: 'm2m-app', secret: canary('client-secret') };

function usageError(values: Parameters<typeof inboundOAuthSettings>[0], env: NodeJS.ProcessEnv = {}): string {
  try {
    inboundOAuthSettings(values, env);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('flags and environment', () => {
  it('a bare value applies to every oauth2 adapter, <adapter>=<value> to one; flags win over the environment', () => {
    const s = inboundOAuthSettings(
      {
        'inbound-oauth-issuer': ['https://all.example.com/oidc', `${MCP}=https://mcp-as.example.com/oidc`],
        'inbound-oauth-audience': [`${REST}=api://rest`],
        'inbound-oauth-resource': [`${MCP}=${MCP_RESOURCE}`],
      },
      { INBOUND_OAUTH_ISSUER: 'https://ignored.example.com' },
    );
    expect(s.inboundOAuth).toEqual({
      issuer: 'https://all.example.com/oidc',
      adapters: {
        [MCP]: { issuer: 'https://mcp-as.example.com/oidc', resource: MCP_RESOURCE },
        [REST]: { audience: 'api://rest' },
      },
    });
    const fromEnv = inboundOAuthSettings(
      {},
      {
        INBOUND_OAUTH_ISSUER: `${MCP}=https://a.example.com/oidc, ${REST}=https://b.example.com/oidc`,
        INBOUND_OAUTH_RESOURCE: `${REST}=${REST_RESOURCE}`,
      },
    );
    expect(fromEnv.inboundOAuth?.adapters).toEqual({
      [MCP]: { issuer: 'https://a.example.com/oidc' },
      [REST]: { issuer: 'https://b.example.com/oidc', resource: REST_RESOURCE },
    });
  });

  it('refuses a bare resource, the same adapter twice, two bare values, and a bad URL in one report', () => {
    const message = usageError({
      'inbound-oauth-resource': [MCP_RESOURCE],
      'inbound-oauth-issuer': [`${MCP}=https://a.example.com`, `${MCP}=https://b.example.com`, `${REST}=ftp://x`],
      'inbound-oauth-audience': ['one', 'two'],
    });
    const lines = message.split('\n');
    expect(lines).toHaveLength(4);
    expect(message).toContain(
      "--inbound-oauth-resource expects <adapter>=<uri> (each adapter has its own resource), got 'https://mcp.example.com/mcp'",
    );
    expect(message).toContain(`--inbound-oauth-issuer names adapter '${MCP}' twice`);
    expect(message).toContain("--inbound-oauth-issuer must be an http(s) URL, got 'ftp://x'");
    expect(message).toContain("--inbound-oauth-audience is given twice without an adapter name ('one', 'two')");
  });

  it('introspection cache settings: TTLs (0 turns a part off), size; introspecting JWTs needs a client', () => {
    const s = inboundOAuthSettings(
      {
        'inbound-oauth-introspection-cache-ttl': '0',
        'inbound-oauth-introspection-cache-size': '500',
        'inbound-oauth-introspection-client-id': 'rs',
        'inbound-oauth-introspect-jwts': true,
      },
      { INBOUND_OAUTH_INTROSPECTION_NEGATIVE_TTL: '2s', INBOUND_OAUTH_INTROSPECTION_CLIENT_SECRET: 'x' },
    );
    expect(s.inboundOAuth).toMatchObject({
      introspectionCache: { maxEntries: 500, maxTtlMs: 0, negativeTtlMs: 2_000 },
      introspectJwts: true,
    });
    const message = usageError(
      { 'inbound-oauth-introspection-cache-size': '0', 'inbound-oauth-introspection-cache-ttl': 'soon' },
      { INBOUND_OAUTH_INTROSPECT_JWTS: '1' },
    );
    expect(message).toContain(
      "--inbound-oauth-introspection-cache-size expects a positive whole number of entries, got '0'",
    );
    expect(message).toContain('--inbound-oauth-introspection-cache-ttl expects a duration');
    expect(message).toContain('--inbound-oauth-introspect-jwts needs an introspection client');
  });
});

describe('start-up checks against the file', () => {
  let dir: string;
  let bearerRest: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'per-adapter-'));
    // The seed with a bearer token on its REST adapter: a declared scheme the OAuth flags must not replace.
    const doc = parse(await readFile(SEED, 'utf8')) as {
      binds: Array<{ keys: Record<string, string> }>;
      capability: { exposes: Array<Record<string, unknown>> };
    };
    (doc.binds[0] as { keys: Record<string, string> }).keys['REST_TOKEN'] = 'REST_TOKEN';
    const rest = doc.capability.exposes.find((e) => e['namespace'] === REST) as Record<string, unknown>;
    rest['authentication'] = { type: 'bearer', token: '{{env.REST_TOKEN}}' };
    bearerRest = join(dir, 'bearer-rest.yaml');
    await writeFile(bearerRest, stringify(doc));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const refusal = async (file: string, inboundOAuth: object): Promise<string> => {
    const err = await startTestRuntime({
      file,
      sandbox: true,
      env: { REST_TOKEN: canary('rest-token') },
      inboundOAuth,
    }).then(
      async (rt) => {
        await rt.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  };

  it('an unknown adapter name is refused with the nearest one (issuer, audience, resource, CORS alike)', async () => {
    const message = await refusal(BOTH, {
      adapters: { 'logto-one-time-tokens-mpc': { issuer: 'https://a.example.com', audience: 'aud' } },
      cors: [{ adapter: 'logto-one-time-token-rest', origin: 'https://app.example.com' }],
    });
    expect(message.split('\n')).toHaveLength(3);
    expect(message).toContain(
      "--inbound-oauth-issuer logto-one-time-tokens-mpc=https://a.example.com: no REST or MCP adapter 'logto-one-time-tokens-mpc' (did you mean 'logto-one-time-tokens-mcp'?)",
    );
    expect(message).toContain('--inbound-oauth-audience logto-one-time-tokens-mpc=aud: no REST or MCP adapter');
    expect(message).toContain(
      "--cors-origin logto-one-time-token-rest=https://app.example.com: no REST or MCP adapter 'logto-one-time-token-rest' (did you mean 'logto-one-time-tokens-rest'?)",
    );
  });

  it('an adapter declaring bearer keeps it: naming it is an error, and a bare issuer does not touch it', async () => {
    const message = await refusal(bearerRest, {
      issuer: 'https://all.example.com',
      adapters: { [REST]: { resource: REST_RESOURCE } },
    });
    expect(message).toBe(
      `--inbound-oauth-resource ${REST}=${REST_RESOURCE}: adapter '${REST}' declares bearer authentication in the file; the inbound OAuth settings do not replace it (declare type: oauth2 in the file to use OAuth 2.1)`,
    );
    const key = canary('rest-token');
    const rt = await startTestRuntime({
      file: bearerRest,
      sandbox: true,
      env: { REST_TOKEN: key },
      inboundOAuth: { issuer: 'https://all.example.com' },
    });
    try {
      const res = await rt.rest(LIST, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status, await res.clone().text()).toBe(200);
    } finally {
      await rt.close();
    }
  });

  it('an adapter declaring nothing: an issuer alone is refused (OAuth is only turned on by a resource); a resource needs an issuer', async () => {
    expect(await refusal(SEED, { adapters: { [MCP]: { issuer: 'https://as.example.com' } } })).toBe(
      `--inbound-oauth-issuer ${MCP}=https://as.example.com: adapter '${MCP}' declares no authentication in the file; to turn OAuth 2.1 on for it, also give --inbound-oauth-resource ${MCP}=<its resource URI>`,
    );
    expect(await refusal(SEED, { adapters: { [MCP]: { resource: MCP_RESOURCE } } })).toContain(
      `adapter '${MCP}' declares no authentication in the file, so it needs an issuer: --inbound-oauth-issuer ${MCP}=<url>`,
    );
  });
});

describe('against real tokens: the Logto sandbox for MCP, a test issuer for REST', () => {
  let sandbox: LogtoSandbox;
  let issuer: TestIssuer;
  let rt: TestRuntime;
  let seed: TestRuntime;
  const sandboxToken = async (resource: string) => {
    const res = await fetch(`${sandbox.url}/oidc/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource }).toString(),
    });
    return ((await res.json()) as { access_token: string }).access_token;
  };
  const restToken = () =>
    issuer.mint({
      iss: issuer.issuer,
      aud: REST_RESOURCE,
      sub: 'svc',
      scope: '',
      exp: Math.floor(Date.now() / 1000) + 300,
    });
  beforeAll(async () => {
    sandbox = await startLogtoSandbox({
      oauthClients: [CLIENT],
      apiResources: [
        { indicator: MCP_RESOURCE, scopes: [] },
        { indicator: REST_RESOURCE, scopes: [] },
      ],
    });
    issuer = await startTestIssuer();
    // A bare issuer for every oauth2 adapter, and the REST adapter's own.
    rt = await startTestRuntime({
      file: BOTH,
      sandbox: true,
      inboundOAuth: { issuer: sandbox.issuer, adapters: { [REST]: { issuer: issuer.issuer } } },
    });
    // The seed declares no inbound auth: OAuth turned on for its MCP adapter only.
    seed = await startTestRuntime({
      file: SEED,
      sandbox: true,
      inboundOAuth: { issuer: sandbox.issuer, adapters: { [MCP]: { resource: MCP_RESOURCE } } },
    });
  });
  afterAll(async () => {
    await rt?.close();
    await seed?.close();
    await issuer?.close();
    await sandbox?.close();
  });

  it('each adapter trusts its own issuer only', async () => {
    const mcp = await sandboxToken(MCP_RESOURCE);
    expect((await modern(rt.mcpUrl, 'tools/list', {}, { authorization: `Bearer ${mcp}` })).status).toBe(200);
    const rest = await rt.rest(LIST, { headers: { authorization: `Bearer ${await restToken()}` } });
    expect(rest.status).toBe(200);
    // A sandbox token for the REST resource has the right audience but the other adapter's issuer (and keys).
    const wrong = await rt.rest(LIST, { headers: { authorization: `Bearer ${await sandboxToken(REST_RESOURCE)}` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    // The test issuer's token on MCP: signed by a key the sandbox issuer never published.
    const stray = await modern(rt.mcpUrl, 'tools/list', {}, { authorization: `Bearer ${await restToken()}` });
    expect(stray.status).toBe(401);
    const prm = (await (await fetch(`${rt.restUrl}/.well-known/oauth-protected-resource`)).json()) as {
      authorization_servers: string[];
    };
    expect(prm.authorization_servers).toEqual([issuer.issuer]);
  });

  it('--inbound-oauth-resource turns OAuth on for an adapter that declares none, says so at start, and leaves the others alone', async () => {
    const line = seed.logs.find((l) => l.includes('OAuth 2.1 turned ON'));
    expect(line).toBeDefined();
    expect(JSON.parse(line as string)).toMatchObject({ level: 40 }); // warn;
    expect(line).toContain(`adapter '${MCP}'`);
    const none = await modern(seed.mcpUrl, 'tools/list', {});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('resource_metadata=');
    const token = await sandboxToken(MCP_RESOURCE);
    expect((await modern(seed.mcpUrl, 'tools/list', {}, { authorization: `Bearer ${token}` })).status).toBe(200);
    const prm = (await (await fetch(`${new URL(seed.mcpUrl).origin}/.well-known/oauth-protected-resource`)).json()) as {
      resource: string;
    };
    expect(prm.resource).toBe(MCP_RESOURCE);
    expect((await seed.rest(LIST)).status).toBe(200);
  });
});
