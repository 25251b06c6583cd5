// The MCP Inspector CLI (the real one) against an OAuth-protected MCP adapter: the runtime in-process, the
// Logto sandbox as its authorization server. Here the CLI is a machine client: it is given a client-credentials
// token as a header; without one, --stored-auth-only makes it report that auth is required. The interactive
// login (authorization code + PKCE through the sandbox's sign-in page) is inspector-oauth.test.ts, in the web UI.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLogtoSandbox, type LogtoSandbox } from '../../src/sandbox/logto/index.js';
import { canary, watch } from '../support/canary.js';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FILE = resolve(import.meta.dirname, 'fixtures/oauth2-both.yaml');
const INSPECTOR = resolve(ROOT, 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');
const RESOURCE = 'https://mcp.example.com/mcp';
const CLIENT = { id: 'inspector-m2m', secret: canary('client-secret') };
const HOME = mkdtempSync(join(tmpdir(), 'inspector-home-'));
const ENV = { PATH: process.env['PATH'] ?? '', HOME };

function inspector(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [INSPECTOR, '--cli', ...args], { cwd: HOME, env: ENV });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  watch('inspector output', () => stdout + stderr);
  return new Promise((done) => child.once('exit', (code) => done({ code, stdout, stderr })));
}

describe('MCP Inspector CLI against an OAuth-protected adapter (Logto sandbox tokens)', () => {
  let sandbox: LogtoSandbox;
  let rt: TestRuntime;
  beforeAll(async () => {
    sandbox = await startLogtoSandbox({
      oauthClients: [CLIENT],
      apiResources: [{ indicator: RESOURCE, scopes: ['tokens:read', 'tokens:write'] }],
    });
    rt = await startTestRuntime({ file: FILE, sandbox: true, inboundOAuth: { issuer: sandbox.issuer } });
  });
  afterAll(async () => {
    await rt?.close();
    await sandbox?.close();
    rmSync(HOME, { recursive: true, force: true });
  });

  it.each(['legacy', 'modern'] as const)('tools/list with a client-credentials token (%s era)', async (era) => {
    const res = await fetch(`${sandbox.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        resource: RESOURCE,
      }).toString(),
    });
    const { access_token: token } = (await res.json()) as { access_token: string };
    const r = await inspector([
      rt.mcpUrl,
      '--transport',
      'http',
      '--format',
      'json',
      '--protocol-era',
      era,
      '--header',
      `Authorization: Bearer ${token}`,
      '--method',
      'tools/list',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const tools = (JSON.parse(r.stdout) as { result: { tools: Array<{ name: string }> } }).result.tools;
    expect(tools).toHaveLength(6);
  });

  it('without a token it stops at the 401 (auth required), never reaching the tools', async () => {
    const r = await inspector([rt.mcpUrl, '--transport', 'http', '--stored-auth-only', '--method', 'tools/list']);
    expect(r.code).not.toBe(0);
    // The CLI reports the failure as JSON on stderr.
    expect(r.stderr).toContain('"code":"auth_required"');
    expect(r.stdout).not.toContain('get-one-time-tokens');
  });
});
