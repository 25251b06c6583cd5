// Script steps end to end: a call step's output read by a sandboxed JavaScript step (the engine's
// filter-active.js scenario from ScriptStepExecutorTest, ikanos v1.0.0-alpha2), and hostile scripts — an
// endless loop, an allocation bomb — each a clear tool error while the process keeps serving.

import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { dataOf, serveCapability, type Served } from '../support/capability.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/script-capability/capability.yaml');

describe('script steps (script-capability/capability.yaml)', () => {
  let up: RecordingUpstream;
  let served: Served;
  beforeAll(async () => {
    up = await startRecordingUpstream();
    up.respond(() => ({
      body: [
        { login: 'ada', id: 1, type: 'User' },
        { login: 'ci-bot', id: 2, type: 'Bot' },
        { login: 'linus', id: 3, type: 'User' },
      ],
    }));
    served = await serveCapability(FIXTURE, { baseUris: { org: up.url } });
  });
  afterAll(async () => {
    await served.close();
    await up.close();
  });

  it('the script reads the call step’s output by step name and its result is mapped', async () => {
    for (const r of await served.tool('org-tools', 'active-members'))
      expect(dataOf(r)).toEqual({
        members: [
          { login: 'ada', id: 1 },
          { login: 'linus', id: 3 },
        ],
      });
  });

  it('an endless loop ends with a limit error naming the script; the next call is served', async () => {
    const started = Date.now();
    const [v2] = await served.tool('org-tools', 'spin');
    expect(v2?.isError).toBe(true);
    expect(v2?.content[0]?.text).toContain('infinite-loop.js');
    expect(v2?.structuredContent).toMatchObject({ error: 'NAF_ERR_SCRIPT_LIMIT' });
    // Generous: the file sets a 1 s timeout.
    expect(Date.now() - started).toBeLessThan(15_000);
    const [after] = await served.tool('org-tools', 'active-members');
    expect(after?.isError).toBeFalsy();
  });

  it('an allocation bomb ends with a limit error; the process stays up', async () => {
    const [v2] = await served.tool('org-tools', 'hog');
    expect(v2?.isError).toBe(true);
    expect(v2?.content[0]?.text).toContain('allocation-bomb.js');
    const [after] = await served.tool('org-tools', 'active-members');
    expect(after?.isError).toBeFalsy();
  });
});
