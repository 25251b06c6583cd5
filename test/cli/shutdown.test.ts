// Graceful shutdown of the real CLI: SIGTERM while 50 calls (REST and MCP) wait on a slow upstream.
// Every call must complete with its answer, new connections must be refused, and the exit code is 0.
// Needs `npm run build`.

import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { modern, rpcResult } from '../mcp/wire.js';
import { canary } from '../support/canary.js';
import { runCli, SEED_PATH as SEED } from '../support/cli.js';

const CALLS = 50;
const API_KEY = canary('logto-api-key');

/** Resolves true when a TCP connection to the port is refused, false when it is accepted. */
function refused(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED'));
  });
}

async function until(check: () => Promise<boolean>, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting until ${what}`);
}

function startCli(upstream: string, extra: string[] = []) {
  const cli = runCli(
    ['start', SEED, '--base-uri', `logto-one-time-tokens=${upstream}`, '--rest-port', '0', '--mcp-port', '0', ...extra],
    { LOGTO_API_KEY: API_KEY },
  );
  const urls = async () => {
    const rest = (await cli.waitFor(/REST adapter '[^']+' listening on (http:\/\/127\.0\.0\.1:\d+)/))[1] ?? '';
    const mcp = (await cli.waitFor(/MCP adapter '[^']+' listening on (http:\/\/127\.0\.0\.1:\d+\/mcp)/))[1] ?? '';
    return { rest, mcp };
  };
  return { ...cli, urls };
}

describe('SIGTERM with calls in flight', () => {
  let up: RecordingUpstream;
  let cli: ReturnType<typeof startCli> | undefined;
  beforeAll(async () => {
    up = await startRecordingUpstream();
  });
  afterEach(() => {
    if (cli?.child.exitCode === null) cli.child.kill('SIGKILL');
    up.reset();
  });
  afterAll(async () => up?.close());

  it('finishes all 50 calls, refuses new connections, and exits 0', async () => {
    up.respond(() => ({ delayMs: 1500, body: [{ id: 'tok_1', email: 'slow@example.com', status: 'active' }] }));
    cli = startCli(up.url);
    const { child, exit } = cli;
    const { rest, mcp } = await cli.urls();

    const calls = Array.from({ length: CALLS }, (_, i) =>
      i % 2 === 0
        ? fetch(`${rest}/v1/api/one-time-tokens?page=${i}`).then(async (r) => ({
            ok: r.status === 200,
            body: (await r.json()) as unknown,
          }))
        : modern(mcp, 'tools/call', { name: 'get-one-time-tokens', arguments: { page: i } }).then((r) => ({
            ok: r.status === 200 && rpcResult(r)['isError'] !== true && rpcResult(r)['content'] !== undefined,
            body: rpcResult(r)['structuredContent'],
          })),
    );
    await up.waitForRequests(CALLS);
    child.kill('SIGTERM');

    const ports = [rest, mcp].map((u) => Number(new URL(u).port));
    await until(async () => (await Promise.all(ports.map(refused))).every(Boolean), 'both ports refuse connections');
    // Still in flight when the listeners closed: the upstream holds every answer for 1.5 s.
    expect(up.requests.filter((r) => r.aborted)).toHaveLength(0);

    const results = await Promise.all(calls);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    for (const r of results) expect(r.body).toEqual([{ id: 'tok_1', email: 'slow@example.com', status: 'active' }]);
    expect(await exit).toBe(0);
    expect(up.requests).toHaveLength(CALLS);
    expect(up.requests.filter((r) => r.aborted)).toHaveLength(0);
    expect(cli.out()).toContain('"msg":"stopping: finishing in-flight calls"');
    expect(cli.out()).toContain('"msg":"stopped"');
    expect(cli.out()).not.toContain('grace period');
  });

  it('--shutdown-grace: calls still running when it ends are cut, their upstream calls aborted, exit 0', async () => {
    up.respond(() => ({ delayMs: 10_000, body: [] }));
    cli = startCli(up.url, ['--shutdown-grace', '300']);
    const { rest, mcp } = await cli.urls();
    const calls = [
      fetch(`${rest}/v1/api/one-time-tokens`).then(
        (r) => r.status,
        () => 'cut',
      ),
      modern(mcp, 'tools/call', { name: 'get-one-time-tokens', arguments: {} }).then(
        (r) => r.status,
        () => 'cut',
      ),
    ];
    await up.waitForRequests(2);
    cli.child.kill('SIGTERM');
    expect(await Promise.all(calls)).toEqual(['cut', 'cut']);
    expect(await cli.exit).toBe(0);
    await until(async () => up.requests.every((r) => r.aborted), 'the upstream sees both calls aborted');
    expect(cli.out()).toContain('"graceMs":300,"msg":"in-flight calls still running after the grace period');
  });
});
