// MCP resources and prompts against the real runtime, with three clients (v2 pinned to 2026-07-28, v2 on
// 2025-11-25, the 1.x SDK) and over stdio. Scenarios ported as facts from the engine's tests (naftiko/ikanos
// v1.0.0-alpha2, src/test/java/io/naftiko/): ResourcesPromptsIntegrationTest, ResourceHandlerSafetyTest,
// ResourceHandlerDynamicTest, PromptHandlerTest, SafePathResolverTest, ProtocolDispatcherCoverageTest and
// ProtocolDispatcherNegativeTest. The capability is test/fixtures/capabilities/mcp-resources/, copied to a
// temporary folder so that files outside it (a secret) and symlinks pointing there can be planted.

import { cpSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  Client as ClientV2,
  ReadBuffer,
  serializeMessage,
  StreamableHTTPClientTransport as TransportV2,
  type JSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/client';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTable } from '../../src/binding/compile.js';
import { mcpItemsOf } from '../../src/binding/mcp-items.js';
import { Consumer } from '../../src/consume/http.js';
import { serveMcpStdio, type McpStdioServer } from '../../src/expose/mcp/stdio.js';
import { createInvoke } from '../../src/invoke.js';
import { createLogger } from '../../src/log.js';
import { Secrets } from '../../src/secrets.js';
import { loadCapabilityOrThrow } from '../../src/spec/load.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { canary } from '../support/canary.js';
import { legacy, modern, rpcError, rpcResult } from './wire.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/capabilities/mcp-resources');
const TMP = mkdtempSync(join(tmpdir(), 'mcp-resources-'));
const DIR = join(TMP, 'capability');
const SECRET = canary('outside-file');

interface Facade {
  readonly era: string;
  capabilities(): Record<string, unknown> | undefined;
  listResources(): Promise<Array<Record<string, unknown>>>;
  listTemplates(): Promise<Array<Record<string, unknown>>>;
  read(uri: string): Promise<{ contents: Array<Record<string, unknown>> }>;
  listPrompts(): Promise<Array<Record<string, unknown>>>;
  getPrompt(name: string, args?: Record<string, string>): Promise<{ messages: Array<Record<string, unknown>> }>;
  close(): Promise<void>;
}

type AnyClient = ClientV2 | ClientV1;

function facade(client: AnyClient, era: string): Facade {
  const c = client as ClientV2;
  return {
    era,
    capabilities: () => c.getServerCapabilities() as Record<string, unknown> | undefined,
    listResources: async () => (await c.listResources()).resources as Array<Record<string, unknown>>,
    listTemplates: async () => (await c.listResourceTemplates()).resourceTemplates as Array<Record<string, unknown>>,
    read: async (uri) => (await c.readResource({ uri })) as { contents: Array<Record<string, unknown>> },
    listPrompts: async () => (await c.listPrompts()).prompts as Array<Record<string, unknown>>,
    getPrompt: async (name, args) =>
      (await c.getPrompt({ name, ...(args ? { arguments: args } : {}) })) as {
        messages: Array<Record<string, unknown>>;
      },
    close: () => c.close(),
  };
}

async function v2Modern(url: string): Promise<Facade> {
  const client = new ClientV2(
    { name: 'test-v2', version: '1' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new TransportV2(new URL(url)));
  return facade(client, `${client.getProtocolEra()} ${client.getNegotiatedProtocolVersion()}`);
}

async function v2Legacy(url: string): Promise<Facade> {
  const client = new ClientV2({ name: 'test-v2-legacy', version: '1' });
  await client.connect(new TransportV2(new URL(url)));
  return facade(client, `${client.getProtocolEra()} ${client.getNegotiatedProtocolVersion()}`);
}

async function v1(url: string): Promise<Facade> {
  const client = new ClientV1({ name: 'test-v1', version: '1' });
  const transport = new TransportV1(new URL(url));
  await client.connect(transport);
  return facade(client, `legacy ${transport.protocolVersion}`);
}

/** The JSON-RPC error a call ended with (both SDKs throw an error carrying code/message/data). */
async function rpcFailure(p: Promise<unknown>): Promise<{ code: number; message: string; data?: unknown }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code: number; message: string; data?: unknown };
    return { code: e.code, message: e.message, ...(e.data !== undefined ? { data: e.data } : {}) };
  }
  throw new Error('expected a JSON-RPC error');
}

let up: RecordingUpstream;
let runtime: TestRuntime;
let url: string;

beforeAll(async () => {
  cpSync(FIXTURE, DIR, { recursive: true });
  writeFileSync(join(TMP, 'outside-secret.txt'), `${SECRET}\n`);
  // A hidden file next to the served files (an .env is the classic): never listed nor read.
  writeFileSync(join(DIR, 'docs', '.env'), `TOKEN=${SECRET}\n`);
  // A link inside the served folder to a file outside the capability's folder: never listed nor read.
  symlinkSync(join(TMP, 'outside-secret.txt'), join(DIR, 'docs', 'leak.md'));
  // A link to a file inside the served folder is fine; one to elsewhere in the capability's folder is not.
  symlinkSync(join(DIR, 'docs', 'guide.md'), join(DIR, 'docs', 'guide-link.md'));
  symlinkSync(join(DIR, 'notes.md'), join(DIR, 'docs', 'notes-link.md'));
  writeFileSync(join(DIR, 'docs', 'has space.md'), 'not a safe name\n');
  up = await startRecordingUpstream();
  runtime = await startTestRuntime({ file: join(DIR, 'capability.yaml'), baseUris: { directory: up.url } });
  url = `${runtime.urls['catalogue'] ?? ''}/mcp`;
});

afterAll(async () => {
  await runtime?.close();
  await up?.close();
  rmSync(TMP, { recursive: true, force: true });
});

const GUIDE = '# Guide\n\nHow to use the catalogue.\n';

describe.each([
  ['v2 client pinned to 2026-07-28', v2Modern, 'modern 2026-07-28'],
  ['v2 client on 2025-11-25', v2Legacy, 'legacy 2025-11-25'],
  ['1.x client (2025-11-25)', v1, 'legacy 2025-11-25'],
])('%s', (_name, connect, era) => {
  let client: Facade;
  beforeAll(async () => {
    client = await connect(url);
  });
  afterAll(async () => client?.close());

  it('negotiates the era and advertises resources and prompts (ResourcesPromptsIntegrationTest)', () => {
    expect(client.era).toBe(era);
    expect(client.capabilities()).toMatchObject({
      tools: { listChanged: false },
      resources: { listChanged: false },
      prompts: { listChanged: false },
    });
    expect(client.capabilities()?.['resources']).not.toHaveProperty('subscribe');
  });

  it('lists files and fixed-URI dynamic resources, never templates or unsafe files', async () => {
    const listed = await client.listResources();
    expect(listed.map((r) => r['uri'])).toEqual([
      'docs://guide',
      'docs://all/guide-link.md',
      'docs://all/guide.md',
      'docs://all/nested/config.json',
      'img://pixel',
      'data://directory/stats',
    ]);
    expect(listed[0]).toEqual({
      uri: 'docs://guide',
      name: 'guide',
      title: 'Guide',
      description: 'The catalogue guide (one file).',
      mimeType: 'text/markdown',
    });
    // Without a declared mimeType, the file's extension decides (ResourceHandlerSafetyTest).
    expect(listed.slice(1, 5).map((r) => r['mimeType'])).toEqual([
      'text/markdown',
      'text/markdown',
      'application/json',
      'image/png',
    ]);
    expect(listed[5]).toEqual({
      uri: 'data://directory/stats',
      name: 'directory-stats',
      title: 'Directory statistics',
      description: 'Counts from the directory.',
      mimeType: 'application/json',
    });
    expect(listed.map((r) => r['uri']).join(' ')).not.toMatch(/leak|space|\.env|notes|\{/);
  });

  it('lists {param} URIs as templates', async () => {
    expect(await client.listTemplates()).toEqual([
      {
        uriTemplate: 'data://users/{userId}/profile',
        name: 'user-profile',
        title: 'User Profile',
        description: "One user's profile, from the directory.",
        mimeType: 'application/json',
      },
      {
        uriTemplate: 'data://users/{userId}/name',
        name: 'user-name',
        title: 'User name',
        description: "Just the user's name (an output mapping).",
        mimeType: 'application/json',
      },
    ]);
  });

  // ResourceHandlerDynamicTest: template parameters reach the consumed operation, the output mapping applies.
  it('reads a template resource by calling the upstream with the URI parameter', async () => {
    up.reset();
    up.respond((req) =>
      req.path === '/users/u-1' ? { body: { id: 'u-1', name: 'Alice' } } : { status: 404, body: {} },
    );
    expect(await client.read('data://users/u-1/profile')).toMatchObject({
      contents: [
        { uri: 'data://users/u-1/profile', mimeType: 'application/json', text: '{"id":"u-1","name":"Alice"}' },
      ],
    });
    expect(await client.read('data://users/u-1/name')).toMatchObject({
      contents: [{ uri: 'data://users/u-1/name', mimeType: 'application/json', text: '"Alice"' }],
    });
    expect(up.requests.map((r) => [r.method, r.url, r.text])).toEqual([
      ['GET', '/users/u-1', ''],
      ['GET', '/users/u-1', ''],
    ]);
    expect(up.requests[0]?.headers).not.toHaveProperty('authorization');
  });

  it('reads a fixed-URI dynamic resource', async () => {
    up.reset();
    up.script({ body: { users: 2 } });
    expect((await client.read('data://directory/stats')).contents).toEqual([
      { uri: 'data://directory/stats', mimeType: 'application/json', text: '{"users":2}' },
    ]);
    expect(up.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /stats']);
  });

  it('decodes a %-encoded URI parameter and sends it as one encoded path segment', async () => {
    up.reset();
    up.respond(() => ({ body: { ok: true } }));
    await client.read('data://users/a%20b%2Fc/profile');
    expect(up.requests.map((r) => r.url)).toEqual(['/users/a%20b%2Fc']);
  });

  it('never sends a dot segment upstream for a %2e%2e parameter', async () => {
    up.reset();
    up.respond(() => ({ body: { ok: true } }));
    const e = await rpcFailure(client.read('data://users/%2e%2e/profile'));
    expect(e.code).toBe(-32602);
    expect(e.message).toContain("'user_id'");
    expect(up.requests).toEqual([]);
  });

  it('answers an upstream 404 as resource-not-found and another upstream error as -32603', async () => {
    up.reset();
    up.script({ status: 404, body: { code: 'user.not_found', message: 'No such user' } });
    expect(await rpcFailure(client.read('data://users/ghost/profile'))).toMatchObject({
      code: -32602,
      data: { uri: 'data://users/ghost/profile' },
    });
    up.script({ status: 500, body: { code: 'directory.down', message: 'Try later' } });
    expect(await rpcFailure(client.read('data://users/u-1/profile'))).toMatchObject({
      code: -32603,
      message: expect.stringContaining('Upstream returned HTTP 500: directory.down — Try later'),
    });
  });

  it('reads a static file as text with its mimeType', async () => {
    expect(await client.read('docs://guide')).toMatchObject({
      contents: [{ uri: 'docs://guide', mimeType: 'text/markdown', text: GUIDE }],
    });
    expect((await client.read('docs://all/nested/config.json')).contents).toEqual([
      {
        uri: 'docs://all/nested/config.json',
        mimeType: 'application/json',
        text: '{"version": 1, "owner": "platform"}\n',
      },
    ]);
    expect((await client.read('docs://all/guide-link.md')).contents[0]).toMatchObject({ text: GUIDE });
  });

  it('reads a binary file as a base64 blob', async () => {
    const [content] = (await client.read('img://pixel')).contents;
    expect(content).toMatchObject({ uri: 'img://pixel', mimeType: 'image/png' });
    expect(Buffer.from(String(content?.['blob']), 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(content).not.toHaveProperty('text');
  });

  it.each([
    ['a folder itself', 'docs://all'],
    ['a .. segment', 'docs://all/../.env'],
    ['a nested .. segment', 'docs://all/nested/../../notes.md'],
    ['a %-encoded .. segment', 'docs://all/%2e%2e/.env'],
    ['a %-encoded slash', 'docs://all/nested%2Fconfig.json'],
    ['an absolute path', '/etc/passwd'],
    ['a file: URI', 'file:///etc/passwd'],
    ['a file: URI into the folder', `file://${join(DIR, 'notes.md')}`],
    ['a link to a file outside the capability folder', 'docs://all/leak.md'],
    ['a link to a file outside the served folder', 'docs://all/notes-link.md'],
    ['a file with an unsafe name', 'docs://all/has space.md'],
    ['a hidden file', 'docs://all/.env'],
    ['an unknown scheme', 'data://does-not-exist'],
    ['a template that spans a /', 'data://users/a/b/profile'],
  ])('answers %s with resource-not-found (-32602, data.uri), reading nothing', async (_what, uri) => {
    const before = up.requests.length;
    const e = await rpcFailure(client.read(uri));
    expect(e).toMatchObject({ code: -32602, data: { uri } });
    expect(e.message).toContain('Resource not found');
    expect(JSON.stringify(e)).not.toContain(SECRET);
    expect(up.requests.length).toBe(before);
  });

  it('lists the prompts with titles and arguments; an argument without a label has no title', async () => {
    const prompts = await client.listPrompts();
    expect(prompts.map((p) => p['name'])).toEqual(['participant-outreach', 'summary-prompt', 'review']);
    expect(prompts[0]).toEqual({
      name: 'participant-outreach',
      title: 'Participant Outreach',
      description: 'Draft outreach message to pre-release participants',
      arguments: [
        { name: 'participant_name', description: 'Name of the participant', required: true },
        { name: 'product_name', description: 'Name of the product', required: true },
      ],
    });
    expect(prompts[1]?.['arguments']).toEqual([
      { name: 'data', description: 'The raw data to summarize', required: true },
      // The file's label is sent as the argument's title (see 'on the wire'), but both SDK clients drop it.
      { name: 'format', description: 'Output format: bullet-points, paragraph, or table', required: false },
    ]);
    // `required` defaults to true, as the schema says.
    expect(prompts[2]?.['arguments']).toEqual([
      { name: 'topic', description: 'What to review', required: true },
      { name: 'audience', description: 'Who reads the review', required: false },
    ]);
  });

  it('renders an inline prompt with every placeholder filled', async () => {
    const got = await client.getPrompt('participant-outreach', { participant_name: 'Alice', product_name: 'Naftiko' });
    expect(got.messages).toEqual([
      {
        role: 'user',
        content: {
          type: 'text',
          text: 'Draft a personalized outreach email to Alice about the upcoming Naftiko pre-release. Be professional but friendly.',
        },
      },
    ]);
  });

  it('renders a multi-turn template in order; a missing optional argument stays as written', async () => {
    const full = await client.getPrompt('summary-prompt', { data: 'item1, item2, item3', format: 'bullet-points' });
    expect(full.messages.map((m) => m['role'])).toEqual(['user', 'assistant', 'user']);
    expect(full.messages[0]).toEqual({
      role: 'user',
      content: { type: 'text', text: 'Summarize the following data in bullet-points format:\n\nitem1, item2, item3' },
    });
    const partial = await client.getPrompt('summary-prompt', { data: 'some data' });
    expect((partial.messages[0]?.['content'] as { text: string }).text).toBe(
      'Summarize the following data in {{format}} format:\n\nsome data',
    );
  });

  it('never fills placeholders found in argument values; $ and backslashes stay literal', async () => {
    const got = await client.getPrompt('summary-prompt', {
      data: 'Hi {{format}} C:\\Users\\$HOME $&',
      format: 'table',
    });
    expect((got.messages[0]?.['content'] as { text: string }).text).toBe(
      'Summarize the following data in table format:\n\nHi {{format}} C:\\Users\\$HOME $&',
    );
  });

  it('renders a file-based prompt as one user message', async () => {
    const got = await client.getPrompt('review', { topic: 'solar energy', audience: 'engineers' });
    expect(got.messages).toEqual([
      {
        role: 'user',
        content: { type: 'text', text: 'Review solar energy for engineers. Keep {{missing}} as written.\n' },
      },
    ]);
  });

  it('rejects a missing required argument with invalid params naming it', async () => {
    const e = await rpcFailure(client.getPrompt('participant-outreach', { product_name: 'Naftiko' }));
    expect(e.code).toBe(-32602);
    expect(e.message).toContain("Missing required argument 'participant_name' for prompt 'participant-outreach'");
    const both = await rpcFailure(client.getPrompt('participant-outreach'));
    expect(both.message).toContain("Missing required arguments 'participant_name', 'product_name'");
  });

  it('rejects an unknown prompt with invalid params', async () => {
    const e = await rpcFailure(client.getPrompt('does-not-exist'));
    expect(e.code).toBe(-32602);
    expect(e.message).toContain('Unknown prompt: does-not-exist');
  });
});

describe.each([
  // 2026-07-28 requests name their target in Mcp-Name: the prompt's name, or the resource's URI.
  [
    '2026-07-28',
    (method: string, params: Record<string, unknown> = {}) =>
      modern(url, method, params, typeof params['uri'] === 'string' ? { 'mcp-name': params['uri'] } : {}),
  ],
  ['2025-11-25', (method: string, params?: Record<string, unknown>) => legacy(url, method, params)],
])('on the wire, %s', (_era, send) => {
  it.each([
    ['resources/read', {}, 'Invalid params: uri is required'],
    ['resources/read', { uri: 42 }, 'Invalid params: uri is required'],
    ['prompts/get', {}, 'Invalid params: name is required'],
    ['prompts/get', { name: '' }, 'Invalid params: name is required'],
  ])('%s %j is invalid params naming the field (ProtocolDispatcherNegativeTest)', async (method, params, message) => {
    expect(rpcError(await send(method, params))).toEqual({ code: -32602, message });
  });

  it('answers an unknown URI with -32602 and data {uri} (SEP-2164)', async () => {
    expect(rpcError(await send('resources/read', { uri: 'test://nope' }))).toEqual({
      code: -32602,
      message: 'Resource not found: test://nope',
      data: { uri: 'test://nope' },
    });
  });

  it("sends an argument's label as its title", async () => {
    const prompts = rpcResult(await send('prompts/list')).prompts as Array<{ arguments?: unknown[] }>;
    expect(prompts[1]?.arguments?.[1]).toEqual({
      name: 'format',
      title: 'Format',
      description: 'Output format: bullet-points, paragraph, or table',
      required: false,
    });
  });
});

describe('a folder changed after start', () => {
  let client: Facade;
  beforeAll(async () => {
    client = await v2Modern(url);
  });
  afterAll(async () => client?.close());

  it('refuses a listed file that became a link to outside the folder', async () => {
    const path = join(DIR, 'docs', 'nested', 'config.json');
    unlinkSync(path);
    symlinkSync(join(TMP, 'outside-secret.txt'), path);
    const e = await rpcFailure(client.read('docs://all/nested/config.json'));
    expect(e).toMatchObject({ code: -32602, data: { uri: 'docs://all/nested/config.json' } });
    expect(JSON.stringify(e)).not.toContain(SECRET);
    unlinkSync(path);
    writeFileSync(path, '{"version": 1, "owner": "platform"}\n');
  });

  it('serves a listed file with its current content, and does not list a file added later', async () => {
    writeFileSync(join(DIR, 'docs', 'guide.md'), '# Guide v2\n');
    writeFileSync(join(DIR, 'docs', 'added.md'), 'late\n');
    expect((await client.read('docs://all/guide.md')).contents[0]).toMatchObject({ text: '# Guide v2\n' });
    await expect(rpcFailure(client.read('docs://all/added.md'))).resolves.toMatchObject({ code: -32602 });
    writeFileSync(join(DIR, 'docs', 'guide.md'), GUIDE);
    unlinkSync(join(DIR, 'docs', 'added.md'));
  });
});

describe("the engine's own fixture (mcp/mcp-resources-prompts-capability.yaml)", () => {
  let engine: TestRuntime;
  let client: Facade;
  beforeAll(async () => {
    engine = await startTestRuntime({
      file: resolve(import.meta.dirname, '../fixtures/engine/mcp/mcp-resources-prompts-capability.yaml'),
      // The fixture's base URI with the recording upstream's origin (its consumed path has no leading '/',
      // so it is joined as written, as the engine does: /v1databases/…).
      baseUris: { 'mock-api': `${up.url}/v1` },
    });
    client = await v2Modern(`${engine.urls['test-mcp-resources-prompts'] ?? ''}/mcp`);
  });
  afterAll(async () => {
    await client?.close();
    await engine?.close();
  });

  it('lists its fixed resource, its template and both prompts (ResourcesPromptsIntegrationTest)', async () => {
    expect((await client.listResources()).map((r) => [r['uri'], r['name'], r['title'], r['mimeType']])).toEqual([
      ['data://databases/pre-release/schema', 'database-schema', 'Database Schema', 'application/json'],
    ]);
    expect((await client.listTemplates()).map((t) => [t['uriTemplate'], t['name'], t['title']])).toEqual([
      ['data://users/{userId}/profile', 'user-profile', 'User Profile'],
    ]);
    expect((await client.listPrompts()).map((p) => p['name'])).toEqual(['participant-outreach', 'summary-prompt']);
  });

  it('calls the consumed operation with the `with` values, {{userId}} filled from the URI', async () => {
    up.reset();
    up.respond(() => ({ body: { results: [{ id: 'p-1' }] } }));
    await client.read('data://databases/pre-release/schema');
    await client.read('data://users/42/profile');
    const sent = up.requests.map((r) => ({ method: r.method, url: r.url, body: r.json }));
    const filter = { filter: { property: 'Status', select: { equals: 'Committed' } } };
    expect(sent).toEqual([
      { method: 'POST', url: '/v1databases/test-db-id-123/query', body: filter },
      { method: 'POST', url: '/v1databases/42/query', body: filter },
    ]);
    expect(up.requests[0]?.headers['content-type']).toBe('application/json');
  });
});

describe('logging', () => {
  it('names the dynamic resource binding and the upstream status in the access line', () => {
    const lines = runtime.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(
      lines.some(
        (l) =>
          l['msg'] === 'request' && l['binding'] === 'catalogue.resource.user-profile' && l['upstreamStatus'] === 200,
      ),
    ).toBe(true);
  });
});

describe('start-up', () => {
  it('logs each file it will not serve, and never the secret', () => {
    const warnings = runtime.logs
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .filter((l) => l.level === 40 && l.msg.startsWith('not served'))
      .map((l) => l.msg);
    expect(warnings).toEqual(
      expect.arrayContaining([
        'not served: .env (hidden, or a name outside [A-Za-z0-9._-])',
        'not served: has space.md (hidden, or a name outside [A-Za-z0-9._-])',
        'not served: leak.md (a link to outside the folder)',
        'not served: notes-link.md (a link to outside the folder)',
      ]),
    );
    expect(runtime.logs.join('\n')).not.toContain(SECRET);
  });
});

/** A client transport over two in-process streams, crossed (see test/mcp/stdio.test.ts). */
class StreamTransport implements Transport {
  readonly #buffer = new ReadBuffer();
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  constructor(
    readonly stdin: PassThrough,
    readonly stdout: PassThrough,
  ) {}
  async start(): Promise<void> {
    this.stdout.on('data', (chunk: Buffer) => {
      this.#buffer.append(chunk);
      for (let m = this.#buffer.readMessage(); m; m = this.#buffer.readMessage()) this.onmessage?.(m);
    });
  }
  async send(message: JSONRPCMessage): Promise<void> {
    this.stdin.write(serializeMessage(message));
  }
  async close(): Promise<void> {
    this.onclose?.();
  }
}

describe.each([
  ['2026-07-28', { versionNegotiation: { mode: { pin: '2026-07-28' as const } } }],
  ['2025-11-25', {}],
])('stdio, %s', (version, options) => {
  let client: ClientV2;
  let consumer: Consumer;
  let server: McpStdioServer;
  beforeAll(async () => {
    const file = join(DIR, 'capability.yaml');
    const table = compileTable((await loadCapabilityOrThrow(file)).doc);
    consumer = new Consumer([{ namespace: 'directory', baseUrl: new URL(up.url) }]);
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    server = await serveMcpStdio({
      table,
      bindings: table.bindings,
      invoke: createInvoke(consumer, {}),
      secrets: new Secrets(),
      log: createLogger({ secrets: new Secrets(), level: 'warn', sink: () => undefined }),
      serverName: 'catalogue',
      serverVersion: '1',
      ...mcpItemsOf(table, 'catalogue'),
      baseDir: DIR,
      stdin,
      stdout,
    });
    client = new ClientV2({ name: 'stdio-test', version: '1' }, options);
    await client.connect(new StreamTransport(stdin, stdout));
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
    await consumer?.close();
  });

  it('serves the same resources, templates and prompts', async () => {
    expect(client.getNegotiatedProtocolVersion()).toBe(version);
    expect((await client.listResources()).resources).toHaveLength(6);
    expect((await client.listResourceTemplates()).resourceTemplates).toHaveLength(2);
    expect((await client.readResource({ uri: 'docs://guide' })).contents).toEqual([
      { uri: 'docs://guide', mimeType: 'text/markdown', text: GUIDE },
    ]);
    const got = await client.getPrompt({ name: 'review', arguments: { topic: 'tides' } });
    expect(got.messages[0]?.content).toEqual({
      type: 'text',
      text: 'Review tides for {{audience}}. Keep {{missing}} as written.\n',
    });
    await expect(client.readResource({ uri: 'docs://all/../.env' })).rejects.toMatchObject({ code: -32602 });
    await expect(client.getPrompt({ name: 'review' })).rejects.toMatchObject({ code: -32602 });
  });
});
