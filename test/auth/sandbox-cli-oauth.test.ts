// `runtime sandbox logto --api-resource … --user …`: the standalone sandbox as an interactive authorization
// server for a runtime and the Inspector started by hand (docs/auth.md): the banner names the sign-in endpoint
// and user, and a registered public client signs in as the configured user and gets a JWT for the resource.

import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../src/cli/io.js';
import { sandboxCommand } from '../../src/cli/sandbox.js';
import { pkce, signIn } from './interactive.js';

const RESOURCE = 'http://127.0.0.1:9090/mcp';
const REDIRECT = 'http://127.0.0.1:6274/oauth/callback';

function memoryIO(): CliIO & { out: string[] } {
  const out: string[] = [];
  return { out, stdout: (t) => out.push(t), stderr: () => {}, env: {}, isTTY: false, cwd: process.cwd() };
}

describe('runtime sandbox logto, interactive', () => {
  it('serves the sign-in flow for its API resources and users', async () => {
    const io = memoryIO();
    const stop = new AbortController();
    const args = ['logto', '--port', '0', '--api-resource', `${RESOURCE}=tokens:read,tokens:write`];
    const running = sandboxCommand([...args, '--user', 'ada:lovelace-1843'], io, stop.signal);
    try {
      await expect.poll(() => io.out.join('')).toContain('Press Ctrl+C');
      const banner = io.out.join('');
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)![1]!;
      expect(banner).toContain(`API resource ${RESOURCE} (tokens:read tokens:write)`);
      expect(banner).toContain(`Sign-in: ${url}/oidc/auth`);
      expect(banner).toContain('as ada / lovelace-1843');
      expect(banner).toContain(`OIDC issuer ${url}/oidc; client registration: POST ${url}/oidc/reg`);

      const reg = await fetch(`${url}/oidc/reg`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }),
      });
      const { client_id: clientId } = (await reg.json()) as { client_id: string };
      const { verifier, challenge } = await pkce();
      const auth = new URL(`${url}/oidc/auth`);
      auth.search = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: REDIRECT,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        resource: RESOURCE,
        scope: 'tokens:read',
      }).toString();
      const { location } = await signIn(auth, { username: 'ada', password: 'lovelace-1843' });
      const res = await fetch(`${url}/oidc/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: clientId,
          code: location.searchParams.get('code') ?? '',
          code_verifier: verifier,
          redirect_uri: REDIRECT,
        }).toString(),
      });
      const body = (await res.json()) as { access_token: string };
      expect(decodeJwt(body.access_token)).toMatchObject({ aud: RESOURCE, scope: 'tokens:read' });
    } finally {
      stop.abort();
      expect(await running).toBe(0);
    }
  });

  it('rejects a malformed --api-resource or --user', async () => {
    const io = memoryIO();
    for (const bad of [
      ['--api-resource', 'not-a-url=tokens:read'],
      ['--api-resource', `${RESOURCE}=`],
      ['--api-resource', RESOURCE],
      ['--user', 'nopassword'],
    ])
      await expect(sandboxCommand(['logto', '--port', '0', ...bad], io), bad.join(' ')).rejects.toBeInstanceOf(
        UsageError,
      );
  });
});
