// capabilities/examples/orchestration.yaml, the example docs/aggregates.md, steps.md and mocks.md point to:
// it loads with no warning and serves what the docs say.

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { dataOf, serveCapability, type Served } from '../support/capability.js';
import { loadCapability } from '../../src/spec/load.js';

const EXAMPLE = resolve(import.meta.dirname, '../../capabilities/examples/orchestration.yaml');

describe('capabilities/examples/orchestration.yaml', () => {
  let up: RecordingUpstream;
  let served: Served;
  beforeAll(async () => {
    up = await startRecordingUpstream();
    up.respond((req) =>
      req.path === '/crew'
        ? { body: [{ crewId: 'C1', fullName: 'Elena Marsh', role: 'captain' }] }
        : { body: { imo_number: 'IMO-1', vessel_name: 'Aurora', assignedCrew: ['C1'] } },
    );
    served = await serveCapability(EXAMPLE, { baseUris: { registry: up.url } });
  });
  afterAll(async () => {
    await served.close();
    await up.close();
  });

  it('loads with no diagnostics and every exposed item is served', async () => {
    expect((await loadCapability(EXAMPLE)).diagnostics).toEqual([]);
    expect(served.runtime.table.unsupported).toEqual([]);
    expect(served.runtime.table.bindings).toHaveLength(5);
  });

  it('the aggregate steps function answers the same over REST and MCP', async () => {
    const expected = { imo: 'IMO-1', name: 'Aurora', crew: [{ fullName: 'Elena Marsh', role: 'captain' }] };
    const rest = await fetch(`${served.url('fleet-api')}/ships/IMO-1/crew`);
    expect(await rest.json()).toEqual(expected);
    for (const r of await served.tool('fleet-tools', 'get-ship-with-crew', { imo: 'IMO-1' }))
      expect(dataOf(r)).toEqual(expected);
  });

  it('the aggregate mock and the plain mock answer without an upstream', async () => {
    up.reset();
    expect(await (await fetch(`${served.url('fleet-api')}/ports/NLRTM`)).json()).toEqual({ port: 'NLRTM', open: true });
    for (const r of await served.tool('fleet-tools', 'about'))
      expect(dataOf(r)).toEqual({ name: 'orchestration example' });
    expect(up.requests).toEqual([]);
  });
});
