// MCP over stdio as a host runs it: the SDKs' own StdioClientTransport spawns
// `node dist/cli.js start … --sandbox --mcp-stdio` (needs `npm run build`). Both protocol generations: the
// v2 client pinned to 2026-07-28 and the 1.x client (2025-11-25). stdout must carry protocol frames only,
// the logs go to stderr, and the process exits 0 once the host closes its stdin.

import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { Client as ClientV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { watch } from '../support/canary.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SERVER = {
  command: process.execPath,
  args: [resolve(ROOT, 'dist/cli.js'), 'start', 'capabilities/logto-one-time-tokens.yaml', '--sandbox', '--mcp-stdio'],
  cwd: ROOT,
  // No HTTP(S)_PROXY: the runtime's calls to the embedded sandbox stay on loopback.
  env: { PATH: process.env['PATH'] ?? '', LOG_FORMAT: 'json' },
  stderr: 'pipe' as const,
};

interface Tap {
  /** Every line the server wrote to stdout. */
  readonly lines: string[];
  readonly stderr: () => string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The SDK transports expose the child's pid but neither its exit status nor its raw stdout, so tap the
 * child they spawn. Patching `start` on the instance (not subclassing) keeps the v2 client's era probe,
 * which runs on a sibling built from the transport's own class, untouched.
 */
function tap(transport: StdioV2 | StdioV1): Tap {
  const lines: string[] = [];
  let err = '';
  (transport.stderr as Readable).on('data', (d: Buffer) => (err += d.toString()));
  let exited!: (e: { code: number | null; signal: NodeJS.Signals | null }) => void;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => (exited = done));
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
    child.once('exit', (code, signal) => exited({ code, signal }));
  };
  watch('stdio server stdout', () => lines);
  watch('stdio server stderr', () => err);
  return { lines, stderr: () => err, exit };
}

const SERVER_INFO = 'io.modelcontextprotocol/serverInfo';
type Result = { _meta?: Record<string, unknown> };

interface ToolResult {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
}

interface Session {
  readonly version: string | undefined;
  listTools(): Promise<Array<{ name: string }>>;
  call(name: string, args: Record<string, unknown>): Promise<ToolResult>;
  close(): Promise<void>;
  readonly tap: Tap;
  readonly errors: Error[];
}

async function v2(): Promise<Session> {
  const transport = new StdioV2(SERVER);
  const t = tap(transport);
  const client = new ClientV2(
    { name: 'stdio-cli-v2', version: '1' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  const errors: Error[] = [];
  client.onerror = (e) => errors.push(e);
  await client.connect(transport);
  return {
    version: `${client.getProtocolEra()} ${client.getNegotiatedProtocolVersion()}`,
    listTools: async () => (await client.listTools()).tools,
    call: async (name, args) => (await client.callTool({ name, arguments: args })) as ToolResult,
    close: () => client.close(),
    tap: t,
    errors,
  };
}

async function v1(): Promise<Session> {
  const transport = new StdioV1(SERVER);
  const t = tap(transport);
  const client = new ClientV1({ name: 'stdio-cli-v1', version: '1' });
  const errors: Error[] = [];
  client.onerror = (e) => errors.push(e);
  await client.connect(transport);
  // The 1.x client does not report what it negotiated: read it off the initialize answer on the wire.
  const init = t.lines.map((l) => JSON.parse(l) as { result?: { protocolVersion?: string } }).find((m) => m.result);
  return {
    version: `legacy ${init?.result?.protocolVersion}`,
    listTools: async () => (await client.listTools()).tools,
    call: async (name, args) => (await client.callTool({ name, arguments: args })) as ToolResult,
    close: () => client.close(),
    tap: t,
    errors,
  };
}

// A failed assertion must not leave a server behind: closing again after a clean close is a no-op.
const open: Session[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe.each([
  ['v2 client pinned to 2026-07-28', v2, 'modern 2026-07-28'],
  ['1.x client', v1, 'legacy 2025-11-25'],
] as const)('runtime start --mcp-stdio, %s', (_label, connect, version) => {
  it('lists the tools, creates a token and gets it back, then exits 0 when stdin closes', async () => {
    const session = await connect();
    open.push(session);
    expect(session.version).toBe(version);
    expect((await session.listTools()).map((t) => t.name)).toHaveLength(6);

    const email = `stdio-${version.split(' ')[0]}@example.com`;
    const created = await session.call('create-one-time-token', { body: { email } });
    expect(created.isError).toBeFalsy();
    expect(created.structuredContent).toMatchObject({ email, status: 'active' });
    const id = created.structuredContent?.['id'] as string;
    const got = await session.call('get-one-time-token-id', { id });
    expect(got.isError).toBeFalsy();
    expect(got.structuredContent).toMatchObject({ id, email });

    // The SDK's close() ends the child's stdin, then waits for it to exit before resorting to signals.
    await session.close();
    expect(await session.tap.exit).toEqual({ code: 0, signal: null });
    expect(session.errors).toEqual([]);

    // stdout: JSON-RPC frames and nothing else, one per line.
    const frames = session.tap.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    for (const f of frames) expect(f['jsonrpc']).toBe('2.0');
    // The era the server itself spoke: 2026-07-28 results carry its identity in _meta, 2025 ones never do.
    const stamped = frames.filter((f) => (f['result'] as Result | undefined)?._meta?.[SERVER_INFO] !== undefined);
    expect(stamped.length).toBe(version.startsWith('modern') ? frames.length : 0);
    // stderr: the logs, ending with a stop caused by the closed stdin, not by a signal.
    const logs = session.tap
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{')) // a runtime warning from Node itself may share stderr
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs.filter((l) => l['msg'] === 'tools/call').map((l) => l['upstreamStatus'])).toEqual([201, 200]);
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: expect.stringMatching(/^stopping/), signal: 'stdin closed' }),
    );
    expect(logs.at(-1)).toMatchObject({ msg: 'stopped' });
  });
});
