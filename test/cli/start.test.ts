// The CLI as a user runs it: `node dist/cli.js start …` in a child process.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canary, watch } from '../support/canary.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = resolve(ROOT, 'dist/cli.js');
const SEED = 'capabilities/logto-one-time-tokens.yaml';
const children: ChildProcessWithoutNullStreams[] = [];
const KEY = canary('logto-api-key');

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', LOG_FORMAT: 'json', ...env },
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  watch(`stdout of runtime ${args.join(' ')}`, () => out);
  watch(`stderr of runtime ${args.join(' ')}`, () => err);
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const waitFor = async (pattern: RegExp, ms = 10_000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const m = pattern.exec(out);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${pattern}; stdout:\n${out}\nstderr:\n${err}`);
  };
  return { child, exit, waitFor, out: () => out, err: () => err };
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

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
