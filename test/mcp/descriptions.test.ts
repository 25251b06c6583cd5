// What a model reads about the server and its tools (issue 12 item 5), over both MCP client generations:
// instructions from the capability's descriptions (no internal wording), serverInfo.version = the runtime's
// version with the capability's label and version elsewhere, tool titles from the descriptions; and an
// upstream 401/403 said to be the runtime's upstream credentials, over REST (problem+json) and MCP.

import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RUNTIME_VERSION } from '../../src/version.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { canary } from '../support/canary.js';
import { SEED, startTestRuntime, type TestRuntime } from '../support/runtime.js';

interface Side {
  readonly label: string;
  instructions(): string | undefined;
  serverInfo(): { name: string; version: string; title?: string } | undefined;
  listTools(): Promise<Array<{ name: string; title?: string; annotations?: { title?: string } }>>;
  call(
    name: string,
    args: Record<string, unknown>,
  ): Promise<{ isError?: boolean; content: Array<{ text?: string }>; structuredContent?: unknown }>;
  close(): Promise<void>;
}

async function sides(url: string): Promise<Side[]> {
  const v2 = new ClientV2(
    { name: 'descriptions-v2', version: '1' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await v2.connect(new TransportV2(new URL(url)));
  const v1 = new ClientV1({ name: 'descriptions-v1', version: '1' });
  await v1.connect(new TransportV1(new URL(url)));
  const wrap = (label: string, c: ClientV1 | ClientV2): Side => ({
    label,
    instructions: () => c.getInstructions(),
    serverInfo: () => c.getServerVersion() as ReturnType<Side['serverInfo']>,
    listTools: async () => (await c.listTools()).tools as Awaited<ReturnType<Side['listTools']>>,
    call: async (name, args) => (await c.callTool({ name, arguments: args })) as Awaited<ReturnType<Side['call']>>,
    close: () => c.close(),
  });
  return [wrap('MCP v2 client (2026-07-28)', v2), wrap('MCP 1.x client (2025-11-25)', v1)];
}

const KEY = canary('logto-api-key');
let up: RecordingUpstream;
let rt: TestRuntime;
let clients: Side[];
beforeAll(async () => {
  up = await startRecordingUpstream();
  rt = await startTestRuntime({ env: { LOGTO_API_KEY: KEY }, baseUris: { 'logto-one-time-tokens': up.url } });
  clients = await sides(rt.mcpUrl);
});
afterAll(async () => {
  await Promise.all((clients ?? []).map((c) => c.close()));
  await rt?.close();
  await up?.close();
});
beforeEach(() => up.reset());

describe('what the server says about itself', () => {
  it('instructions without a contract: the adapter description, a tool index, whose credentials, the capability', () => {
    for (const c of clients) {
      const text = c.instructions() ?? '';
      expect(text, c.label).toMatch(/^MCP adapter for Logto API references — One-time tokens\./);
      expect(text).toContain('- create-one-time-token: Create one-time token');
      expect(text).toContain('- get-one-time-token-id: Get one-time token by ID');
      expect(text).toContain("this server's own credentials, never the caller's");
      expect(text).toContain('Capability: Logto API references — One-time tokens (version 2026-05-19).');
    }
  });

  it("serverInfo: the adapter's name, the runtime's version, the capability's label as title", () => {
    for (const c of clients) {
      expect(c.serverInfo(), c.label).toMatchObject({
        name: 'logto-one-time-tokens-mcp',
        version: RUNTIME_VERSION,
        title: 'Logto API references — One-time tokens',
      });
      expect(c.serverInfo()?.version).not.toBe('2026-05-19');
    }
  });

  it('tool titles come from the descriptions (the file gives no labels), in title and annotations.title', async () => {
    for (const c of clients) {
      const tools = await c.listTools();
      expect(
        tools.map((t) => [t.name, t.title, t.annotations?.title]),
        c.label,
      ).toEqual([
        ['get-one-time-tokens', 'Get one-time tokens', 'Get one-time tokens'],
        ['create-one-time-token', 'Create one-time token', 'Create one-time token'],
        ['verify-one-time-token', 'Verify one-time token', 'Verify one-time token'],
        ['get-one-time-token-id', 'Get one-time token by ID', 'Get one-time token by ID'],
        ['delete-one-time-token-id', 'Delete one-time token by ID', 'Delete one-time token by ID'],
        ['update-one-time-token-status', 'Update one-time token status', 'Update one-time token status'],
      ]);
    }
  });
});

describe('with the upstream contract attached (--openapi)', () => {
  const OPENAPI = resolve(import.meta.dirname, '../../capabilities/logto-one-time-tokens.openapi.json');
  const TOOL = '    - name: get-one-time-token-id\n      description: Get one-time token by ID\n';
  const LONG =
    'Looks up one token by the identifier Logto gave it at creation and returns its email, status, context and expiry';
  let typed: TestRuntime;
  let typedClients: Side[];
  beforeAll(async () => {
    // A description too long to be a title (alpha2 requires one): the title and index line come from the contract.
    const seed = readFileSync(SEED, 'utf8');
    expect(seed).toContain(TOOL);
    const file = join(mkdtempSync(join(tmpdir(), 'descriptions-')), 'capability.yaml');
    writeFileSync(file, seed.replace(TOOL, `    - name: get-one-time-token-id\n      description: ${LONG}\n`));
    typed = await startTestRuntime({
      file,
      env: { LOGTO_API_KEY: KEY },
      baseUris: { 'logto-one-time-tokens': up.url },
      contracts: [{ location: OPENAPI, from: '--openapi' }],
    });
    typedClients = await sides(typed.mcpUrl);
  });
  afterAll(async () => {
    await Promise.all((typedClients ?? []).map((c) => c.close()));
    await typed?.close();
  });

  it("instructions with the contract: what the API is for in the upstream's words, no internal wording", () => {
    for (const c of typedClients) {
      const text = c.instructions() ?? '';
      expect(text, c.label).toMatch(/^One-time tokens are used for various authentication and verification purposes\./);
      expect(text).toContain('- create-one-time-token: Create one-time token');
      expect(text).toContain("this server's own credentials, never the caller's");
      expect(text).not.toMatch(/routed inline|consumes block/);
    }
  });

  it("a tool whose description is no title is titled and indexed by the upstream operation's summary", async () => {
    for (const c of typedClients) {
      const tool = (await c.listTools()).find((t) => t.name === 'get-one-time-token-id');
      expect(tool?.title, c.label).toBe('Get one-time token by ID');
      expect(c.instructions()).toContain('- get-one-time-token-id: Get one-time token by ID');
    }
  });
});

describe("an upstream 401/403 is the runtime's upstream credentials, not the caller's", () => {
  const refused = (status: number) => () => ({
    status,
    body: { code: status === 401 ? 'auth.unauthorized' : 'auth.forbidden', message: 'Token is invalid.' },
  });

  it('REST: 502 problem+json naming the upstream, its answer and whose credentials; upstreamStatus kept', async () => {
    for (const status of [401, 403]) {
      up.respond(refused(status));
      const res = await rt.rest('/v1/api/one-time-tokens/tok_1', {
        headers: { authorization: 'Bearer the-callers-own-token' },
      });
      expect(res.status).toBe(502);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await res.json()) as Record<string, unknown>;
      expect(problem).toMatchObject({
        code: 'NAF_ERR_UPSTREAM_CREDENTIALS_REFUSED',
        upstreamStatus: status,
        status: 502,
      });
      const detail = String(problem['detail']);
      expect(detail).toContain(`Upstream 'logto-one-time-tokens' answered HTTP ${status}`);
      expect(detail).toContain("the runtime's own credentials for 'logto-one-time-tokens'");
      expect(detail).toContain("not in the caller's credentials");
      expect(detail).toContain('Token is invalid.');
      // No WWW-Authenticate: nothing the caller can send would help.
      expect(res.headers.get('www-authenticate')).toBeNull();
    }
    expect(up.requests.map((r) => r.headers['authorization'])).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
  });

  it('MCP (both generations): a tool error that says the same, with the code and upstreamStatus', async () => {
    up.respond(refused(401));
    for (const c of clients) {
      const r = await c.call('get-one-time-token-id', { id: 'tok_1' });
      expect(r.isError, c.label).toBe(true);
      const text = r.content.map((b) => b.text ?? '').join('\n');
      expect(text).toContain("the runtime's own credentials for 'logto-one-time-tokens'");
      expect(text).toContain("not in the caller's credentials or arguments");
      expect(text).toContain('NAF_ERR_UPSTREAM_CREDENTIALS_REFUSED');
      expect(r.structuredContent).toMatchObject({
        error: 'NAF_ERR_UPSTREAM_CREDENTIALS_REFUSED',
        kind: 'upstream_credentials',
        upstreamStatus: 401,
      });
    }
  });

  it('other upstream errors still pass through with their status (404 stays 404)', async () => {
    up.respond(() => ({ status: 404, body: { code: 'entity.not_found', message: 'Not found.' } }));
    const res = await rt.rest('/v1/api/one-time-tokens/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ code: 'entity.not_found', message: 'Not found.' });
  });
});
