// Orchestration steps end to end: call steps whose outputs later steps and templates read, a lookup join,
// mappings building the result, and failures that name the step. Scenarios ported from the reference engine
// (ikanos v1.0.0-alpha2): OperationStepExecutorIntegrationTest, LookupExecutorTest, StepOutputMappingTest,
// StepWithNamespaceIntegrationTest (mcp/mcp-step-with-namespace-capability.yaml) and
// AggregateStepNamespaceIntegrationTest (aggregates/aggregate-step-with-namespace.yaml).

import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { dataOf, serveCapability, type Served } from '../support/capability.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/capabilities/steps-lookup.yaml');
const ENGINE = resolve(import.meta.dirname, '../fixtures/engine');

const SHIP = {
  imo_number: 'IMO-9321483',
  vessel_name: 'Northern Star',
  dimensions: { length_overall: 229 },
  assignedCrew: ['CREW-001', 'CREW-003', 'CREW-404'],
  certificate: { id: 'CERT-7' },
};
const CREW = [
  { crewId: 'CREW-001', fullName: 'Elena Marsh', role: 'captain', email: 'e@x' },
  { crewId: 'CREW-002', fullName: 'Tom Reed', role: 'engineer', email: 't@x' },
  { crewId: 'CREW-003', fullName: 'Aiko Sato', role: 'first-officer', email: 'a@x' },
];

function registry(up: RecordingUpstream, overrides: Record<string, { status: number; body: object }> = {}) {
  up.respond((req) => {
    const o = overrides[req.path];
    if (o) return o;
    if (req.path === '/ships/IMO-9321483') return { body: SHIP };
    if (req.path === '/crew') return { body: CREW };
    if (req.path === '/certificates/CERT-7') return { body: { id: 'CERT-7', issuer: 'DNV' } };
    return { status: 404, body: { code: 'not_found', message: `no ${req.path}` } };
  });
}

describe('call + lookup + mappings (steps-lookup.yaml)', () => {
  let up: RecordingUpstream;
  let served: Served;
  beforeAll(async () => {
    up = await startRecordingUpstream();
    served = await serveCapability(FIXTURE, { baseUris: { registry: up.url } });
  });
  afterAll(async () => {
    await served.close();
    await up.close();
  });
  beforeEach(() => up.reset());

  it('runs the steps in order; templates read earlier outputs; the lookup joins; mappings nest', async () => {
    registry(up);
    const [v2, v1] = await served.tool('fleet-tools', 'get-ship-with-crew', { imo: 'IMO-9321483' });
    const expected = {
      imo: 'IMO-9321483',
      specs: { length: 229 },
      // CREW-404 has no match: left out, as the engine does.
      crew: [
        { fullName: 'Elena Marsh', role: 'captain' },
        { fullName: 'Aiko Sato', role: 'first-officer' },
      ],
      certificate: { issuer: 'DNV' },
    };
    expect(dataOf(v2!)).toEqual(expected);
    expect(dataOf(v1!)).toEqual(expected);
    // Both client generations call at once, so their requests interleave; each sent the same three, in order.
    const calls = up.requests.map((r) => `${r.method} ${r.url}`);
    const once = ['GET /ships/IMO-9321483', 'GET /crew?vessel=Northern+Star', 'GET /certificates/CERT-7'];
    expect([...calls].sort()).toEqual([...once, ...once].sort());
  });

  it('REST runs the same kind of plan, the exposed namespace reference feeding the first step', async () => {
    registry(up);
    const res = await fetch(`${served.url('fleet-api')}/ships/IMO-9321483/crew`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      imo: 'IMO-9321483',
      crew: [{ fullName: 'Elena Marsh' }, { fullName: 'Aiko Sato' }],
    });
    // A step whose `with` names nothing sends no query: `vessel` is not in its parameter map.
    expect(up.requests.map((r) => r.url)).toEqual(['/ships/IMO-9321483', '/crew']);
  });

  it('a failing first step ends the call: no later step runs, the error names the step and the status', async () => {
    registry(up);
    const rest = await fetch(`${served.url('fleet-api')}/ships/IMO-0000000/crew`);
    expect(rest.status).toBe(404);
    const problem = (await rest.json()) as Record<string, unknown>;
    expect(problem['code']).toBe('NAF_ERR_STEP_FAILED');
    expect(problem).toMatchObject({ step: 'get-ship', upstreamStatus: 404 });
    expect(problem['detail']).toBe(
      "Step 'get-ship' (registry.get-ship) failed: upstream answered HTTP 404: not_found — no /ships/IMO-0000000",
    );
    for (const r of await served.tool('fleet-tools', 'get-ship-with-crew', { imo: 'IMO-0000000' })) {
      expect(r.isError).toBe(true);
      expect(r.content[0]?.text).toContain("Step 'get-ship' (registry.get-ship) failed: upstream answered HTTP 404");
      expect(r.structuredContent).toMatchObject({
        error: 'NAF_ERR_STEP_FAILED',
        kind: 'upstream_step',
        step: 'get-ship',
        upstreamStatus: 404,
      });
    }
    expect(up.requests.map((r) => r.path)).toEqual(['/ships/IMO-0000000', '/ships/IMO-0000000', '/ships/IMO-0000000']);
  });

  it('an upstream 5xx in a later step is a 502 naming that step; a 401 of ours is never the caller’s', async () => {
    registry(up, { '/crew': { status: 503, body: { message: 'down for maintenance' } } });
    const rest = await fetch(`${served.url('fleet-api')}/ships/IMO-9321483/crew`);
    expect(rest.status).toBe(502);
    expect(((await rest.json()) as { detail: string }).detail).toBe(
      "Step 'list-crew' (registry.list-crew) failed: upstream answered HTTP 503: down for maintenance",
    );
    up.reset();
    registry(up, { '/crew': { status: 401, body: { message: 'bad token' } } });
    expect((await fetch(`${served.url('fleet-api')}/ships/IMO-9321483/crew`)).status).toBe(502);
  });

  it('an unreachable step upstream is reported with the step’s name, never a crash', async () => {
    const dead = await serveCapability(FIXTURE, { baseUris: { registry: 'http://127.0.0.1:1' } });
    try {
      const rest = await fetch(`${dead.url('fleet-api')}/ships/IMO-9321483/crew`);
      expect(rest.status).toBe(502);
      const p = (await rest.json()) as { code: string; detail: string };
      expect(p.code).toBe('NAF_ERR_UPSTREAM_UNREACHABLE');
      expect(p.detail.startsWith("Step 'get-ship': ")).toBe(true);
    } finally {
      await dead.close();
    }
  });

  it('a missing required argument is refused before any step runs', async () => {
    for (const r of await served.tool('fleet-tools', 'get-ship-with-crew', {})) {
      expect(r.isError).toBe(true);
      expect(r.content[0]?.text).toContain("'imo'");
    }
    expect(up.requests).toEqual([]);
  });
});

describe('namespace-qualified references in step `with` (engine fixtures)', () => {
  let up: RecordingUpstream;
  beforeAll(async () => {
    up = await startRecordingUpstream();
    up.respond(() => ({ body: { voyageId: 'VOY-2026-042', status: 'planned' } }));
  });
  afterAll(() => up.close());

  it('`shipyard-tools.voyageId` in a tool step resolves to the caller’s argument', async () => {
    const served = await serveCapability(resolve(ENGINE, 'mcp/mcp-step-with-namespace-capability.yaml'), {
      baseUris: { registry: up.url },
    });
    try {
      up.reset();
      up.respond(() => ({ body: { voyageId: 'VOY-2026-042', status: 'planned' } }));
      for (const r of await served.tool('shipyard-tools', 'get-voyage-manifest', { voyageId: 'VOY-2026-042' }))
        expect(dataOf(r)).toEqual({ voyageId: 'VOY-2026-042' });
      expect(up.requests.map((r) => r.path)).toEqual(['/voyages/VOY-2026-042', '/voyages/VOY-2026-042']);
    } finally {
      await served.close();
    }
  });

  it('`shipyard.voyage-id` in an aggregate function’s step resolves to the caller’s argument, not a literal', async () => {
    const served = await serveCapability(resolve(ENGINE, 'aggregates/aggregate-step-with-namespace.yaml'), {
      baseUris: { registry: up.url },
    });
    try {
      up.reset();
      up.respond(() => ({ body: { voyageId: 'VOY-2026-042' } }));
      for (const r of await served.tool('shipyard-mcp', 'get-voyage-manifest', { 'voyage-id': 'VOY-2026-042' }))
        expect(dataOf(r)).toEqual({ 'voyage-id': 'VOY-2026-042' });
      expect(up.requests.map((r) => r.path)).toEqual(['/voyages/VOY-2026-042', '/voyages/VOY-2026-042']);
    } finally {
      await served.close();
    }
  });
});
