// `hints.idempotent: true` is the one way a POST becomes retriable: the tool that declares it is
// retried on a 503, while its REST twin (same upstream operation, no hint) is still sent once.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { modern, rpcResult } from '../mcp/wire.js';
import { json, SEED, startTestRuntime, type TestRuntime } from '../support/runtime.js';

const CREATE_HINTS = `    - name: create-one-time-token
      description: Create one-time token
      hints:
        readOnly: false
        destructive: false
        idempotent: false
`;

let up: RecordingUpstream;
let rt: TestRuntime;
beforeAll(async () => {
  const seed = readFileSync(SEED, 'utf8');
  expect(seed).toContain(CREATE_HINTS);
  const file = join(mkdtempSync(join(tmpdir(), 'idempotent-')), 'capability.yaml');
  writeFileSync(file, seed.replace(CREATE_HINTS, CREATE_HINTS.replace('idempotent: false', 'idempotent: true')));
  up = await startRecordingUpstream();
  rt = await startTestRuntime({ file, baseUris: { 'logto-one-time-tokens': up.url } });
});
afterAll(async () => {
  await rt?.close();
  await up?.close();
});

const busy = { status: 503, headers: { 'retry-after': '0' }, body: { code: 'busy', message: 'try again' } };
const created = { status: 201, body: { id: 'tok_1' } };

it('the MCP tool declared idempotent is retried after a 503 and succeeds', async () => {
  up.reset();
  up.script(busy, created);
  const res = await modern(rt.mcpUrl, 'tools/call', {
    name: 'create-one-time-token',
    arguments: { body: { email: 'a@b.co' } },
  });
  expect(rpcResult(res)['structuredContent']).toEqual({ id: 'tok_1' });
  expect(up.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
});

it('the REST route for the same operation, with no hint, is sent once and answers the 503', async () => {
  up.reset();
  up.script(busy, created);
  const res = await rt.rest('/v1/api/one-time-tokens', { method: 'POST', ...json({ email: 'a@b.co' }) });
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('0');
  expect(up.requests).toHaveLength(1);
});
