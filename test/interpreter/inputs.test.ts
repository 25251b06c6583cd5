// Exposed REST inputs from every location the alpha2 schema allows: here the cookie one (read from the
// Cookie header, percent-decoded), documented in OpenAPI as `in: cookie`.

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { serveCapability, type Served } from '../support/capability.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/capabilities/cookie-input.yaml');

describe('an `in: cookie` input (cookie-input.yaml)', () => {
  let up: RecordingUpstream;
  let served: Served;
  beforeAll(async () => {
    up = await startRecordingUpstream();
    served = await serveCapability(FIXTURE, { baseUris: { api: up.url } });
  });
  afterAll(async () => {
    await served.close();
    await up.close();
  });

  it('is read from the Cookie header and feeds the consumed template', async () => {
    up.respond(() => ({ body: [] }));
    const res = await fetch(`${served.url('api-rest')}/items`, { headers: { cookie: 'theme=dark; session=s%20123' } });
    expect(res.status).toBe(200);
    expect(up.requests[0]?.headers['x-session']).toBe('s 123');
    // Not from the query string.
    up.reset();
    up.respond(() => ({ body: [] }));
    await fetch(`${served.url('api-rest')}/items?session=nope`);
    expect(up.requests[0]?.headers['x-session']).toBeUndefined();
  });

  it('is documented as a cookie parameter', async () => {
    const doc = (await (await fetch(`${served.url('api-rest')}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
    };
    expect(doc.paths['/items']?.['get']?.parameters).toContainEqual(
      expect.objectContaining({ name: 'session', in: 'cookie' }),
    );
  });
});
