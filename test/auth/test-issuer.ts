// A minimal authorization server for tests that need to sign tokens themselves: its own RSA key (kid
// `test-1`), RFC 8414 metadata at the root and a JWKS, and a counter of JWKS fetches. `mint` signs any
// claims with any key, so a test can produce exactly the bad token it wants.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type CryptoKey } from 'jose';

export interface TestIssuer {
  readonly url: string;
  /** The `iss` it publishes: its URL (no path). */
  readonly issuer: string;
  readonly jwksFetches: () => number;
  mint(claims: JWTPayload, options?: { kid?: string; key?: CryptoKey; alg?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-1', alg: 'RS256', use: 'sig' };
  let fetches = 0;
  let url = '';
  const server: Server = createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/oauth-authorization-server')
      return send({ issuer: url, jwks_uri: `${url}/jwks`, token_endpoint: `${url}/token` });
    if (req.url === '/jwks') {
      fetches++;
      return send({ keys: [jwk] });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    issuer: url,
    jwksFetches: () => fetches,
    mint: async (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'test-1', typ: 'at+jwt' })
        .sign(options.key ?? privateKey),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
