// The official MCP conformance suite's authorization-server scenarios (`conformance authorization`) against the
// Logto sandbox: authorization-server-metadata-endpoint and authorization-code-grant. The suite prints the
// authorization URL and waits for its callback on 127.0.0.1:<port>/callback; this test plays the user — it
// follows the URL, completes the sandbox's sign-in page and delivers the redirect to the suite. Every failing
// check must be in scripts/conformance/expected-failures-authorization.yml (with its reason), and every entry
// there must still fail (no stale excuses).

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startLogtoSandbox, type LogtoSandbox } from '../../src/sandbox/logto/index.js';
import { watch } from '../support/canary.js';
import { freePort, signIn } from './interactive.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SUITE = join(ROOT, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const BASELINE = join(ROOT, 'scripts/conformance/expected-failures-authorization.yml');
const RESOURCE = 'https://mcp.example.com/mcp';
const OUT = mkdtempSync(join(tmpdir(), 'conformance-authorization-'));

interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}

let sandbox: LogtoSandbox;
beforeAll(async () => {
  sandbox = await startLogtoSandbox({ apiResources: [{ indicator: RESOURCE, scopes: ['tokens:read'] }] });
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(OUT, { recursive: true, force: true });
});

/** Runs the suite; when it prints the authorization URL, signs in and delivers the redirect to its callback. */
async function runSuite(clientId: string, port: number): Promise<{ code: number | null; output: string }> {
  const args = [SUITE, 'authorization', '--url', sandbox.issuer, '--client-id', clientId];
  args.push('--resource', RESOURCE, '--port', String(port), '-o', OUT);
  // A proxy in the environment would swallow the suite's loopback requests.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(https?|all)_proxy$/i.test(k)));
  const child = spawn(process.execPath, args, { env: { ...env, NO_COLOR: '1' } });
  let output = '';
  watch('conformance output', () => output);
  let signedIn: Promise<void> | undefined;
  const onData = (d: Buffer) => {
    output += d.toString();
    const url = /(http:\/\/\S+\/oidc\/auth\?\S+)/.exec(output)?.[1];
    if (url && !signedIn)
      signedIn = signIn(url).then(async ({ location }) => {
        const callback = await fetch(location);
        output += `\n[test] callback answered ${callback.status}\n`;
      });
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  await signedIn;
  return { code, output };
}

function results(): Map<string, Check[]> {
  const byScenario = new Map<string, Check[]>();
  for (const e of readdirSync(OUT, { withFileTypes: true })) {
    const file = join(OUT, e.name, 'checks.json');
    if (!e.isDirectory() || !existsSync(file)) continue;
    const scenario = e.name.replace(/^authorization-server-/, '').replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '');
    byScenario.set(scenario, JSON.parse(readFileSync(file, 'utf8')) as Check[]);
  }
  return byScenario;
}

it('authorization-server scenarios pass but for the baselined checks', { timeout: 60_000 }, async () => {
  const port = await freePort();
  const registered = await fetch(`${sandbox.issuer}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [`http://127.0.0.1:${port}/callback`], token_endpoint_auth_method: 'none' }),
  });
  expect(registered.status).toBe(201);
  const { client_id: clientId } = (await registered.json()) as { client_id: string };

  const { output } = await runSuite(clientId, port);
  const ran = results();
  expect([...ran.keys()].sort(), output).toEqual([
    'authorization-code-grant',
    'authorization-server-metadata-endpoint',
  ]);

  const failing = [...ran].flatMap(([scenario, checks]) =>
    checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING').map((c) => `${scenario}:${c.id}`),
  );
  const passed = [...ran].flatMap(([scenario, checks]) =>
    checks.filter((c) => c.status === 'SUCCESS').map((c) => `${scenario}:${c.id}`),
  );
  const baseline = ((parse(readFileSync(BASELINE, 'utf8')) as { authorization?: string[] }).authorization ?? []).map(
    String,
  );
  expect(
    failing.filter((k) => !baseline.includes(k)),
    output,
  ).toEqual([]);
  expect(
    baseline.filter((k) => !failing.includes(k)),
    'stale baseline entries',
  ).toEqual([]);
  // The two that matter to an MCP client: the metadata document and a full code grant with PKCE and resource.
  expect(passed).toEqual(
    expect.arrayContaining([
      'authorization-server-metadata-endpoint:authorization-server-metadata',
      'authorization-code-grant:authorization-code-grant',
    ]),
  );
});
