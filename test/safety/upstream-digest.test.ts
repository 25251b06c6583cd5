// Upstream digest authentication (RFC 7616) end to end: `authentication: {type: digest}` on the seed's
// consumed namespace, against a recording upstream that enforces digest with its own verifier (written
// here from the RFC, not shared with the runtime's code). The first call is challenged and resent once;
// later calls answer up front with the cached nonce and a growing nc; a stale nonce costs one exchange;
// a wrong password ends in the upstream's 401 (told as the runtime's credentials refused) after exactly two requests. The password is a canary.

import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordedRequest, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { modern, rpcResult } from '../mcp/wire.js';
import { canary } from '../support/canary.js';
import { json, SEED, startTestRuntime, type TestRuntime } from '../support/runtime.js';

const SEED_AUTH = "    authentication:\n      type: bearer\n      token: '{{env.LOGTO_API_KEY}}'\n";
const USER = 'svc-runtime';
const PASSWORD = canary('digest-password');
const REALM = 'logto-management@example.test';

function digestCapability(): string {
  const seed = readFileSync(SEED, 'utf8');
  expect(seed).toContain(SEED_AUTH);
  const auth = `    authentication:\n      type: digest\n      username: ${USER}\n      password: '{{env.LOGTO_API_KEY}}'\n`;
  const file = join(mkdtempSync(join(tmpdir(), 'upstream-digest-')), 'capability.yaml');
  writeFileSync(file, seed.replace(SEED_AUTH, auth));
  return file;
}

/** The upstream's side of digest: one live nonce, nc strictly increasing per nonce, everything checked. */
class DigestServer {
  nonce = randomBytes(12).toString('base64url');
  lastNc = 0;
  stale = false;
  constructor(
    readonly algorithm: 'SHA-256' | 'MD5',
    readonly password: string,
  ) {}

  challenge() {
    const stale = this.stale ? ', stale=true' : '';
    return {
      status: 401,
      headers: {
        'www-authenticate': `Digest realm="${REALM}", qop="auth", algorithm=${this.algorithm}, nonce="${this.nonce}", opaque="op-1"${stale}`,
      },
      body: { code: 'auth.unauthorized', message: 'digest credentials required' },
    };
  }

  rotate(): void {
    this.nonce = randomBytes(12).toString('base64url');
    this.lastNc = 0;
    this.stale = true;
  }

  /** True when `req` carries a valid answer to the live nonce (and it is not a replay). */
  accepts(req: RecordedRequest): boolean {
    const h = req.headers.authorization;
    if (!h?.startsWith('Digest ')) return false;
    const p = Object.fromEntries(
      [...h.slice(7).matchAll(/([\w*]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)].map((m) => [m[1], m[2] ?? m[3]]),
    );
    const H = (s: string) =>
      createHash(this.algorithm === 'MD5' ? 'md5' : 'sha256')
        .update(s)
        .digest('hex');
    const nc = Number.parseInt(p['nc'] ?? '', 16);
    const ha1 = H(`${USER}:${REALM}:${this.password}`);
    const ha2 = H(`${req.method}:${req.url}`);
    const ok =
      p['username'] === USER &&
      p['realm'] === REALM &&
      p['uri'] === req.url &&
      p['nonce'] === this.nonce &&
      p['opaque'] === 'op-1' &&
      p['qop'] === 'auth' &&
      p['algorithm'] === this.algorithm &&
      nc > this.lastNc &&
      p['response'] === H(`${ha1}:${this.nonce}:${p['nc']}:${p['cnonce']}:auth:${ha2}`);
    if (ok) this.lastNc = nc;
    return ok;
  }
}

describe.each(['SHA-256', 'MD5'] as const)('upstream digest auth, %s', (algorithm) => {
  let up: RecordingUpstream;
  let rt: TestRuntime;
  let server: DigestServer;
  beforeAll(async () => {
    up = await startRecordingUpstream();
    rt = await startTestRuntime({
      file: digestCapability(),
      env: { LOGTO_API_KEY: PASSWORD },
      baseUris: { 'logto-one-time-tokens': up.url },
    });
  });
  afterAll(async () => {
    await rt?.close();
    await up?.close();
  });
  beforeEach(() => {
    up.reset();
    server = new DigestServer(algorithm, PASSWORD);
    up.respond((req) => {
      if (!server.accepts(req)) return server.challenge();
      return req.method === 'POST'
        ? { status: 201, body: { id: 'tok-1', email: (req.json as { email?: string }).email, status: 'active' } }
        : { body: [{ id: 'tok-1' }] };
    });
  });

  it('GET: challenged once and resent; the next call answers up front with nc 2', async () => {
    const first = await rt.rest('/v1/api/one-time-tokens');
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual([{ id: 'tok-1' }]);
    expect(up.requests.map((r) => r.headers.authorization?.split(' ')[0])).toEqual([undefined, 'Digest']);

    const second = await rt.rest('/v1/api/one-time-tokens?email=a%40b.co');
    expect(second.status).toBe(200);
    expect(up.requests).toHaveLength(3);
    const auth = up.requests[2]?.headers.authorization ?? '';
    expect(auth).toContain('nc=00000002');
    // The query is part of the signed request-target.
    expect(auth).toContain('uri="/api/one-time-tokens?email=a%40b.co"');
    for (const r of up.requests) expect(JSON.stringify(r.headers)).not.toContain(PASSWORD);
  });

  it('POST: the refused first request is resent once with the same body', async () => {
    const res = await rt.rest('/v1/api/one-time-tokens', { method: 'POST', ...json({ email: 'a@b.co' }) });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ id: 'tok-1', email: 'a@b.co' });
    expect(up.requests).toHaveLength(2);
    expect(up.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
    expect(up.requests[1]?.json).toEqual(up.requests[0]?.json);
    expect(up.requests[1]?.json).toEqual({ email: 'a@b.co' });
  });

  it('a stale nonce costs one more exchange, over MCP too', async () => {
    expect((await rt.rest('/v1/api/one-time-tokens')).status).toBe(200);
    server.rotate();
    up.reset();
    up.respond((req) => (server.accepts(req) ? { body: [{ id: 'tok-2' }] } : server.challenge()));
    const mcp = await modern(rt.mcpUrl, 'tools/call', { name: 'get-one-time-tokens', arguments: {} });
    expect(rpcResult(mcp)['isError']).toBeFalsy();
    expect(up.requests).toHaveLength(2);
    expect(up.requests[0]?.headers.authorization).toMatch(/^Digest /); // the old nonce, refused
    expect(up.requests[1]?.headers.authorization).toContain(`nonce="${server.nonce}"`);
  });

  it('a wrong password: the upstream’s 401 comes back after exactly two requests, never a loop', async () => {
    server = new DigestServer(algorithm, 'another-password');
    const res = await rt.rest('/v1/api/one-time-tokens');
    // The runtime's own credentials were refused, not the caller's: a 502 saying so (docs/errors.md).
    expect(res.status).toBe(502);
    const problem = (await res.json()) as { code: string; upstreamStatus: number; detail: string };
    expect(problem).toMatchObject({ code: 'NAF_ERR_UPSTREAM_CREDENTIALS_REFUSED', upstreamStatus: 401 });
    expect(problem.detail).toContain('auth.unauthorized');
    expect(up.requests).toHaveLength(2);
    const posted = await rt.rest('/v1/api/one-time-tokens', { method: 'POST', ...json({ email: 'a@b.co' }) });
    expect(posted.status).toBe(502);
    expect(up.requests).toHaveLength(4);
  });
});
