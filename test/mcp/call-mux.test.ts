// tools/call on the long-lived servers (src/expose/mcp/call-mux.ts) answers what the SDK's own HTTP entry
// answers for the same request, in both protocol eras: the reference is createMcpHandler over the same
// server factory, fed the same bytes. And many calls in flight at once, with the same JSON-RPC id, each
// get their own answer.

import { createMcpHandler } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerFactory, serverOptionsFrom } from '../../src/expose/mcp/server.js';
import { serveMcp, startStack, type Served } from './harness.js';
import { LEGACY, MODERN, post, read, type RawResponse } from './wire.js';

let served: Served & { stop(): Promise<void> };
let reference: ReturnType<typeof createMcpHandler>;
let tokenId: string;

const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

beforeAll(async () => {
  served = await serveMcp(await startStack());
  reference = createMcpHandler(
    createServerFactory(
      serverOptionsFrom({
        table: served.table,
        bindings: served.bindings,
        invoke: served.invoke,
        secrets: served.secrets,
        log: served.log,
        instructions: served.table.exposes.find((e) => e.kind === 'mcp')?.description ?? '',
        serverName: 'logto-one-time-tokens-mcp',
        serverVersion: '0.1.0',
      }),
    ),
  );
  const created = await both('modern', 'create-one-time-token', { body: { email: 'mux@example.com' } });
  const result = created.ours.json?.['result'] as { structuredContent?: { id?: string } };
  tokenId = result.structuredContent?.id ?? '';
  expect(tokenId).not.toBe('');
});
afterAll(async () => {
  await reference?.close();
  await served?.stop();
  await served?.close();
});

type Era = 'modern' | 'legacy';

function requestOf(era: Era, name: unknown, args: unknown, id: number | string = 1) {
  const params = { name, arguments: args, ...(era === 'modern' ? { _meta: ENVELOPE } : {}) };
  const headers: Record<string, string> =
    era === 'modern'
      ? {
          'mcp-protocol-version': MODERN,
          'mcp-method': 'tools/call',
          ...(typeof name === 'string' ? { 'mcp-name': name } : {}),
        }
      : { 'mcp-protocol-version': LEGACY };
  return { body: { jsonrpc: '2.0', id, method: 'tools/call', params }, headers };
}

/** The same tools/call sent to ours over HTTP and to the SDK's entry. */
async function both(era: Era, name: unknown, args: unknown): Promise<{ ours: RawResponse; sdk: RawResponse }> {
  const { body, headers } = requestOf(era, name, args);
  const ours = await post(served.url, body, headers);
  const sdk = await read(
    await reference.fetch(
      new Request(served.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(body),
      }),
    ),
  );
  return { ours, sdk };
}

const CASES: Array<[label: string, name: unknown, args: () => unknown]> = [
  ['a get', 'get-one-time-token-id', () => ({ id: tokenId })],
  ['a list', 'get-one-time-tokens', () => ({})],
  ['an upstream 404', 'get-one-time-token-id', () => ({ id: 'no-such-token' })],
  ['bad arguments', 'update-one-time-token-status', () => ({ id: '' })],
  ['no arguments at all', 'get-one-time-token-id', () => undefined],
  ['an unknown tool', 'nope', () => ({})],
  ['a name that is not a string', 7, () => ({})],
];

describe.each(['modern', 'legacy'] as const)('tools/call, %s era', (era) => {
  it.each(CASES)('%s: the same status, media type and message as the SDK entry', async (_label, name, args) => {
    const { ours, sdk } = await both(era, name, args());
    expect(ours.status).toBe(sdk.status);
    expect(ours.headers.get('content-type')).toBe(sdk.headers.get('content-type'));
    expect(ours.json).toBeDefined();
    expect(ours.json).toEqual(sdk.json);
    if (era === 'legacy') expect(ours.text).toMatch(/^event: message\ndata: .*\n\n$/s);
  });
});

describe('many calls in flight on one server', () => {
  it.each(['modern', 'legacy'] as const)('%s: the same JSON-RPC id in every call, each answer its own', async (era) => {
    const ids = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? tokenId : `missing-${i}`));
    const answers = await Promise.all(
      ids.map((id) => {
        const { body, headers } = requestOf(era, 'get-one-time-token-id', { id }, 'same');
        return post(served.url, body, headers);
      }),
    );
    answers.forEach((r, i) => {
      expect(r.json?.['id']).toBe('same');
      const result = r.json?.['result'] as { isError?: boolean; content: Array<{ text: string }> };
      if (ids[i] === tokenId) expect(result.content[0]?.text).toContain(tokenId);
      else expect(result.isError).toBe(true);
    });
  });
});
