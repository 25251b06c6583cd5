// The MCP Inspector CLI (the real one, @modelcontextprotocol/inspector) against the runtime as a user
// starts it: `node dist/cli.js start … --sandbox` on an ephemeral port, both protocol eras. Needs
// `npm run build`. The Inspector writes ~/.mcp-inspector/storage, so HOME is a temporary directory.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canary, watch } from '../support/canary.js';
import { SEED_TOOLS } from '../support/seed.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = resolve(ROOT, 'dist/cli.js');
const SEED = 'capabilities/logto-one-time-tokens.yaml';
const INSPECTOR = resolve(ROOT, 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');
const HOME = mkdtempSync(join(tmpdir(), 'inspector-home-'));
// Built from scratch: no HTTP(S)_PROXY, which would swallow loopback requests.
const BASE_ENV = { PATH: process.env['PATH'] ?? '', HOME };

interface Runtime {
  readonly url: string;
  readonly out: () => string;
  stop(): Promise<number | null>;
}

/** `runtime start` in a child process; resolves once its JSON banner names the MCP URL. */
async function startCli(env: Record<string, string> = {}): Promise<Runtime> {
  const args = [CLI, 'start', SEED, '--sandbox', '--rest-port', '0', '--mcp-port', '0'];
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...BASE_ENV, LOG_FORMAT: 'json', ...env },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  watch('runtime output', () => out);
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = await new Promise<string>((done, fail) => {
    const look = () => {
      const m = /MCP adapter '[^']+' listening on (http:\/\/\S+\/mcp)/.exec(out);
      if (m) return done(m[1] as string);
      if (child.exitCode !== null) return fail(new Error(`runtime exited before listening:\n${out}`));
      setTimeout(look, 25);
    };
    look();
  });
  return {
    url,
    out: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      return exit;
    },
  };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout as JSON (`--format json` prints one object). */
  json: { result?: Record<string, unknown> };
}

function inspector(url: string, args: string[]): Promise<Run> {
  const child = spawn(process.execPath, [INSPECTOR, '--cli', url, '--transport', 'http', '--format', 'json', ...args], {
    cwd: HOME,
    env: BASE_ENV,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  watch('inspector output', () => stdout + stderr);
  return new Promise((done) =>
    child.once('exit', (code) => {
      let json = {};
      try {
        json = JSON.parse(stdout) as Run['json'];
      } catch {
        // left empty: the assertions below print stdout and stderr
      }
      done({ code, stdout, stderr, json });
    }),
  );
}

interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
  structuredContent?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

afterAll(() => rmSync(HOME, { recursive: true, force: true }));

describe.each(['legacy', 'modern'] as const)('Inspector CLI, --protocol-era %s', (era) => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await startCli();
  });
  afterAll(async () => {
    expect(await rt?.stop()).toBe(0);
  });
  const run = (args: string[]) => inspector(rt.url, ['--protocol-era', era, ...args]);

  it('tools/list: the six tools of the capability', async () => {
    const r = await run(['--method', 'tools/list']);
    expect(r.code, r.stderr).toBe(0);
    const tools = r.json.result?.['tools'] as Array<{ name: string; inputSchema: { type: string } }>;
    expect(tools.map((t) => t.name)).toEqual(SEED_TOOLS);
    for (const t of tools) expect(t.inputSchema.type).toBe('object');
  });

  it('tools/call: create returns the token as JSON, and get finds it by id', async () => {
    const email = `inspector-${era}@example.com`;
    const created = await run([
      '--method',
      'tools/call',
      '--tool-name',
      'create-one-time-token',
      '--tool-args-json',
      JSON.stringify({ body: { email } }),
    ]);
    expect(created.code, created.stderr).toBe(0);
    const result = created.json.result as unknown as ToolResult;
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toMatchObject({ email, status: 'active' });
    // Only 2026-07-28 results carry the server's identity in _meta: proof of the era actually spoken.
    const serverInfo = result._meta?.['io.modelcontextprotocol/serverInfo'];
    expect(serverInfo).toEqual(
      era === 'modern' ? expect.objectContaining({ name: 'logto-one-time-tokens-mcp' }) : undefined,
    );
    const token = result.structuredContent as { id: string; token: string };
    expect(JSON.parse(result.content[0]?.text ?? '')).toEqual(token);

    const got = await run([
      '--method',
      'tools/call',
      '--tool-name',
      'get-one-time-token-id',
      '--tool-args-json',
      JSON.stringify({ id: token.id }),
    ]);
    expect(got.code, got.stderr).toBe(0);
    expect((got.json.result as unknown as ToolResult).structuredContent).toMatchObject({ id: token.id, email });
  });

  it('a call that fails upstream is isError: the Inspector exits 5', async () => {
    const r = await run(['--method', 'tools/call', '--tool-name', 'get-one-time-token-id', '--tool-arg', 'id=nope']);
    expect(r.code, r.stderr).toBe(5);
    const result = r.json.result as unknown as ToolResult;
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toMatch(/^Upstream returned HTTP 404: entity\.not_exists_with_id/);
    expect(result.structuredContent).toMatchObject({ status: 404, code: 'entity.not_exists_with_id' });
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: 'tool_is_error' } });
  });
});

describe('Inspector CLI with inbound auth (RUNTIME_AUTH_TOKEN)', () => {
  const token = canary('inbound-token');
  let rt: Runtime;
  beforeAll(async () => {
    rt = await startCli({ RUNTIME_AUTH_TOKEN: token });
  });
  afterAll(async () => {
    expect(await rt?.stop()).toBe(0);
  });

  it('--header "Authorization: Bearer …" lists the tools; without it the Inspector exits 3 (auth_required)', async () => {
    const ok = await inspector(rt.url, ['--header', `Authorization: Bearer ${token}`, '--method', 'tools/list']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((ok.json.result?.['tools'] as unknown[]).length).toBe(SEED_TOOLS.length);
    // No TTY here, so the Inspector does not try interactive OAuth.
    const refused = await inspector(rt.url, ['--method', 'tools/list']);
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stderr)).toMatchObject({ error: { code: 'auth_required' } });
  });
});
