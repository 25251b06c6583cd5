// REST ↔ MCP parity of compiled plans (issue 10): steps with a lookup and mappings, an aggregate `ref`, a mock
// and an XML upstream, each exposed as a REST operation and an MCP tool of one file
// (test/fixtures/capabilities/parity-interpreter.yaml), against the shipyard stand-in. Every case runs once
// over REST and once per MCP client generation; all must send the same upstream requests and give the same
// outcome (data, error kind and code, upstream status), including a step that fails mid-plan.

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY } from '../../src/consume/retry.js';
import type { RecordedRequest, UpstreamAnswer } from '../helpers/recording-upstream.js';
import { startShipyard, type Shipyard } from '../helpers/shipyard-upstream.js';
import { canary } from '../support/canary.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import type { McpCall, RestCall } from './cases.js';
import {
  callRest,
  comparable,
  connectMcp,
  mcpOutcome,
  restOutcome,
  textOf,
  wrapForEra,
  type McpSide,
  type Outcome,
} from './sides.js';

const FILE = resolve(import.meta.dirname, '../fixtures/capabilities/parity-interpreter.yaml');
const REGISTRY_TOKEN = canary('registry-token');
const DOCKYARD_KEY = canary('dockyard-key');

interface Sent {
  readonly api: 'registry' | 'legacy';
  readonly path: string;
  readonly query?: string;
}

interface PlanCase {
  readonly name: string;
  /** The plan kind both twins run: checked against the compiled table. */
  readonly plan: 'steps' | 'call' | 'mock';
  readonly rest: RestCall;
  readonly mcp: McpCall;
  /** REST status (MCP has none of its own). */
  readonly status: number;
  readonly outcome: Outcome;
  /** Every upstream request, in order per API; GETs only in this file. */
  readonly sends: readonly Sent[];
  /** An answer that replaces the example for matching requests, on every side's run. */
  readonly override?: { readonly api: Sent['api']; readonly path: string; readonly answer: UpstreamAnswer };
}

const crewRoute = (imo: string, voyageId: string): RestCall => ({
  method: 'GET',
  route: '/v1/ships/{imo}/voyages/{voyageId}/crew',
  params: { imo, voyageId },
});
const stepFailed = (step: string, call: string, status: number, said: string): Outcome => ({
  kind: 'runtime-error',
  code: 'NAF_ERR_STEP_FAILED',
  message: `Step '${step}' (${call}) failed: upstream answered HTTP ${status}${said ? `: ${said}` : ''}`,
});
const NORTHERN_STAR_OSLO = [
  { api: 'registry', path: '/ships/IMO-9321483' },
  { api: 'registry', path: '/voyages/VOY-2026-042' },
] as const;

const CASES: readonly PlanCase[] = [
  {
    name: 'steps: two calls, a lookup and dotted mappings',
    plan: 'steps',
    rest: crewRoute('IMO-9321483', 'VOY-2026-042'),
    mcp: { tool: 'voyage-crew', args: { imo: 'IMO-9321483', voyageId: 'VOY-2026-042' } },
    status: 200,
    outcome: {
      kind: 'data',
      data: {
        ship: 'Northern Star',
        route: { from: 'Oslo', to: 'Singapore' },
        crew: [
          { fullName: 'Erik Lindström', role: 'captain' },
          { fullName: 'Aiko Tanaka', role: 'cook' },
        ],
      },
    },
    sends: [...NORTHERN_STAR_OSLO, { api: 'registry', path: '/crew' }],
  },
  {
    name: 'steps: step 2 answers 404, so the call ends there naming it (the caller’s 404)',
    plan: 'steps',
    rest: crewRoute('IMO-9321483', 'VOY-0000-000'),
    mcp: { tool: 'voyage-crew', args: { imo: 'IMO-9321483', voyageId: 'VOY-0000-000' } },
    status: 404,
    outcome: stepFailed('get-voyage', 'registry.get-voyage', 404, 'Voyage VOY-0000-000 not found'),
    sends: [
      { api: 'registry', path: '/ships/IMO-9321483' },
      { api: 'registry', path: '/voyages/VOY-0000-000' },
    ],
  },
  {
    name: 'steps: step 1 answers 404, nothing else is called',
    plan: 'steps',
    rest: crewRoute('IMO-0000000', 'VOY-2026-042'),
    mcp: { tool: 'voyage-crew', args: { imo: 'IMO-0000000', voyageId: 'VOY-2026-042' } },
    status: 404,
    outcome: stepFailed('get-ship', 'registry.get-ship', 404, 'Ship with IMO number IMO-0000000 not found'),
    sends: [{ api: 'registry', path: '/ships/IMO-0000000' }],
  },
  {
    name: 'steps: step 3 answers 503 after its retries: 502, naming it',
    plan: 'steps',
    rest: crewRoute('IMO-9321483', 'VOY-2026-042'),
    mcp: { tool: 'voyage-crew', args: { imo: 'IMO-9321483', voyageId: 'VOY-2026-042' } },
    status: 502,
    outcome: stepFailed('list-crew', 'registry.list-crew', 503, 'unavailable'),
    override: { api: 'registry', path: '/crew', answer: { status: 503, body: { message: 'unavailable' } } },
    sends: [
      ...NORTHERN_STAR_OSLO,
      ...Array.from({ length: DEFAULT_RETRY.attempts }, () => ({ api: 'registry', path: '/crew' }) as const),
    ],
  },
  {
    name: 'aggregate ref: the function’s call, with and projection',
    plan: 'call',
    rest: { method: 'GET', route: '/v1/ships/{imo}/card', params: { imo: 'IMO-9456781' } },
    mcp: { tool: 'ship-card', args: { imo: 'IMO-9456781' } },
    status: 200,
    outcome: { kind: 'data', data: { title: 'Pacific Dawn', flag: 'SG', built: 2018 } },
    sends: [{ api: 'registry', path: '/ships/IMO-9456781' }],
  },
  {
    name: 'aggregate ref: the upstream 404 passes through',
    plan: 'call',
    rest: { method: 'GET', route: '/v1/ships/{imo}/card', params: { imo: 'IMO-0000000' } },
    mcp: { tool: 'ship-card', args: { imo: 'IMO-0000000' } },
    status: 404,
    outcome: {
      kind: 'upstream-error',
      status: 404,
      body: { error: 'not_found', message: 'Ship with IMO number IMO-0000000 not found' },
    },
    sends: [{ api: 'registry', path: '/ships/IMO-0000000' }],
  },
  {
    name: 'mock: rendered values, typed, no upstream',
    plan: 'mock',
    rest: { method: 'GET', route: '/v1/voyages/{voyageId}/draft', params: { voyageId: 'VOY-7' } },
    mcp: { tool: 'voyage-draft', args: { voyageId: 'VOY-7' } },
    status: 200,
    outcome: { kind: 'data', data: { voyageId: 'VOY-7', status: 'draft', legs: 2 } },
    sends: [],
  },
  {
    name: 'XML upstream: decoded, then projected',
    plan: 'call',
    rest: { method: 'GET', route: '/v1/legacy/vessels' },
    mcp: { tool: 'list-legacy-vessels', args: {} },
    status: 200,
    outcome: {
      kind: 'data',
      data: [
        { code: 'LEGACY-4012', name: 'Old Faithful' },
        { code: 'LEGACY-2087', name: 'Iron Maiden' },
      ],
    },
    sends: [{ api: 'legacy', path: '/vessels' }],
  },
  {
    name: 'XML upstream: one <vessel> is a list of one',
    plan: 'call',
    rest: { method: 'GET', route: '/v1/legacy/vessels', query: { status: 'active' } },
    mcp: { tool: 'list-legacy-vessels', args: { status: 'active' } },
    status: 200,
    outcome: { kind: 'data', data: [{ code: 'LEGACY-4012', name: 'Old Faithful' }] },
    sends: [{ api: 'legacy', path: '/vessels', query: 'status=active' }],
  },
];

let yard: Shipyard;
let rt: TestRuntime;
let mcp: McpSide[];
let restUrl: string;

beforeAll(async () => {
  yard = await startShipyard({ registryToken: REGISTRY_TOKEN, dockyardKey: DOCKYARD_KEY });
  rt = await startTestRuntime({
    file: FILE,
    baseUris: yard.baseUris,
    env: { REGISTRY_TOKEN, DOCKYARD_API_KEY: DOCKYARD_KEY },
  });
  restUrl = rt.urls['parity-rest'] ?? '';
  mcp = await connectMcp(`${rt.urls['parity-mcp'] ?? ''}/mcp`);
});
afterAll(async () => {
  await Promise.all((mcp ?? []).map((m) => m.close()));
  await rt?.close();
  await yard?.close();
});

const mcpName = (c: PlanCase) => c.mcp.tool;
const restKey = (c: PlanCase) => `${c.rest.method} ${c.rest.route}`;

describe('the case table', () => {
  it('covers every binding of the file, each twin pair running the same plan kind', () => {
    const bindings = rt.table.bindings;
    expect(rt.table.unsupported).toEqual([]);
    const tools = bindings.flatMap((b) => (b.expose.kind === 'mcp' ? [[b.expose.name, b.plan.kind]] : []));
    const routes = bindings.flatMap((b) =>
      b.expose.kind === 'rest' ? [[`${b.expose.method} ${b.expose.path}`, b.plan.kind]] : [],
    );
    const pairs = [...new Map(CASES.map((c) => [mcpName(c), c])).values()];
    expect(tools).toEqual(pairs.map((c) => [mcpName(c), c.plan]));
    expect(routes).toEqual(pairs.map((c) => [restKey(c), c.plan]));
  });
});

interface Side {
  readonly label: string;
  readonly outcome: Outcome;
  readonly requests: Array<ReturnType<typeof comparable> & { api: Sent['api'] }>;
}

async function run<T>(c: PlanCase, label: string, send: () => Promise<T>, toOutcome: (r: T) => Outcome) {
  yard.clear();
  const o = c.override;
  if (o) yard.override(o.api, (req: RecordedRequest) => (req.path === o.path ? o.answer : undefined));
  const reply = await send();
  const tag = (api: Sent['api']) => (r: RecordedRequest) => ({ api, ...comparable(r) });
  const requests = [...yard.registry.requests.map(tag('registry')), ...yard.legacy.requests.map(tag('legacy'))];
  const side: Side = { label, outcome: toOutcome(reply), requests };
  return { reply, side };
}

describe('REST and MCP twins', () => {
  it.each(CASES.map((c) => [`${c.mcp.tool} — ${c.name}`, c] as const))('%s', async (_n, c) => {
    const rest = await run(c, 'REST', () => callRest(restUrl, c.rest), restOutcome);
    const tools = [];
    for (const client of mcp)
      tools.push({ client, ...(await run(c, client.label, () => client.call(c.mcp), mcpOutcome)) });
    for (const { side } of tools) {
      expect(side.requests, `${side.label}: upstream requests differ from REST's`).toEqual(rest.side.requests);
      expect(side.outcome, `${side.label}: outcome differs from REST's`).toEqual(rest.side.outcome);
    }
    // Then what both must be.
    expect(rest.side.outcome).toEqual(c.outcome);
    expect(rest.reply.status).toBe(c.status);
    expect(
      rest.side.requests.map((r) => ({
        api: r.api,
        method: r.method,
        path: r.path,
        query: r.query.join('&'),
        credential: r.api === 'registry' ? r.headers['authorization'] : r.headers['x-dock-key'],
        body: r.body,
      })),
    ).toEqual(
      c.sends.map((s) => ({
        api: s.api,
        method: 'GET',
        path: s.path,
        query: s.query ?? '',
        credential: s.api === 'registry' ? `Bearer ${REGISTRY_TOKEN}` : DOCKYARD_KEY,
        body: undefined,
      })),
    );
    for (const { client, reply } of tools) {
      if (c.outcome.kind === 'data') {
        expect(reply.isError ?? false, client.label).toBe(false);
        expect(reply.structuredContent, client.label).toEqual(wrapForEra(c.outcome.data, client.era));
        expect(JSON.parse(textOf(reply)), client.label).toEqual(c.outcome.data);
      } else {
        expect(reply.isError, client.label).toBe(true);
        if (c.outcome.kind === 'runtime-error') {
          expect(textOf(reply), client.label).toContain(`(${c.outcome.code})`);
          // The structured error carries the code; the step is named in its message (the outcome above).
          expect(reply.structuredContent, client.label).toMatchObject({ error: c.outcome.code });
        }
      }
    }
  });
});
