// `transport: stdio` in the file is enough: `runtime start <file>` without `--mcp-stdio` serves the MCP
// adapter on stdin/stdout, and stdout carries JSON-RPC frames only (every log line goes to stderr).
// Scenario from the reference engine's StdioIntegrationTest, on its fixture mcp/mcp-stdio-capability.yaml
// (ikanos v1.0.0-alpha2): initialize, tools/list, ping, no answer to a notification; spawned through the real CLI (needs `npm run build`) by the SDK's own
// StdioClientTransport, as a host would.

import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import { startRecordingUpstream } from '../helpers/recording-upstream.js';
import { watch } from '../support/canary.js';
import { CLI, ROOT } from '../support/cli.js';

const FIXTURE = 'test/fixtures/engine/mcp/mcp-stdio-capability.yaml';

let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

interface Spawned {
  readonly transport: StdioClientTransport;
  /** Every complete line the server wrote to stdout. */
  readonly lines: string[];
  readonly stderr: () => string;
  readonly exit: Promise<number | null>;
}

function spawnServer(extraArgs: readonly string[] = []): Spawned {
  const transport = new StdioClientTransport({
    command: process.execPath,
    // No --mcp-stdio: the file alone says stdio.
    args: [CLI, 'start', FIXTURE, ...extraArgs],
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', LOG_FORMAT: 'json', LOG_LEVEL: 'debug' },
    stderr: 'pipe',
  });
  const lines: string[] = [];
  let err = '';
  (transport.stderr as Readable).on('data', (d: Buffer) => (err += d.toString()));
  let exited!: (code: number | null) => void;
  const exit = new Promise<number | null>((done) => (exited = done));
  // The transport hides the child's raw stdout and exit code: tap the child it spawns.
  const start = transport.start.bind(transport);
  transport.start = async () => {
    await start();
    const child = (transport as unknown as { _process: ChildProcess })._process;
    let rest = '';
    child.stdout?.on('data', (d: Buffer) => {
      const parts = (rest + d.toString()).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
    });
    child.once('exit', (code) => exited(code));
  };
  watch('stdio-from-file stdout', () => lines);
  watch('stdio-from-file stderr', () => err);
  return { transport, lines, stderr: () => err, exit };
}

describe('runtime start <file with transport: stdio> (no --mcp-stdio)', () => {
  it('initializes, lists the tool, answers ping, and writes nothing but JSON-RPC to stdout', async () => {
    const server = spawnServer();
    client = new Client({ name: 'stdio-from-file', version: '1' });
    await client.connect(server.transport);
    expect(client.getServerVersion()).toMatchObject({ name: 'test-mcp-stdio' });
    // The adapter's description, then the tool index, whose credentials, and the capability (src/expose/mcp/instructions.ts).
    expect(client.getInstructions()).toBe(
      [
        'Test MCP server using stdio transport for local IDE development.',
        '',
        'Tools:',
        '- query-database: Query the test database to retrieve committed participants',
        '',
        "Tools reach the upstream API with this server's own credentials, never the caller's: an upstream refusal " +
          'of them (NAF_ERR_UPSTREAM_CREDENTIALS_REFUSED) is for the operator to fix, not something to retry.',
        '',
        'Capability: MCP Stdio Test Capability (version 2026-03-02).',
      ].join('\n'),
    );

    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['query-database']);
    expect(tools[0]?.description).toBe('Query the test database to retrieve committed participants.');
    expect(await client.ping()).toEqual({});

    await client.close();
    client = undefined;
    expect(await server.exit).toBe(0);

    // stdout: one JSON-RPC 2.0 response per line, one per request the client sent, and nothing else (no
    // banner, no access line, no answer to the `initialized` notification).
    const frames = server.lines.map((l) => JSON.parse(l) as { jsonrpc?: string; id?: unknown });
    expect(frames.length).toBeGreaterThanOrEqual(3);
    for (const f of frames) expect(f.jsonrpc).toBe('2.0');
    const ids = frames.map((f) => f.id);
    expect(ids.every((id) => id !== undefined && id !== null)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // stderr: the logs, from the adapter line to the stop.
    const logs = server
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs).toContainEqual(expect.objectContaining({ msg: "MCP adapter 'test-mcp-stdio' serving on stdio" }));
    expect(logs).toContainEqual(expect.objectContaining({ signal: 'stdin closed' }));
    expect(logs.at(-1)).toMatchObject({ msg: 'stopped' });
  });

  it('a tools/call reaches the upstream and its answer comes back as one more frame', async () => {
    const up = await startRecordingUpstream();
    try {
      up.respond(() => ({
        body: {
          results: [
            {
              properties: {
                Name: { title: [{ text: { content: 'Ada' } }] },
                Status: { select: { name: 'Committed' } },
              },
            },
          ],
        },
      }));
      const server = spawnServer(['--base-uri', `mock-api=${up.url}/v1`]);
      client = new Client({ name: 'stdio-from-file', version: '1' });
      await client.connect(server.transport);
      const result = await client.callTool({ name: 'query-database', arguments: {} });
      expect(result.isError).toBeFalsy();
      expect(JSON.stringify(result.structuredContent)).toContain('"name":"Ada","status":"Committed"');
      // The `with` value fills the path placeholder; the operation's body template goes as written. The
      // fixture's resource path has no leading '/', so it joins the base URI as-is, as in the engine.
      expect(up.requests).toHaveLength(1);
      expect(up.requests[0]).toMatchObject({ method: 'POST', path: '/v1databases/test-db-id-123/query' });
      expect(up.requests[0]?.json).toEqual({ filter: { property: 'Status', select: { equals: 'Committed' } } });
      await client.close();
      client = undefined;
      expect(await server.exit).toBe(0);
      for (const line of server.lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    } finally {
      await up.close();
    }
  });
});
