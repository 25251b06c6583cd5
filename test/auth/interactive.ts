// Helpers for the interactive-login tests: complete the Logto sandbox's sign-in page as a user would (GET the
// authorization URL, post its form), an in-memory OAuth client provider for the MCP SDKs, and a capability
// file whose MCP resource is the adapter's real URL (an SDK client refuses protected-resource metadata
// whose `resource` is not the server it connects to, RFC 9728 §3.3).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { DEFAULT_SANDBOX_USER, type SandboxUser } from '../../src/sandbox/logto/index.js';

export const OAUTH_FIXTURE = resolve(import.meta.dirname, 'fixtures/oauth2-both.yaml');
const FIXTURE_MCP_RESOURCE = 'https://mcp.example.com/mcp';

/** A loopback port free right now (for the few tools and checks that need the port before listening). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}

/** oauth2-both.yaml with the MCP adapter's resource set to `http://127.0.0.1:<port>/mcp`; `cleanup` removes it. */
export function fixtureForMcpPort(port: number): { file: string; resource: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-fixture-'));
  const resource = `http://127.0.0.1:${port}/mcp`;
  const text = readFileSync(OAUTH_FIXTURE, 'utf8');
  expect(text).toContain(`resource: ${FIXTURE_MCP_RESOURCE}`);
  const file = join(dir, 'capability.yaml');
  writeFileSync(file, text.replace(`resource: ${FIXTURE_MCP_RESOURCE}`, `resource: ${resource}`));
  return { file, resource, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SignInResult {
  /** The page's form action (`/oidc/interaction/<uid>`), absolute. */
  readonly action: string;
  /** Where the sandbox redirected after the form: the client's redirect URI with `code`, `state`, `iss`. */
  readonly location: URL;
}

/** Follows an authorization URL to the sign-in page and submits it, as the user would in a browser. */
export async function signIn(
  authorizationUrl: string | URL,
  user: Pick<SandboxUser, 'username' | 'password'> = DEFAULT_SANDBOX_USER,
  consent: 'allow' | 'deny' = 'allow',
): Promise<SignInResult> {
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  const html = await page.text();
  expect(page.status, html).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
  const match = /<form method="post" action="([^"]+)">/.exec(html);
  expect(match, html).not.toBeNull();
  const action = new URL(match![1]!.replace(/&amp;/g, '&'), authorizationUrl).href;
  const submitted = await fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: user.username, password: user.password, consent }).toString(),
  });
  const body = await submitted.text();
  expect(submitted.status, body).toBe(303);
  return { action, location: new URL(submitted.headers.get('location') ?? '') };
}

/** S256 PKCE pair. */
export async function pkce(): Promise<{ verifier: string; challenge: string }> {
  const { createHash, randomBytes } = await import('node:crypto');
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * An OAuthClientProvider kept in memory (the shape both SDK generations call): registers itself as a
 * public client, and records the authorization URL instead of opening a browser.
 */
export class MemoryOAuthProvider {
  authorizationUrl: URL | undefined;
  #client: Record<string, unknown> | undefined;
  #tokens: Record<string, unknown> | undefined;
  #verifier = '';
  #discovery: unknown;
  readonly #state: string;

  constructor(
    readonly redirect: string,
    state: string,
  ) {
    this.#state = state;
  }

  get redirectUrl(): string {
    return this.redirect;
  }

  get clientMetadata() {
    return {
      client_name: 'vitest MCP client',
      redirect_uris: [this.redirect],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    return this.#state;
  }

  clientInformation() {
    return this.#client as never;
  }

  saveClientInformation(info: Record<string, unknown>): void {
    this.#client = info;
  }

  tokens() {
    return this.#tokens as never;
  }

  saveTokens(tokens: Record<string, unknown>): void {
    this.#tokens = tokens;
  }

  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }

  codeVerifier(): string {
    return this.#verifier;
  }

  // SEP-2352 (v2 SDK): the discovery result kept with the verifier binds the callback to this authorization server.
  saveDiscoveryState(state: unknown): void {
    this.#discovery = state;
  }

  discoveryState() {
    return this.#discovery as never;
  }

  /** What was registered and obtained (for assertions). */
  get registered(): Record<string, unknown> | undefined {
    return this.#client;
  }

  get obtained(): Record<string, unknown> | undefined {
    return this.#tokens;
  }
}

/** A fetch that records `METHOD url → status` for every call (the OAuth discovery and token traffic). */
export function recordingFetch(log: string[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    log.push(`${init?.method ?? 'GET'} ${url} → ${res.status}`);
    return res;
  };
}
