// Both MCP SDK generations' own OAuth client (an OAuthClientProvider on the Streamable HTTP transport) against
// the runtime's oauth2 MCP adapter, with the Logto sandbox as its authorization server: the 401 challenge,
// protected-resource metadata (RFC 9728), authorization-server metadata (RFC 8414), dynamic registration
// (RFC 7591), the authorization URL — followed here, its sign-in page completed with fetch — the redirect with
// the code, the token exchange (PKCE, RFC 8707 resource), then tools/list and a tools/call that reaches the
// upstream with the runtime's own credential only.

import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { UnauthorizedError as UnauthorizedV1 } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLogtoSandbox, type LogtoSandbox } from '../../src/sandbox/logto/index.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { canary } from '../support/canary.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { fixtureForMcpPort, freePort, MemoryOAuthProvider, recordingFetch, signIn } from './interactive.js';
import { SEED_TOOLS } from '../support/seed.js';

const REDIRECT = 'http://127.0.0.1:33418/oauth/callback';
const apiKey = canary('logto-api-key');
const TOOLS = [...SEED_TOOLS].sort();

let sandbox: LogtoSandbox;
let up: RecordingUpstream;
let rt: TestRuntime;
let resource: string;
let cleanup: () => void = () => {};
beforeAll(async () => {
  const port = await freePort();
  const fixture = fixtureForMcpPort(port);
  ({ resource, cleanup } = fixture);
  sandbox = await startLogtoSandbox({
    apiResources: [{ indicator: resource, scopes: ['tokens:read', 'tokens:write'] }],
  });
  up = await startRecordingUpstream();
  up.respond(() => ({ body: [] }));
  rt = await startTestRuntime({
    file: fixture.file,
    mcpPort: port,
    env: { LOGTO_API_KEY: apiKey },
    baseUris: { 'logto-one-time-tokens': up.url },
    inboundOAuth: { issuer: sandbox.issuer },
  });
  expect(rt.mcpUrl).toBe(resource);
});
afterAll(async () => {
  await rt?.close();
  await up?.close();
  await sandbox?.close();
  cleanup();
});

/** The steps the client took, as `METHOD path → status` on the runtime and the sandbox, ports elided. */
function steps(log: readonly string[]): string[] {
  return log.map((l) => l.replace(/http:\/\/127\.0\.0\.1:\d+/g, '').replace(/\?.*? →/, ' →'));
}

interface Connection {
  connect(): Promise<void>;
  finish(callback: URL): Promise<void>;
  list(): Promise<string[]>;
  callIsError(): Promise<boolean | undefined>;
  close(): Promise<void>;
}

const GENERATIONS: ReadonlyArray<{ label: string; open: (p: MemoryOAuthProvider, log: string[]) => Connection }> = [
  {
    label: 'MCP v2 client (@modelcontextprotocol/client)',
    open: (provider, log) => {
      const transport = new TransportV2(new URL(rt.mcpUrl), { authProvider: provider, fetch: recordingFetch(log) });
      const client = new ClientV2({ name: 'oauth-v2', version: '1' });
      return {
        connect: () => client.connect(transport),
        // The v2 transport validates `iss` (RFC 9207) from the callback's parameters before redeeming the code.
        finish: (callback) => transport.finishAuth(callback.searchParams),
        list: async () => (await client.listTools()).tools.map((t) => t.name),
        callIsError: async () => (await client.callTool({ name: 'get-one-time-tokens', arguments: {} })).isError,
        close: () => client.close(),
      };
    },
  },
  {
    label: 'MCP 1.x client (@modelcontextprotocol/sdk)',
    open: (provider, log) => {
      const transport = new TransportV1(new URL(rt.mcpUrl), {
        authProvider: provider as never,
        fetch: recordingFetch(log),
      });
      const client = new ClientV1({ name: 'oauth-v1', version: '1' });
      return {
        connect: () => client.connect(transport),
        finish: (callback) => transport.finishAuth(callback.searchParams.get('code') ?? ''),
        list: async () => (await client.listTools()).tools.map((t) => t.name),
        callIsError: async () =>
          (await client.callTool({ name: 'get-one-time-tokens', arguments: {} })).isError as boolean | undefined,
        close: () => client.close(),
      };
    },
  },
];

describe.each(GENERATIONS)('$label: interactive OAuth against the sandbox', (gen) => {
  it('401 → metadata → registration → sign-in → code → token → tools/list and tools/call', async () => {
    up.reset();
    up.respond(() => ({ body: [] }));
    const provider = new MemoryOAuthProvider(REDIRECT, `state-${gen.label.length}`);
    const log: string[] = [];

    // First connect: the runtime answers 401; the SDK discovers, registers and asks to redirect the user.
    const first = gen.open(provider, log);
    const refused = await first.connect().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused, String(refused)).toBeInstanceOf(Error);
    expect((refused as Error).name === 'UnauthorizedError' || refused instanceof UnauthorizedV1).toBe(true);
    expect(provider.registered?.['client_id']).toMatch(/^[0-9a-f]{21}$/);
    const authorizationUrl = provider.authorizationUrl;
    expect(authorizationUrl?.href.startsWith(`${sandbox.issuer}/auth?`)).toBe(true);
    const params = authorizationUrl!.searchParams;
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('resource')).toBe(resource);
    expect(params.get('redirect_uri')).toBe(REDIRECT);
    expect(params.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['tokens:read', 'tokens:write']));

    const s = steps(log);
    const at = (pattern: RegExp) => s.findIndex((l) => pattern.test(l));
    expect(at(/^POST \/mcp → 401$/), s.join('\n')).toBe(0);
    expect(at(/^GET \/\.well-known\/oauth-protected-resource\/mcp → 200$/), s.join('\n')).toBeGreaterThan(0);
    expect(at(/^GET \/\.well-known\/oauth-authorization-server\/oidc → 200$/), s.join('\n')).toBeGreaterThan(
      at(/oauth-protected-resource/),
    );
    expect(at(/^POST \/oidc\/reg → 201$/), s.join('\n')).toBeGreaterThan(at(/oauth-authorization-server/));

    // The user signs in; the sandbox redirects to the client's callback with the code.
    const { location } = await signIn(authorizationUrl!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe(provider.state());
    expect(location.searchParams.get('iss')).toBe(sandbox.issuer);

    // The callback: the SDK exchanges the code (PKCE verifier, resource) for the access token.
    await first.finish(location);
    expect(steps(log).at(-1)).toBe('POST /oidc/token → 200');
    const accessToken = String(provider.obtained?.['access_token']);
    expect(decodeJwt(accessToken)).toMatchObject({
      iss: sandbox.issuer,
      aud: resource,
      client_id: provider.registered?.['client_id'],
      scope: 'tokens:read tokens:write',
    });

    // Connected: tools/list and a tools/call that reaches the upstream.
    const second = gen.open(provider, []);
    await second.connect();
    expect((await second.list()).sort()).toEqual(TOOLS);
    expect(await second.callIsError()).toBeFalsy();
    await second.close();
    await first.close();

    expect(up.requests.length).toBeGreaterThan(0);
    for (const r of up.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${apiKey}`);
      expect(`${r.url}\n${r.rawHeaders.join('\n')}\n${r.text}`).not.toContain(accessToken);
    }
    expect(rt.logs.join('\n')).not.toContain(accessToken);
  });
});
