// The MCP adapter on a real binding table (the seed), a real Consumer and invoke, against the Logto
// sandbox: everything real but the runtime's composition root, which another module owns.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { compileTable, type CompiledTable } from '../../src/binding/compile.js';
import type { Binding } from '../../src/binding/table.js';
import { staticCredentials } from '../../src/consume/credentials.js';
import { Consumer } from '../../src/consume/http.js';
import { createMcpApp, type McpAppOptions } from '../../src/expose/mcp/app.js';
import { createInvoke, type Invoke } from '../../src/invoke.js';
import { createLogger } from '../../src/log.js';
import { startLogtoSandbox, type LogtoSandbox } from '../../src/sandbox/logto/index.js';
import { Secrets } from '../../src/secrets.js';
import { canary, watch } from '../support/canary.js';

export const SEED = resolve(import.meta.dirname, '../../capabilities/logto-one-time-tokens.yaml');
export const API_KEY = canary('logto-api-key');
const UPSTREAM = 'logto-one-time-tokens';

export interface Stack {
  readonly table: CompiledTable;
  readonly bindings: readonly Binding[];
  readonly invoke: Invoke;
  readonly secrets: Secrets;
  readonly logs: string[];
  readonly log: ReturnType<typeof createLogger>;
  readonly sandbox?: LogtoSandbox;
  close(): Promise<void>;
}

/** Table + consumer + invoke against `upstreamUrl`, or against a fresh sandbox when none is given. */
export async function startStack(upstreamUrl?: string): Promise<Stack> {
  const table = compileTable(parse(readFileSync(SEED, 'utf8')));
  const bindings = table.bindings.filter((b) => b.expose.kind === 'mcp');
  const sandbox = upstreamUrl ? undefined : await startLogtoSandbox({ token: API_KEY, port: 0, logger: false });
  const url = upstreamUrl ?? sandbox?.url ?? '';
  const vars = { LOGTO_API_KEY: API_KEY };
  const credentials = staticCredentials({ type: 'bearer', token: '{{LOGTO_API_KEY}}' }, vars, UPSTREAM);
  const consumer = new Consumer([{ namespace: UPSTREAM, baseUrl: new URL(url), credentials }], {}, noRetry);
  const secrets = new Secrets();
  secrets.add(API_KEY);
  const logs: string[] = [];
  const log = createLogger({ secrets, level: 'debug', sink: (line) => logs.push(line) });
  watch('adapter logs', () => logs);
  return {
    table,
    bindings,
    invoke: createInvoke(consumer, vars),
    secrets,
    logs,
    log,
    ...(sandbox ? { sandbox } : {}),
    close: async () => {
      await consumer.close();
      await sandbox?.close();
    },
  };
}

const noRetry = { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };

export interface Served extends Stack {
  /** `http://127.0.0.1:PORT/mcp` */
  readonly url: string;
  readonly origin: string;
}

export async function serveMcp(
  stack: Stack,
  extra: Partial<McpAppOptions> = {},
): Promise<Served & { stop(): Promise<void> }> {
  const app = createMcpApp({
    table: stack.table,
    bindings: stack.bindings,
    invoke: stack.invoke,
    secrets: stack.secrets,
    log: stack.log,
    bodyLimit: 64 * 1024,
    isReady: () => true,
    instructions: stack.table.exposes.find((e) => e.kind === 'mcp')?.description ?? '',
    serverName: 'logto-one-time-tokens-mcp',
    serverVersion: '0.1.0',
    ...extra,
  });
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  const stop = async () => {
    const closing = app.close();
    // A client socket that never sent a request (an aborted fetch's spare) is not "idle" to node:http
    // and would hold close() until the client's keep-alive timer fires.
    app.server.closeAllConnections();
    await closing;
  };
  return { ...stack, url: `${origin}/mcp`, origin, stop };
}

/** Parsed JSON lines logged so far. */
export function logLines(stack: Stack): Array<Record<string, unknown>> {
  return stack.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
}
