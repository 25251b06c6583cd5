// MCP over stdio, in-process: the adapter reads a PassThrough as stdin and writes one as stdout.
// Real clients (v2 pinned to 2026-07-28 and v2 in legacy mode) talk to it through a tiny stream
// transport; raw lines check that stdout carries protocol frames only and that cancellation works.

import { PassThrough } from 'node:stream';
import {
  Client,
  ReadBuffer,
  serializeMessage,
  type JSONRPCMessage,
  type Transport,
} from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveMcpStdio } from '../../src/expose/mcp/stdio.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { startStack, type Stack } from './harness.js';
import { LEGACY } from './wire.js';

interface Pipe {
  stdin: PassThrough;
  stdout: PassThrough;
  /** Every line written to stdout so far. */
  lines: string[];
  ended: Promise<void>;
  close(): Promise<void>;
}

async function open(stack: Stack): Promise<Pipe> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const lines: string[] = [];
  let rest = '';
  stdout.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  });
  const server = await serveMcpStdio({
    table: stack.table,
    bindings: stack.bindings,
    invoke: stack.invoke,
    secrets: stack.secrets,
    log: stack.log,
    serverName: 'logto-one-time-tokens-mcp',
    serverVersion: '0.1.0',
    stdin,
    stdout,
  });
  return { stdin, stdout, lines, ended: server.ended, close: () => server.close() };
}

/** A client transport over the same two streams, crossed. */
class StreamTransport implements Transport {
  readonly #buffer = new ReadBuffer();
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  constructor(readonly pipe: Pipe) {}
  async start(): Promise<void> {
    this.pipe.stdout.on('data', (chunk: Buffer) => {
      this.#buffer.append(chunk);
      for (let m = this.#buffer.readMessage(); m; m = this.#buffer.readMessage()) this.onmessage?.(m);
    });
  }
  async send(message: JSONRPCMessage): Promise<void> {
    this.pipe.stdin.write(serializeMessage(message));
  }
  async close(): Promise<void> {
    this.onclose?.();
  }
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

describe.each([
  ['2026-07-28', { versionNegotiation: { mode: { pin: '2026-07-28' } } }, 'modern'],
  ['2025-11-25', {}, 'legacy'],
] as const)('stdio, %s', (version, clientOptions, era) => {
  let pipe: Pipe;
  let client: Client;
  beforeAll(async () => {
    pipe = await open(stack);
    client = new Client({ name: 'stdio-test', version: '1' }, clientOptions);
    await client.connect(new StreamTransport(pipe));
  });
  afterAll(async () => {
    await client?.close();
    await pipe?.close();
  });

  it('negotiates the era, lists the tools and runs a call', async () => {
    expect([client.getProtocolEra(), client.getNegotiatedProtocolVersion()]).toEqual([era, version]);
    expect((await client.listTools()).tools).toHaveLength(6);
    const created = await client.callTool({
      name: 'create-one-time-token',
      arguments: { body: { email: 'io@example.com' } },
    });
    expect(created.structuredContent).toMatchObject({ email: 'io@example.com', status: 'active' });
    const missing = await client.callTool({ name: 'get-one-time-token-id', arguments: {} });
    expect(missing).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: "Invalid arguments: 'id' is required" }],
    });
  });

  it('writes nothing but JSON-RPC frames on stdout', () => {
    expect(pipe.lines.length).toBeGreaterThan(3);
    for (const line of pipe.lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
  });
});

describe('stdio cancellation (2025-11-25: notifications/cancelled)', () => {
  let up: RecordingUpstream;
  let slow: Stack;
  let pipe: Pipe;
  beforeAll(async () => {
    up = await startRecordingUpstream();
    slow = await startStack(up.url);
    pipe = await open(slow);
  });
  afterAll(async () => {
    await pipe?.close();
    await slow?.close();
    await up?.close();
  });

  it('aborts the upstream call when the client cancels the request', async () => {
    const send = (m: object) => pipe.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...m })}\n`);
    send({
      id: 1,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    send({ method: 'notifications/initialized' });
    up.script({ delayMs: 5_000, body: {} });
    send({ id: 2, method: 'tools/call', params: { name: 'get-one-time-token-id', arguments: { id: 'slow' } } });
    await up.waitForRequests(1);
    send({ method: 'notifications/cancelled', params: { requestId: 2, reason: 'user' } });
    const until = Date.now() + 3_000;
    while (!up.requests[0]?.aborted && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    expect(up.requests[0]?.aborted).toBe(true);
    // A cancelled request gets no response (MCP cancellation: the receiver should not answer it).
    expect(pipe.lines.map((l) => JSON.parse(l) as { id?: number }).filter((m) => m.id === 2)).toEqual([]);
  });
});

it('tells the caller when the client closes stdin, so the process can stop', async () => {
  const pipe = await open(stack);
  pipe.stdin.end();
  await expect(pipe.ended).resolves.toBeUndefined();
  await pipe.close();
});
