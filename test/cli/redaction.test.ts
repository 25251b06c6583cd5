// Secrets written straight into a capability file (not only bound from the environment) must not
// come out of `inspect`, `openapi`, `validate`, the served /openapi.json or the start-up logs.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { canary, watch } from '../support/canary.js';
import { SEED, startTestRuntime, type TestRuntime } from '../support/runtime.js';

const upstreamToken = canary('literal-upstream-token');
const restKey = canary('literal-rest-apikey');
const mcpToken = canary('bound-mcp-token');
const envKey = canary('env-api-key');

function capabilityWithLiteralSecrets(): string {
  const seed = readFileSync(SEED, 'utf8');
  const text = seed
    .replace("token: '{{env.LOGTO_API_KEY}}'", `token: '${upstreamToken}'`)
    .replace(
      '    namespace: logto-one-time-tokens-rest\n',
      `    namespace: logto-one-time-tokens-rest\n    authentication:\n      type: apikey\n      key: X-Api-Key\n      value: '${restKey}'\n      placement: header\n`,
    )
    .replace(
      '    namespace: logto-one-time-tokens-mcp\n',
      "    namespace: logto-one-time-tokens-mcp\n    authentication:\n      type: bearer\n      token: '{{env.MCP_TOKEN}}'\n",
    )
    .replace('    LOGTO_API_KEY: LOGTO_API_KEY\n', '    LOGTO_API_KEY: LOGTO_API_KEY\n    MCP_TOKEN: MCP_TOKEN\n');
  expect(text).not.toBe(seed);
  const file = join(mkdtempSync(join(tmpdir(), 'redaction-')), 'capability.yaml');
  writeFileSync(file, text);
  return file;
}

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CliIO = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (out += t),
    env: { LOGTO_API_KEY: envKey, MCP_TOKEN: mcpToken, TENANT_ID: 'acme' },
    isTTY: false,
    cwd: process.cwd(),
  };
  const code = await main(argv, io);
  watch(`runtime ${argv.join(' ')}`, () => out);
  return { code, out };
}

describe('secrets in the file', () => {
  let file: string;
  let rt: TestRuntime;
  beforeAll(async () => {
    file = capabilityWithLiteralSecrets();
    rt = await startTestRuntime({
      file,
      env: { MCP_TOKEN: mcpToken, LOGTO_API_KEY: envKey },
      vars: { tenant_id: 'acme' },
    });
  });
  afterAll(async () => rt?.close());

  it.each([
    ['inspect', 'text'],
    ['inspect', 'json'],
  ])('%s --format %s shows the kind of auth, never its value', async (command, format) => {
    const { code, out } = await run([command, file, '--format', format]);
    expect(code).toBe(0);
    expect(out).toContain('bearer');
  });

  it('openapi and validate print no secret', async () => {
    const openapi = await run(['openapi', file]);
    expect(openapi.code).toBe(0);
    expect(JSON.parse(openapi.out)).toHaveProperty('openapi');
    const validate = await run(['validate', file]);
    expect(validate.code).toBe(0);
  });

  it('the served /openapi.json names the API key header, not its value', async () => {
    expect((await rt.rest('/openapi.json')).status).toBe(401);
    const res = await rt.rest('/openapi.json', { headers: { 'x-api-key': restKey } });
    expect(res.status).toBe(200);
    const doc = JSON.stringify(await res.json());
    expect(doc).toContain('X-Api-Key');
    // The canary check at the end of the file scans this body and every log line as well.
  });
});
