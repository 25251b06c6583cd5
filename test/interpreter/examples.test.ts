// The runnable examples the interpreter docs point to (capabilities/examples/orchestration.yaml for
// aggregates, steps and mocks; formats.yaml; scripts.yaml): each loads with no warning and serves what its doc says.

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { dataOf, serveCapability, type Served } from '../support/capability.js';
import { loadCapability } from '../../src/spec/load.js';

const EXAMPLES = resolve(import.meta.dirname, '../../capabilities/examples');
const EXAMPLE = resolve(EXAMPLES, 'orchestration.yaml');

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

describe('capabilities/examples/formats.yaml', () => {
  it('decodes XML, CSV and YAML upstreams over MCP and REST', async () => {
    const up = await startRecordingUpstream();
    up.respond((req) =>
      req.path === '/vessels.xml'
        ? {
            headers: { 'content-type': 'application/xml' },
            body: '<v><vessel><code>A</code><name>Aurora</name></vessel><vessel><code>B</code><name>Borealis</name></vessel></v>',
          }
        : req.path === '/ports.csv'
          ? { headers: { 'content-type': 'text/csv' }, body: 'code,name\nNLRTM,Rotterdam\n' }
          : { headers: { 'content-type': 'application/yaml' }, body: '- berth: 1\n  free: true\n' },
    );
    const file = resolve(EXAMPLES, 'formats.yaml');
    expect((await loadCapability(file)).diagnostics).toEqual([]);
    const served = await serveCapability(file, { baseUris: { dockyard: up.url } });
    try {
      const [vessels] = await served.tool('dockyard-tools', 'list-vessels');
      expect(dataOf(vessels!)).toEqual([
        { code: 'A', name: 'Aurora' },
        { code: 'B', name: 'Borealis' },
      ]);
      const [ports] = await served.tool('dockyard-tools', 'list-ports');
      expect(dataOf(ports!)).toEqual([{ code: 'NLRTM', name: 'Rotterdam' }]);
      const [berths] = await served.tool('dockyard-tools', 'list-berths');
      expect(dataOf(berths!)).toEqual([{ berth: 1, free: true }]);
      expect(await (await fetch(`${served.url('dockyard-api')}/vessels`)).json()).toEqual([
        { code: 'A' },
        { code: 'B' },
      ]);
    } finally {
      await served.close();
      await up.close();
    }
  });
});

describe('capabilities/examples/scripts.yaml', () => {
  it('filters the call step’s members with the sandboxed script', async () => {
    const up = await startRecordingUpstream();
    up.respond(() => ({
      body: [
        { login: 'ada', id: 1, type: 'User' },
        { login: 'ci', id: 2, type: 'Bot' },
      ],
    }));
    const file = resolve(EXAMPLES, 'scripts.yaml');
    expect((await loadCapability(file)).diagnostics).toEqual([]);
    const served = await serveCapability(file, { baseUris: { org: up.url } });
    try {
      for (const r of await served.tool('org-tools', 'active-members'))
        expect(dataOf(r)).toEqual({ members: [{ login: 'ada', id: 1 }] });
    } finally {
      await served.close();
      await up.close();
    }
  });
});
