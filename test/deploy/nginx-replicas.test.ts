// Scale-out as deploy/nginx.conf ships it: two runtime replicas sharing one upstream (`runtime sandbox logto`)
// behind Debian's nginx, round-robin on both ports. deploy/nginx.conf is used as written except for its `server`
// and `listen` lines (ephemeral ports here) and the file locations (a temp folder). A token created through one
// replica is read, verified and revoked through the other; MCP clients of both protocol generations work through
// the proxy; the replicas accept the public Host/Origin they are configured with and refuse others; the access
// log shows both replicas served.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBoth } from '../interpreter/mcp-clients.js';
import { canary } from '../support/canary.js';
import { freePort, restWalk, ROOT, start, type Proc } from './processes.js';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
const CI = process.env['CI'] === 'true';
if (!NGINX && CI) throw new Error('nginx is missing: .ci/run installs it (apt-get install nginx)');
const KEY = canary('nginx-logto-api-key');
const PUBLIC = 'tokens.example.test';

const work = mkdtempSync(join(tmpdir(), 'runtime-nginx-'));
const accessLog = join(work, 'access.log');
let rest = '';
let mcp = '';
const replicas: Array<{ rest: number; mcp: number; proc: Proc }> = [];
let nginx: Proc | undefined;

/** deploy/nginx.conf with its upstream servers, listen ports and file locations moved to this test's. */
export function localConfig(
  shipped: string,
  r: ReadonlyArray<{ rest: number; mcp: number }>,
  listen: { rest: number; mcp: number },
): string {
  const servers = (port: (x: { rest: number; mcp: number }) => number) =>
    r.map((x) => `    server 127.0.0.1:${port(x)} max_fails=2 fail_timeout=10s;`).join('\n');
  let conf = shipped
    .replace(/(upstream runtime_rest \{\n)(?:\s*server [^\n]+\n)+/, `$1${servers((x) => x.rest)}\n`)
    .replace(/(upstream runtime_mcp \{\n)(?:\s*server [^\n]+\n)+/, `$1${servers((x) => x.mcp)}\n`)
    .replace(/listen 8080;/, `listen 127.0.0.1:${listen.rest};`)
    .replace(/listen 9090;/, `listen 127.0.0.1:${listen.mcp};`)
    .replace(/access_log \S+ upstreams;/, `access_log ${accessLog} upstreams;`)
    .replace(/worker_processes auto;/, 'worker_processes 1;');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `  ${t}_temp_path ${join(work, t)};`)
    .join('\n');
  conf = conf.replace(/http \{\n/, `http {\n${temp}\n`);
  return `pid ${join(work, 'nginx.pid')};\nerror_log ${join(work, 'error.log')} warn;\ndaemon off;\n${conf}`;
}

beforeAll(async () => {
  if (!NGINX) return;
  const cli = join(ROOT, 'dist/cli.js');
  const sandbox = start(process.execPath, [cli, 'sandbox', 'logto', '--port', '0', '--token', KEY], {
    cwd: ROOT,
    watch: false,
  });
  const upstream = (await sandbox.waitFor(/Logto sandbox listening on (http:\/\/127\.0\.0\.1:\d+)/))[1] as string;
  for (let i = 0; i < 2; i++) {
    const proc = start(
      process.execPath,
      [
        cli,
        'start',
        'capabilities/logto-one-time-tokens.yaml',
        '--openapi',
        'capabilities/logto-one-time-tokens.openapi.json',
        '--rest-port',
        '0',
        '--mcp-port',
        '0',
      ],
      {
        cwd: ROOT,
        env: {
          LOG_FORMAT: 'json',
          LOGTO_API_KEY: KEY,
          TENANT_ID: 'acme',
          NAFTIKO_BASE_URI_LOGTO_ONE_TIME_TOKENS: upstream,
          // What a proxy needs: the public name and origin clients reach it at (nginx forwards Host as sent).
          MCP_ALLOWED_HOSTS: PUBLIC,
          MCP_ALLOWED_ORIGINS: `https://${PUBLIC}`,
        },
      },
    );
    const r = Number((await proc.waitFor(/REST adapter '[^']+' listening on http:\/\/127\.0\.0\.1:(\d+)/))[1]);
    const m = Number((await proc.waitFor(/MCP adapter '[^']+' listening on http:\/\/127\.0\.0\.1:(\d+)/))[1]);
    replicas.push({ rest: r, mcp: m, proc });
  }
  const listen = { rest: await freePort(), mcp: await freePort() };
  for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(work, t));
  const confFile = join(work, 'nginx.conf');
  writeFileSync(confFile, localConfig(readFileSync(join(ROOT, 'deploy/nginx.conf'), 'utf8'), replicas, listen));
  execFileSync(NGINX, ['-t', '-q', '-c', confFile, '-p', work], { stdio: 'pipe' });
  nginx = start(NGINX, ['-c', confFile, '-p', work], { cwd: work });
  rest = `http://127.0.0.1:${listen.rest}`;
  mcp = `http://127.0.0.1:${listen.mcp}`;
  const until = Date.now() + 20_000;
  for (;;) {
    const ok = await fetch(`${rest}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > until) throw new Error(`nginx did not come up: ${nginx.err()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 90_000);

afterAll(async () => {
  await nginx?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** A raw MCP initialize through the proxy with a chosen Host/Origin (fetch cannot set Host). */
function initialize(port: number, headers: Record<string, string>): Promise<number> {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'proxy-check', version: '1' } },
  });
  return new Promise((done, fail) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/mcp',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

describe.skipIf(!NGINX)('two replicas behind nginx (deploy/nginx.conf)', () => {
  it('REST walks (create → get → verify → revoke) pass through the proxy, across replicas', async () => {
    for (let i = 0; i < 4; i++) await restWalk(rest, `nginx-${i}@example.com`);
  }, 60_000);

  it('MCP clients of both protocol generations list and call tools through the proxy', async () => {
    for (let round = 0; round < 2; round++) {
      for (const client of await connectBoth(`${mcp}/mcp`)) {
        try {
          const tools = await client.list();
          expect(
            tools.map((t) => t.name),
            client.label,
          ).toContain('create-one-time-token');
          const r = await client.call({
            tool: 'create-one-time-token',
            args: { body: { email: `mcp-${round}@example.com` } },
          });
          expect(r.isError ?? false, `${client.label}: ${JSON.stringify(r)}`).toBe(false);
        } finally {
          await client.close();
        }
      }
    }
  }, 60_000);

  it('the replicas accept the public Host and Origin they are configured with and refuse others', async () => {
    const port = Number(new URL(mcp).port);
    expect(await initialize(port, { host: PUBLIC, origin: `https://${PUBLIC}` })).toBe(200);
    expect(await initialize(port, { host: 'evil.example' })).toBe(403);
    expect(await initialize(port, { host: PUBLIC, origin: 'https://evil.example' })).toBe(403);
  });

  it('both replicas served REST and MCP traffic (round-robin, from the access log)', async () => {
    const log = readFileSync(accessLog, 'utf8');
    for (const r of replicas) {
      expect(log, `REST replica :${r.rest}`).toContain(`upstream=127.0.0.1:${r.rest}`);
      expect(log, `MCP replica :${r.mcp}`).toContain(`upstream=127.0.0.1:${r.mcp}`);
    }
    const served = replicas.map(
      (r) =>
        r.proc
          .out()
          .split('\n')
          .filter((l) => l.includes('"msg":"request"')).length,
    );
    expect(
      served.every((n) => n > 0),
      `request lines per replica: ${served.join(', ')}`,
    ).toBe(true);
  });
});

if (!NGINX)
  describe('nginx replicas', () =>
    it.skip('nginx is not installed (apt-get install nginx); CI fails instead', () => {}));
