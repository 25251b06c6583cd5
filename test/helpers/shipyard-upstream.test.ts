// The shipyard stand-in answers as the Microcks mocks would, from the documents' examples and dispatchers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShipyard, TUTORIAL_SECRETS, type Shipyard } from './shipyard-upstream.js';

let yard: Shipyard;
beforeAll(async () => {
  yard = await startShipyard();
});
afterAll(async () => {
  await yard?.close();
});

const registry = (path: string, init: RequestInit = {}) =>
  fetch(`${yard.baseUris.registry}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${TUTORIAL_SECRETS.registryToken}`, ...(init.headers ?? {}) },
  });
const legacy = (path: string) =>
  fetch(`${yard.baseUris.legacy}${path}`, { headers: { 'x-dock-key': TUTORIAL_SECRETS.dockyardKey } });
const names = async (res: Response) => ((await res.json()) as Array<{ vessel_name: string }>).map((s) => s.vessel_name);

describe('shipyard stand-in', () => {
  it('URI_PARAMS with a fallback: ?status= picks its example, anything else the fallback', async () => {
    expect(await names(await registry('/ships'))).toEqual(['Northern Star', 'Pacific Dawn']);
    expect(await names(await registry('/ships?status=maintenance'))).toEqual(['Pacific Dawn']);
    expect(await names(await registry('/ships?status=decommissioned'))).toEqual(['Northern Star', 'Pacific Dawn']);
  });

  it('URI_PARTS: the path value picks the example; an unknown one gets the documented 404', async () => {
    const ship = await registry('/ships/IMO-9456781');
    expect(await ship.json()).toMatchObject({ imo_number: 'IMO-9456781', assignedCrew: ['CREW-002', 'CREW-004'] });
    const missing = await registry('/ships/IMO-1');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found', message: 'Ship with IMO number IMO-0000000 not found' });
  });

  it("SCRIPT `return 'created'`: 201 with the request body's fields templated in", async () => {
    const res = await registry('/voyages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ shipImo: 'IMO-1', departurePort: 'Oslo' }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      voyageId: 'VOY-2026-042',
      shipImo: 'IMO-1',
      departurePort: 'Oslo',
      arrivalPort: '',
    });
  });

  it('the dockyard answers XML', async () => {
    const res = await legacy('/vessels?status=laid_up');
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(await res.text()).toContain('<vesselCode>LEGACY-2087</vesselCode>');
  });

  it('refuses a wrong or missing credential with 401, and records every request', async () => {
    yard.clear();
    expect((await fetch(`${yard.baseUris.registry}/crew`)).status).toBe(401);
    expect((await registry('/crew', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${yard.baseUris.legacy}/vessels`)).status).toBe(401);
    expect(yard.registry.requests.map((r) => r.headers.authorization)).toEqual([undefined, 'Bearer wrong']);
    expect(yard.legacy.requests).toHaveLength(1);
  });

  it('an override answers first until clear()', async () => {
    yard.override('registry', (req) => (req.path === '/crew' ? { status: 503 } : undefined));
    expect((await registry('/crew')).status).toBe(503);
    expect((await registry('/cargo')).status).toBe(200);
    yard.clear();
    expect((await registry('/crew')).status).toBe(200);
  });
});
