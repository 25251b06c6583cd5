// REST passes a plain 2xx JSON body on as the bytes the upstream sent (src/consume/plain-json.ts), scrubbed once
// on the way out. A hostile upstream that spells the key with JSON escapes (`\u0063anary…`, `\/`) would slip
// past a scrubber matching the literal form: such a body takes the parse path, is re-serialised with the plain
// spelling, and is masked. Issue 14 (the pass-through) keeping issue 13 (no key leaks) true.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { canary } from '../support/canary.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { BASE } from './faults-support.js';

const KEY = canary('logto-api-key');
const NAMESPACE = 'logto-one-time-tokens';

let up: RecordingUpstream;
let rt: TestRuntime;

const json = (text: string) => ({ headers: { 'content-type': 'application/json' }, body: Buffer.from(text) });

beforeAll(async () => {
  up = await startRecordingUpstream();
  rt = await startTestRuntime({ env: { LOGTO_API_KEY: KEY }, baseUris: { [NAMESPACE]: up.url } });
});
afterAll(async () => {
  await rt?.close();
  await up?.close();
});

describe('an upstream echoing the key in escaped spellings', () => {
  const unicode = `\\u${KEY.charCodeAt(0).toString(16).padStart(4, '0')}${KEY.slice(1)}`;
  for (const [what, text] of [
    ['a \\u escape', `{"id":"tok1","echo":"${unicode}"}`],
    ['a \\/ inside', `{"id":"tok1","echo":"x\\/${KEY}"}`],
    ['an escape elsewhere in the body', `{"id":"tok1","note":"a\\nb","echo":"${KEY}"}`],
  ] as const) {
    it(`${what}: the caller gets the value masked`, async () => {
      up.script(json(text));
      const res = await rt.rest(`${BASE}/tok1`);
      const body = await res.text();
      expect(res.status).toBe(200);
      expect(JSON.stringify(JSON.parse(body))).not.toContain(KEY);
      expect(body).not.toContain(KEY.slice(1));
      expect(body).toContain('[REDACTED]');
    });
  }

  it('a plain body is passed on byte for byte, the literal key masked', async () => {
    const text = `{ "id": "tok1",\n  "echo": "Bearer ${KEY}", "n": [1, 2.5, -3] }`;
    up.script(json(text));
    const res = await rt.rest(`${BASE}/tok1`);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.text()).toBe(text.replace(KEY, '[REDACTED]'));
  });
});
