// The MCP Inspector's web UI (the real one, node_modules/@modelcontextprotocol/inspector, its Node backend
// proxying the OAuth requests) driven by headless Chromium against the runtime's oauth2 MCP adapter, with the
// Logto sandbox as authorization server: the UI is opened on the ad-hoc Streamable HTTP server, the connect
// switch is flipped, the runtime's 401 sends the Inspector through discovery and dynamic registration to the
// sandbox's sign-in page, the test signs in there as the sandbox user, the sandbox redirects to the Inspector's
// /oauth/callback, the Inspector exchanges the code, connects and lists the tools: the six names must appear.
// The Inspector needs fixed ports (CLIENT_PORT for the UI, SERVER_PORT for its MCP Apps sandbox,
// MCP_APP_ORIGIN_PORT): picked at random in 20000–40000 and checked free.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_USER, startLogtoSandbox, type LogtoSandbox } from '../../src/sandbox/logto/index.js';
import { watch } from '../support/canary.js';
import { chromiumAvailable, launchChromium } from '../support/chromium.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { fixtureForMcpPort, freePort } from './interactive.js';
import { SEED_TOOLS } from '../support/seed.js';

const ROOT = resolve(import.meta.dirname, '../..');
const INSPECTOR = resolve(ROOT, 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');
const browserOk = chromiumAvailable('Inspector OAuth test');

/** Whether nothing listens on 127.0.0.1:port (a bind succeeds). */
function isFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((done) => {
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** `count` distinct free ports drawn at random from 20000–40000. */
async function fixedPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const p = randomInt(20000, 40001);
    if (!ports.includes(p) && (await isFree(p))) ports.push(p);
  }
  return ports;
}

interface Inspector {
  readonly origin: string;
  readonly token: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

async function startInspector(mcpUrl: string, era: 'legacy' | 'modern'): Promise<Inspector> {
  const home = mkdtempSync(join(tmpdir(), 'inspector-web-'));
  const [clientPort, serverPort, appOriginPort] = (await fixedPorts(3)) as [number, number, number];
  const token = randomBytes(16).toString('hex');
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    CLIENT_PORT: String(clientPort),
    SERVER_PORT: String(serverPort),
    MCP_APP_ORIGIN_PORT: String(appOriginPort),
    // The UI and its API stay authenticated (no DANGEROUSLY_OMIT_AUTH): the page is opened with the token.
    MCP_INSPECTOR_API_TOKEN: token,
    MCP_AUTO_OPEN_ENABLED: 'false',
    // OAuth tokens and client registrations in memory only, nothing under the real HOME.
    MCP_INSPECTOR_SECRET_STORE: 'memory',
    MCP_STORAGE_DIR: join(home, 'storage'),
  };
  const args = [INSPECTOR, '--web', '--transport', 'http', '--server-url', mcpUrl, '--protocol-era', era];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: home, env });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  watch('inspector output', () => output);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const deadline = Date.now() + 30_000;
  while (!output.includes('up and running')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the Inspector did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    origin: `http://127.0.0.1:${clientPort}`,
    token,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}

describe.skipIf(!browserOk)('MCP Inspector web UI: interactive OAuth against the Logto sandbox', () => {
  let sandbox: LogtoSandbox;
  let rt: TestRuntime;
  let browser: Browser;
  let cleanup: () => void = () => {};
  beforeAll(async () => {
    const port = await freePort();
    const fixture = fixtureForMcpPort(port);
    cleanup = fixture.cleanup;
    sandbox = await startLogtoSandbox({
      apiResources: [{ indicator: fixture.resource, scopes: ['tokens:read', 'tokens:write'] }],
    });
    rt = await startTestRuntime({
      file: fixture.file,
      mcpPort: port,
      sandbox: true,
      inboundOAuth: { issuer: sandbox.issuer },
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await rt?.close();
    await sandbox?.close();
    cleanup();
  });

  it.each(['legacy', 'modern'] as const)(
    'connect → sandbox sign-in → /oauth/callback → the six tools listed (%s era)',
    { timeout: 90_000 },
    async (era) => {
      const inspector = await startInspector(rt.mcpUrl, era);
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const visited: string[] = [];
        page.on('framenavigated', (f) => f === page.mainFrame() && visited.push(f.url()));
        await page.goto(`${inspector.origin}/?MCP_INSPECTOR_API_TOKEN=${inspector.token}`);
        await expect.poll(() => page.getByText(rt.mcpUrl).count(), { timeout: 20_000 }).toBeGreaterThan(0);

        // Connect: the 401 starts the Inspector's OAuth flow, which lands on the sandbox's page.
        await page.getByRole('switch').first().click({ force: true });
        await page.waitForURL((u) => u.href.startsWith(`${sandbox.issuer}/auth?`), { timeout: 30_000 });
        const authorization = new URL(page.url()).searchParams;
        expect(authorization.get('code_challenge_method')).toBe('S256');
        expect(authorization.get('resource')).toBe(rt.mcpUrl);
        expect(authorization.get('redirect_uri')).toBe(`${inspector.origin}/oauth/callback`);
        expect(authorization.get('client_id')).toMatch(/^[0-9a-f]{21}$/); // registered at /oidc/reg
        await expect.poll(() => page.getByText('Sign in to the Logto sandbox').count()).toBe(1);

        await page.getByLabel('Username').fill(DEFAULT_SANDBOX_USER.username);
        await page.getByLabel('Password').fill(DEFAULT_SANDBOX_USER.password);
        await page.getByRole('button', { name: 'Sign in and authorize' }).click();

        // Back at the Inspector: its callback took the code, and it connected.
        await expect.poll(() => page.getByText('Authentication succeeded').count(), { timeout: 30_000 }).toBe(1);
        const callback = visited.find((u) => u.startsWith(`${inspector.origin}/oauth/callback?`));
        expect(callback, visited.join('\n')).toBeDefined();
        const returned = new URL(callback!).searchParams;
        expect(returned.get('state')).toBe(authorization.get('state'));
        expect(returned.get('iss')).toBe(sandbox.issuer);
        expect(returned.has('code')).toBe(true);

        await page.getByText('Tools', { exact: true }).first().click();
        await expect.poll(() => page.getByText('Tools (6)').count(), { timeout: 20_000 }).toBe(1);
        for (const name of SEED_TOOLS) expect(await page.getByText(name, { exact: true }).count(), name).toBe(1);
        expect(sandbox.stats().tokensIssued).toBeGreaterThan(0);
      } finally {
        await context.close();
        await inspector.stop();
      }
    },
  );
});
