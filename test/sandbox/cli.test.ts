// `runtime sandbox logto`: flags, banner, serving until stopped, usage errors.
import { request } from 'undici';
import { describe, expect, it } from 'vitest';

import { UsageError, type CliIO } from '../../src/cli/io.js';
import { sandboxCommand } from '../../src/cli/sandbox.js';

function memoryIO(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env: {},
    isTTY: false,
    cwd: process.cwd(),
  };
}

async function waitFor(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 5));
}

describe('runtime sandbox logto', () => {
  it('prints its URL and token hint, serves the API, and stops on the signal with exit 0', async () => {
    const io = memoryIO();
    const stop = new AbortController();
    const running = sandboxCommand(['logto', '--port', '0', '--token', 'T', '--tenant-id', 'acme'], io, stop.signal);
    await waitFor(() => io.out.length >= 2);
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+) \(API under \/api/.exec(io.out[0] ?? '')?.[1];
    expect(url).toBeDefined();
    expect(io.out[1]).toContain("'Authorization: Bearer T'");

    const res = await request(`${url}/api/one-time-tokens`, {
      method: 'POST',
      headers: { authorization: 'Bearer T', 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com' }),
    });
    expect(res.statusCode).toBe(201);
    expect(((await res.body.json()) as { tenantId: string }).tenantId).toBe('acme');

    stop.abort();
    expect(await running).toBe(0);
    expect(io.out.at(-1)).toBe('Logto sandbox stopped\n');
  });

  it('explains the open mode when started without a token', async () => {
    const io = memoryIO();
    const stop = new AbortController();
    stop.abort();
    expect(await sandboxCommand(['logto', '--port', '0'], io, stop.signal)).toBe(0);
    expect(io.out.join('')).toContain("Any 'Authorization: Bearer <non-empty>' header is accepted");
  });

  it('rejects an unknown sandbox name, a bad port and a bad client with UsageError', async () => {
    const io = memoryIO();
    await expect(sandboxCommand(['keycloak'], io)).rejects.toBeInstanceOf(UsageError);
    await expect(sandboxCommand([], io)).rejects.toBeInstanceOf(UsageError);
    await expect(sandboxCommand(['logto', '--port', 'x'], io)).rejects.toBeInstanceOf(UsageError);
    await expect(sandboxCommand(['logto', '--client', 'nosecret'], io)).rejects.toBeInstanceOf(UsageError);
  });

  it('prints usage for --help', async () => {
    const io = memoryIO();
    expect(await sandboxCommand(['--help'], io)).toBe(0);
    expect(io.out.join('')).toContain('Usage: runtime sandbox logto');
  });
});
