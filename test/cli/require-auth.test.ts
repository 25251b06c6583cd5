// Bind-and-warn (DESIGN §5): an adapter reachable beyond loopback without inbound auth hands the
// Management API token to anyone who can reach it. The CLI says so loudly, or refuses with
// --require-auth / RUNTIME_REQUIRE_AUTH=1; a runtime-wide token silences both. Needs `npm run build`.

import { describe, expect, it } from 'vitest';
import { canary } from '../support/canary.js';
import { jsonLines as lines, runCli as run, SEED_PATH as SEED, type CliProcess } from '../support/cli.js';

const WIDE = ['start', SEED, '--sandbox', '--host', '0.0.0.0', '--rest-port', '0', '--mcp-port', '0'];

/** The listening port of an adapter from its banner line, reached over loopback. */
async function local(p: CliProcess, kind: 'REST' | 'MCP'): Promise<string> {
  const m = await p.waitFor(new RegExp(`${kind} adapter '[^']+' listening on http://0\\.0\\.0\\.0:(\\d+)`));
  return `http://127.0.0.1:${m[1]}`;
}

describe('listening beyond loopback', () => {
  it('without inbound auth: a warning per adapter naming it and the risk, and it serves', async () => {
    const p = run(WIDE);
    const rest = await local(p, 'REST');
    await local(p, 'MCP');
    const warnings = lines(p.out()).filter((l) => l['level'] === 40 && String(l['msg']).startsWith('SECURITY:'));
    expect(warnings.map((w) => w['adapter'])).toEqual(['logto-one-time-tokens-rest', 'logto-one-time-tokens-mcp']);
    for (const w of warnings) {
      expect(w['host']).toBe('0.0.0.0');
      expect(String(w['msg'])).toMatch(/adapter '[^']+' would listen on 0\.0\.0\.0 without inbound authentication/);
      expect(String(w['msg'])).toContain('mint sign-in tokens for any user');
    }
    expect(String(warnings[0]?.['msg'])).toMatch(/^SECURITY: REST adapter/);
    expect(String(warnings[1]?.['msg'])).toMatch(/^SECURITY: MCP adapter/);
    expect((await fetch(`${rest}/v1/api/one-time-tokens`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
  });

  it.each([
    ['--require-auth', [...WIDE, '--require-auth'], {}],
    ['RUNTIME_REQUIRE_AUTH=1', WIDE, { RUNTIME_REQUIRE_AUTH: '1' }],
  ])('with %s and no inbound auth: exit 1 with a message saying why and what to do', async (_name, args, env) => {
    const p = run(args, env);
    expect(await p.exit).toBe(1);
    expect(p.err()).toMatch(
      /^runtime start: REST adapter 'logto-one-time-tokens-rest' would listen on 0\.0\.0\.0 without inbound authentication/,
    );
    expect(p.err()).toContain('Refusing to start (--require-auth)');
    expect(p.err()).toContain('set RUNTIME_AUTH_TOKEN');
    expect(p.err()).toContain('listen on 127.0.0.1');
    expect(p.out()).not.toMatch(/listening on/);
  });

  it('with RUNTIME_AUTH_TOKEN (and --require-auth): no warning, it starts, and the token is required', async () => {
    const token = canary('runtime-auth-token');
    const p = run([...WIDE, '--require-auth'], { RUNTIME_AUTH_TOKEN: token });
    const rest = await local(p, 'REST');
    const mcp = await local(p, 'MCP');
    expect(p.out()).not.toContain('SECURITY');
    expect(p.out()).toMatch(/listening on http:\/\/0\.0\.0\.0:\d+ \(inbound auth on\)/);
    expect((await fetch(`${rest}/v1/api/one-time-tokens`)).status).toBe(401);
    const ok = await fetch(`${rest}/v1/api/one-time-tokens`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect((await fetch(`${mcp}/health/ready`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
  });

  it('on loopback: neither a warning nor a refusal, even with --require-auth', async () => {
    const p = run(['start', SEED, '--sandbox', '--rest-port', '0', '--mcp-port', '0', '--require-auth']);
    await p.waitFor(/MCP adapter '[^']+' listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(p.out()).not.toContain('SECURITY');
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
  });
});
