// Starts the real runtime in-process on ephemeral loopback ports, with captured logs.

import { resolve } from 'node:path';
import { createLogger } from '../../src/log.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../../src/runtime.js';
import { Secrets } from '../../src/secrets.js';
import { canary, watch } from './canary.js';

export const SEED = resolve(import.meta.dirname, '../../capabilities/logto-one-time-tokens.yaml');

export interface TestRuntime extends Runtime {
  /** Every log line written so far (JSON text). */
  readonly logs: string[];
  rest(path: string, init?: RequestInit): Promise<Response>;
  /** The REST adapter's origin; routes are `${restUrl}/v1/...`. */
  readonly restUrl: string;
  /** The MCP endpoint, `http://127.0.0.1:PORT/mcp`. */
  readonly mcpUrl: string;
}

export async function startTestRuntime(overrides: Partial<RuntimeOptions> = {}): Promise<TestRuntime> {
  const secrets = new Secrets();
  const logs: string[] = [];
  const log = createLogger({ secrets, level: 'debug', sink: (line) => logs.push(line) });
  watch('runtime logs', () => logs);
  // Every runtime a test starts holds canary secrets, so every test path is checked for leaks.
  const runtime = await startRuntime({
    file: SEED,
    restPort: 0,
    mcpPort: 0,
    log,
    secrets,
    sandboxToken: canary('sandbox-token'),
    ...overrides,
    env: { LOGTO_API_KEY: canary('logto-api-key'), ...overrides.env },
  });
  const restUrl = runtime.urls['logto-one-time-tokens-rest'] ?? '';
  const mcpUrl = `${runtime.urls['logto-one-time-tokens-mcp'] ?? ''}/mcp`;
  return Object.assign(runtime, {
    logs,
    restUrl,
    mcpUrl,
    rest: (path: string, init?: RequestInit) => fetch(`${restUrl}${path}`, init),
  });
}

export function json(body: unknown): RequestInit {
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
