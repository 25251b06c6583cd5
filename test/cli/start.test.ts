// The CLI as a user runs it: `node dist/cli.js start …` in a child process.

import { describe, expect, it } from 'vitest';
import { canary } from '../support/canary.js';
import { runCli as run, SEED_PATH as SEED } from '../support/cli.js';

const KEY = canary('logto-api-key');

describe('runtime start', () => {
  it('without LOGTO_API_KEY and without --sandbox: exit 1 naming the variable and --sandbox', async () => {
    const p = run(['start', SEED, '--rest-port', '0', '--mcp-port', '0', '--var', 'tenant_id=acme']);
    expect(await p.exit).toBe(1);
    expect(p.err()).toContain('LOGTO_API_KEY');
    expect(p.err()).toContain('--sandbox');
  });

  it('without the tenant variable: exit 1 naming it and both ways to set it', async () => {
    const p = run(['start', SEED, '--rest-port', '0', '--mcp-port', '0'], { LOGTO_API_KEY: KEY });
    expect(await p.exit).toBe(1);
    expect(p.err()).toMatch(/tenant_id/);
    expect(p.err()).toMatch(/--var tenant_id=/);
    expect(p.err()).toMatch(/--base-uri logto-one-time-tokens=/);
    expect(p.err()).not.toContain(KEY);
  });

  it('with --sandbox: banner with URLs, serves, and stops with exit 0 on SIGTERM', async () => {
    const p = run(['start', SEED, '--sandbox', '--rest-port', '0', '--mcp-port', '0']);
    const m = await p.waitFor(/REST adapter '[^']+' listening on (http:\/\/127\.0\.0\.1:\d+)/);
    await p.waitFor(/embedded Logto sandbox/);
    const url = m[1] as string;
    const res = await fetch(`${url}/v1/api/one-time-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'cli@example.com' }),
    });
    expect(res.status).toBe(201);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    const lines = p
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(
      lines.some(
        (l) =>
          l['msg'] === 'request' &&
          l['binding'] === 'logto-one-time-tokens-rest.addonetimetokens' &&
          l['upstreamStatus'] === 201,
      ),
    ).toBe(true);
  });

  it('an unknown flag is a usage error (exit 2)', async () => {
    const p = run(['start', SEED, '--nope']);
    expect(await p.exit).toBe(2);
  });

  it('--version and --help', async () => {
    const v = run(['--version']);
    expect(await v.exit).toBe(0);
    expect(v.out()).toMatch(/^runtime \d+\.\d+\.\d+/);
    const h = run(['start', '--help']);
    expect(await h.exit).toBe(0);
    expect(h.out()).toContain('--sandbox');
  });
});
