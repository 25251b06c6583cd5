// What a newcomer sees at start: every URL, where upstream calls go and with which kind of credential (never its
// value), the file's 53 dialect warnings as one line per code; and access lines without query values (emails)
// unless the log level is debug.

import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime.js';
import { Secrets } from '../../src/secrets.js';
import { canary } from '../support/canary.js';
import { SEED } from '../support/runtime.js';

const KEY = canary('logto-api-key');
const open: Runtime[] = [];
afterEach(async () => {
  for (const rt of open.splice(0)) await rt.close();
});

async function start(level: string, extra: Partial<RuntimeOptions> = {}) {
  const secrets = new Secrets();
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger({ secrets, level, sink: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const rt = await startRuntime({
    file: SEED,
    restPort: 0,
    mcpPort: 0,
    log,
    secrets,
    env: { LOGTO_API_KEY: KEY },
    ...extra,
  });
  open.push(rt);
  const msgs = () => lines.map((l) => String(l['msg']));
  return { rt, lines, msgs };
}

describe('start banner', () => {
  it('lists REST (OpenAPI, health, metrics) and MCP URLs, and the sandbox upstream', async () => {
    const { rt, msgs } = await start('info', { sandbox: true });
    const rest = rt.urls['logto-one-time-tokens-rest'] as string;
    const mcp = rt.urls['logto-one-time-tokens-mcp'] as string;
    const restLine = msgs().find((m) => m.startsWith('REST adapter')) as string;
    expect(restLine).toContain(`listening on ${rest}`);
    expect(restLine).toContain(`OpenAPI at ${rest}/openapi.json`);
    expect(restLine).toContain(`health ${rest}/health/live and /health/ready, metrics ${rest}/metrics`);
    const mcpLine = msgs().find((m) => m.startsWith('MCP adapter')) as string;
    expect(mcpLine).toContain(`listening on ${mcp}/mcp — health ${mcp}/health/live`);
    expect(msgs()).toContainEqual(
      expect.stringMatching(
        /embedded Logto sandbox at http:\/\/127\.0\.0\.1:\d+ .* — credentials: a random bearer token only the sandbox accepts/,
      ),
    );
    // Every URL the banner names answers (docs only where the REST adapter serves it).
    const urls = msgs()
      .flatMap((m) => m.match(/http:\/\/127\.0\.0\.1:\d+\/(?:openapi\.json|docs|health\/live|metrics)\b/g) ?? [])
      .filter((u) => !u.includes('/mcp'));
    expect(urls.length).toBeGreaterThanOrEqual(5);
    for (const u of urls) expect((await fetch(u)).status, u).toBe(200);
  });

  it('names a real upstream without user info or query, and the credential kind without its value', async () => {
    const { msgs } = await start('info', {
      baseUris: { 'logto-one-time-tokens': 'https://ops:hunter2@auth.example.com/base?sig=abc' },
    });
    const line = msgs().find((m) => m.startsWith("upstream 'logto-one-time-tokens'")) as string;
    expect(line).toBe(
      "upstream 'logto-one-time-tokens': https://auth.example.com/base — credentials: static bearer token from LOGTO_API_KEY",
    );
    expect(msgs().join('\n')).not.toMatch(/hunter2|sig=abc/);
  });

  it('OAuth2 client credentials are named as such', async () => {
    const { msgs } = await start('info', {
      vars: { tenant_id: 'acme' },
      oauth: { clientId: 'm2m-app', clientSecret: canary('oauth-secret') },
    });
    expect(msgs()).toContain(
      "upstream 'logto-one-time-tokens': https://acme.logto.app — credentials: OAuth2 client credentials (client 'm2m-app')",
    );
  });

  it("the bundled file's 53 warnings are one line per code with counts; each one only at debug", async () => {
    const info = await start('info', { sandbox: true });
    const perCode = info.lines.filter((l) => typeof l['code'] === 'string' && typeof l['count'] === 'number');
    const total = info.lines.find((l) => typeof l['warnings'] === 'number');
    expect(total?.['warnings']).toBe(53);
    expect(perCode.reduce((n, l) => n + (l['count'] as number), 0)).toBe(53);
    expect(new Set(perCode.map((l) => l['code'])).size).toBe(perCode.length);
    expect(perCode.length).toBeLessThan(15);
    expect(String(perCode[0]?.['msg'])).toMatch(/^ {2}NAF_DIALECT_\w+ ×\d+ \(first at \S+:\d+:\d+\)$/);
    expect(info.lines.filter((l) => l['at'] !== undefined)).toHaveLength(0);
    const debug = await start('debug', { sandbox: true });
    expect(debug.lines.filter((l) => l['at'] !== undefined).length).toBeGreaterThanOrEqual(53);
  });
});

describe('access lines', () => {
  const path = '/v1/api/one-time-tokens?email=ada%40example.com&page=1';

  it('drop query values at info', async () => {
    const { rt, lines } = await start('info', { sandbox: true });
    expect((await fetch(`${rt.urls['logto-one-time-tokens-rest']}${path}`)).status).toBe(200);
    const access = lines.find((l) => l['msg'] === 'request');
    expect(access?.['url']).toBe('/v1/api/one-time-tokens?email=…&page=…');
    expect(JSON.stringify(lines)).not.toContain('ada%40example.com');
  });

  it('keep them at debug', async () => {
    const { rt, lines } = await start('debug', { sandbox: true });
    await fetch(`${rt.urls['logto-one-time-tokens-rest']}${path}`);
    expect(lines.find((l) => l['msg'] === 'request')?.['url']).toBe(path);
  });
});
