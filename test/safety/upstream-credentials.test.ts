// Static upstream credentials of every kind the spec allows (bearer, apikey in a header or the query,
// basic), written into the capability with values from binds: each reaches the upstream as it should,
// over both adapters, and none comes back to a caller or into a log (the canary check at file end).

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { modern, rpcResult } from '../mcp/wire.js';
import { canary } from '../support/canary.js';
import { SEED, startTestRuntime, type TestRuntime } from '../support/runtime.js';

const SEED_AUTH = "    authentication:\n      type: bearer\n      token: '{{env.LOGTO_API_KEY}}'\n";
const KEY = canary('upstream-key');
const USER = 'svc-runtime';
const PASSWORD = canary('upstream-password');

interface Kind {
  readonly name: string;
  readonly auth: string;
  readonly env: Record<string, string>;
  /** What the recorded upstream request must carry. */
  readonly check: (req: { headers: Record<string, unknown>; query: string }) => void;
}

const KINDS: Kind[] = [
  {
    name: 'bearer',
    auth: SEED_AUTH,
    env: { LOGTO_API_KEY: KEY },
    check: (r) => expect(r.headers['authorization']).toBe(`Bearer ${KEY}`),
  },
  {
    name: 'apikey in a header',
    auth: "    authentication:\n      type: apikey\n      key: X-Logto-Key\n      value: '{{env.LOGTO_API_KEY}}'\n      placement: header\n",
    env: { LOGTO_API_KEY: KEY },
    check: (r) => {
      expect(r.headers['x-logto-key']).toBe(KEY);
      expect(r.headers['authorization']).toBeUndefined();
    },
  },
  {
    name: 'apikey in the query',
    auth: "    authentication:\n      type: apikey\n      key: api_key\n      value: '{{env.LOGTO_API_KEY}}'\n      placement: query\n",
    env: { LOGTO_API_KEY: KEY },
    check: (r) => expect(new URLSearchParams(r.query).getAll('api_key')).toEqual([KEY]),
  },
  {
    name: 'basic',
    auth: `    authentication:\n      type: basic\n      username: ${USER}\n      password: '{{env.LOGTO_API_KEY}}'\n`,
    env: { LOGTO_API_KEY: PASSWORD },
    check: (r) =>
      expect(r.headers['authorization']).toBe(`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`),
  },
];

function capabilityWith(auth: string): string {
  const seed = readFileSync(SEED, 'utf8');
  expect(seed).toContain(SEED_AUTH);
  const file = join(mkdtempSync(join(tmpdir(), 'upstream-auth-')), 'capability.yaml');
  writeFileSync(file, seed.replace(SEED_AUTH, auth));
  return file;
}

describe.each(KINDS)('upstream $name', (kind) => {
  let up: RecordingUpstream;
  let rt: TestRuntime;
  beforeAll(async () => {
    up = await startRecordingUpstream();
    rt = await startTestRuntime({
      file: capabilityWith(kind.auth),
      env: kind.env,
      baseUris: { 'logto-one-time-tokens': up.url },
    });
  });
  afterAll(async () => {
    await rt?.close();
    await up?.close();
  });

  it('REST and MCP calls carry it upstream; the caller’s own credentials never go', async () => {
    // The upstream echoes what it got, as a careless or hostile one might: the runtime must scrub it.
    up.respond((req) => ({ status: 401, body: { code: 'auth.unauthorized', message: JSON.stringify(req.headers) } }));
    const rest = await rt.rest('/v1/api/one-time-tokens?email=a%40b.co', {
      headers: { authorization: 'Bearer caller-token', 'x-logto-key': 'caller-key' },
    });
    // The upstream refused the runtime's credentials: a 502 saying so, never a 401 blaming the caller.
    expect(rest.status).toBe(502);
    const mcp = await modern(rt.mcpUrl, 'tools/call', { name: 'get-one-time-tokens', arguments: {} });
    expect(rpcResult(mcp)['isError']).toBe(true);
    expect(up.requests).toHaveLength(2);
    for (const r of up.requests) {
      kind.check(r);
      expect(JSON.stringify(r.headers)).not.toContain('caller-');
    }
    expect(new URLSearchParams(up.requests[0]?.query).get('email')).toBe('a@b.co');
  });
});
