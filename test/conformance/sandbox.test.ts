// REST ↔ MCP parity against the embedded Logto sandbox: one lifecycle walked through both adapters.
// Writes that are not idempotent (create, verify) act on one object per adapter and compare shapes;
// reads and idempotent writes act on the same object through both and must give the same answer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import type { McpCall, RestCall } from './cases.js';
import { callRest, connectMcp, mcpOutcome, restOutcome, type McpSide, type Outcome } from './sides.js';

interface Token {
  id: string;
  token: string;
  email: string;
  status: string;
  createdAt: number;
  expiresAt: number;
}

const EMAIL = 'parity@example.com';
const CREATE = { email: EMAIL, expiresIn: 300, context: { jitOrganizationIds: ['org_1'] } };
const COLLECTION = '/v1/api/one-time-tokens';

let rt: TestRuntime;
let clients: McpSide[];
let viaRest: Token;
let viaMcp: Token;

beforeAll(async () => {
  rt = await startTestRuntime({ sandbox: true });
  clients = await connectMcp(rt.mcpUrl);
});
afterAll(async () => {
  await Promise.all((clients ?? []).map((c) => c.close()));
  await rt?.close();
});

const rest = async (call: RestCall) => restOutcome(await callRest(rt.restUrl, call));
const tool = async (call: McpCall, client = clients[0]) => mcpOutcome(await client!.call(call));
const data = (o: Outcome) => (o.kind === 'data' ? o.data : expect.fail(`expected data, got ${JSON.stringify(o)}`));

/** The same read through REST and through every MCP client: all must agree; returns REST's outcome. */
async function sameEverywhere(r: RestCall, m: McpCall): Promise<Outcome> {
  const expected = await rest(r);
  for (const client of clients) expect(await tool(m, client), client.label).toEqual(expected);
  return expected;
}

/** What two distinct tokens created alike must share: all but their identity and timestamps. */
function shape(t: unknown) {
  const { id, token, createdAt, expiresAt, ...others } = t as Token;
  return {
    ...others,
    id: /^[0-9a-z]{21}$/.test(id),
    token: /^[0-9A-Za-z]{32}$/.test(token),
    ttl: expiresAt - createdAt,
  };
}

const get = (id: string) =>
  sameEverywhere(
    { method: 'GET', route: `${COLLECTION}/{id}`, params: { id } },
    { tool: 'get-one-time-token-id', args: { id } },
  );
const verifyRest = (t: Token) =>
  rest({ method: 'POST', route: `${COLLECTION}/verify`, body: { token: t.token, email: EMAIL } });
const verifyTool = (t: Token) =>
  tool({ tool: 'verify-one-time-token', args: { body: { token: t.token, email: EMAIL } } });
const setStatus = (id: string, status: string) => ({
  rest: { method: 'PUT', route: `${COLLECTION}/{id}/status`, params: { id }, body: { status } } as const,
  mcp: { tool: 'update-one-time-token-status', args: { id, body: { status } } },
});
const remove = (id: string) => ({
  rest: { method: 'DELETE', route: `${COLLECTION}/{id}`, params: { id } } as const,
  mcp: { tool: 'delete-one-time-token-id', args: { id } },
});

describe('one lifecycle through both adapters (Logto sandbox)', () => {
  it('create: each adapter creates a token of the same shape', async () => {
    const created = await callRest(rt.restUrl, { method: 'POST', route: COLLECTION, body: CREATE });
    expect(created.status).toBe(201);
    viaRest = data(restOutcome(created)) as Token;
    viaMcp = data(await tool({ tool: 'create-one-time-token', args: { body: CREATE } })) as Token;
    expect(shape(viaRest)).toEqual({ ...shape(viaMcp), id: true, token: true, ttl: 300_000 });
    expect(viaRest).toMatchObject({ email: EMAIL, status: 'active', context: CREATE.context });
    expect(viaMcp.id).not.toBe(viaRest.id);
  });

  it('get: either token reads the same through REST and MCP', async () => {
    expect(await get(viaRest.id)).toEqual({ kind: 'data', data: viaRest });
    expect(await get(viaMcp.id)).toEqual({ kind: 'data', data: viaMcp });
  });

  it('verify: each consumes its own token, then each reports the other one as consumed', async () => {
    const consumed = [data(await verifyRest(viaRest)), data(await verifyTool(viaMcp))];
    expect(consumed.map(shape)).toEqual([
      shape({ ...viaRest, status: 'consumed' }),
      shape({ ...viaMcp, status: 'consumed' }),
    ]);
    const again = await verifyTool(viaRest);
    expect(again).toEqual({
      kind: 'upstream-error',
      status: 400,
      body: { code: 'one_time_token.token_consumed', message: 'The token has been consumed.' },
    });
    expect(await verifyRest(viaMcp)).toEqual(again);
  });

  it('update status: the same revoke through both gives the same row; reactivation fails alike', async () => {
    const revoke = setStatus(viaRest.id, 'revoked');
    const first = await rest(revoke.rest);
    expect(first).toEqual({ kind: 'data', data: { ...viaRest, status: 'revoked' } });
    for (const client of clients) expect(await tool(revoke.mcp, client), client.label).toEqual(first);
    expect(data(await tool(setStatus(viaMcp.id, 'revoked').mcp))).toMatchObject({ id: viaMcp.id, status: 'revoked' });

    const reactivate = setStatus(viaRest.id, 'active');
    const refused = await sameEverywhere(reactivate.rest, reactivate.mcp);
    expect(refused).toMatchObject({
      kind: 'upstream-error',
      status: 400,
      body: { code: 'one_time_token.cannot_reactivate_token' },
    });
  });

  it('list: the same filters give the same array through both, paginated or not', async () => {
    const all = await sameEverywhere(
      { method: 'GET', route: COLLECTION, query: { email: EMAIL } },
      { tool: 'get-one-time-tokens', args: { email: EMAIL } },
    );
    const items = data(all) as Token[];
    expect(items.map((t) => [t.id, t.status]).sort()).toEqual(
      [
        [viaRest.id, 'revoked'],
        [viaMcp.id, 'revoked'],
      ].sort(),
    );
    const page = await sameEverywhere(
      { method: 'GET', route: COLLECTION, query: { email: EMAIL, status: 'revoked', page: '2', page_size: '1' } },
      { tool: 'get-one-time-tokens', args: { email: EMAIL, status: 'revoked', page: 2, page_size: 1 } },
    );
    expect(data(page)).toEqual([items[1]]);
  });

  it('delete: each deletes its own token, then each finds the other one gone', async () => {
    const deleted = await callRest(rt.restUrl, remove(viaRest.id).rest);
    expect([deleted.status, restOutcome(deleted)]).toEqual([204, { kind: 'empty' }]);
    expect(await tool(remove(viaMcp.id).mcp)).toEqual({ kind: 'empty' });
    const gone = await rest(remove(viaMcp.id).rest);
    expect(gone).toEqual({
      kind: 'upstream-error',
      status: 404,
      body: { code: 'entity.not_found', message: 'The resource does not exist.' },
    });
    expect(await tool(remove(viaRest.id).mcp)).toEqual(gone);
    expect(await get(viaRest.id)).toMatchObject({
      kind: 'upstream-error',
      status: 404,
      body: { code: 'entity.not_exists_with_id' },
    });
    expect(
      await sameEverywhere(
        { method: 'GET', route: COLLECTION, query: { email: EMAIL } },
        { tool: 'get-one-time-tokens', args: { email: EMAIL } },
      ),
    ).toEqual({ kind: 'data', data: [] });
  });
});
