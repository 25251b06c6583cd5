// Authorization-server discovery and the verifier's failure modes, against small real HTTP servers:
// RFC 8414 first, OpenID Connect Discovery as the fallback, a document naming another issuer refused, and an
// unreachable server reported as unavailable (a 503 at the adapter), not as a bad token.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { discover, metadataUrls } from '../../src/expose/auth/discovery.js';
import { TokenVerifier } from '../../src/expose/auth/verify.js';
import { startTestRuntime } from '../support/runtime.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** Serves `routes(url)` as JSON documents; every other path is a 404. Returns the origin and the paths asked for. */
async function serve(
  routes: (origin: string) => Record<string, unknown>,
): Promise<{ origin: string; asked: string[] }> {
  const asked: string[] = [];
  let origin = '';
  const server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const doc = routes(origin)[req.url ?? ''];
    if (doc === undefined) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, asked };
}

describe('discover', () => {
  it('tries RFC 8414 (well-known before the issuer path), then OIDC after it, then OIDC before it', () => {
    expect(metadataUrls('https://t.logto.app/oidc')).toEqual([
      'https://t.logto.app/.well-known/oauth-authorization-server/oidc',
      'https://t.logto.app/oidc/.well-known/openid-configuration',
      'https://t.logto.app/.well-known/openid-configuration/oidc',
    ]);
    expect(metadataUrls('https://auth.example.com')[0]).toBe(
      'https://auth.example.com/.well-known/oauth-authorization-server',
    );
  });

  it('falls back to OpenID Connect Discovery when RFC 8414 has nothing', async () => {
    const as = await serve((o) => ({
      '/oidc/.well-known/openid-configuration': { issuer: `${o}/oidc`, jwks_uri: `${o}/oidc/jwks` },
    }));
    const meta = await discover(`${as.origin}/oidc`, 2000);
    expect(meta.jwks_uri).toBe(`${as.origin}/oidc/jwks`);
    expect(as.asked).toEqual([
      '/.well-known/oauth-authorization-server/oidc',
      '/oidc/.well-known/openid-configuration',
    ]);
  });

  it('refuses a document that names another issuer (RFC 8414 §3.3)', async () => {
    const as = await serve(() => ({
      '/.well-known/oauth-authorization-server': { issuer: 'https://evil.example.com', jwks_uri: 'x' },
    }));
    await expect(discover(as.origin, 2000)).rejects.toThrow(/names issuer 'https:\/\/evil.example.com'/);
  });
});

describe('TokenVerifier', () => {
  const config = {
    audience: 'https://api.example.com',
    validation: 'jwks' as const,
    jwksCooldownMs: 30_000,
    clockSkewSeconds: 30,
    fetchTimeoutMs: 2000,
  };

  it('an unreachable authorization server: unavailable, and discovery is not retried on every request', async () => {
    const as = await serve(() => ({}));
    const verifier = new TokenVerifier({ ...config, issuer: as.origin });
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT({ aud: config.audience, iss: as.origin })
      .setProtectedHeader({ alg: 'ES256' })
      .setExpirationTime('5m')
      .sign(privateKey);
    const first = await verifier.verify(token);
    expect(first).toMatchObject({ ok: false, unavailable: true });
    const asked = as.asked.length;
    expect(await verifier.verify(token)).toMatchObject({ ok: false, unavailable: true });
    expect(as.asked.length).toBe(asked);
  });

  it('a valid token: the principal carries its scopes (scope string or scp array)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k', alg: 'ES256' };
    const as = await serve((o) => ({
      '/.well-known/oauth-authorization-server': { issuer: o, jwks_uri: `${o}/jwks` },
      '/jwks': { keys: [jwk] },
    }));
    const verifier = new TokenVerifier({ ...config, issuer: as.origin });
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ aud: config.audience, iss: as.origin, sub: 'a', ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'k' })
        .setExpirationTime('5m')
        .sign(privateKey);
    const a = await verifier.verify(await sign({ scope: 'x y' }));
    const b = await verifier.verify(await sign({ scp: ['z'] }));
    expect(a.ok && [...a.principal.scopes]).toEqual(['x', 'y']);
    expect(b.ok && [...b.principal.scopes]).toEqual(['z']);
    expect(as.asked.filter((p) => p === '/jwks')).toHaveLength(1);
  });
});

describe('at the adapter', () => {
  it('an unreachable authorization server is a 503 NAF_ERR_AUTH_SERVER_UNAVAILABLE, not a 401', async () => {
    const as = await serve(() => ({}));
    const rt = await startTestRuntime({
      file: resolve(import.meta.dirname, 'fixtures/oauth2-both.yaml'),
      sandbox: true,
      inboundOAuth: { issuer: as.origin },
    });
    try {
      const { privateKey } = await generateKeyPair('ES256');
      const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256' }).setExpirationTime('5m').sign(privateKey);
      const res = await rt.rest('/v1/api/one-time-tokens', { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { code: string }).code).toBe('NAF_ERR_AUTH_SERVER_UNAVAILABLE');
      expect(rt.logs.join('\n')).toContain('inbound oauth2: cannot validate tokens');
      expect(rt.logs.join('\n')).not.toContain(token);
    } finally {
      await rt.close();
    }
  });
});
