// Composition root: load → compile → resolve settings → consumer → adapters → listen.
// Owns start and stop; holds no logic of its own beyond wiring.

import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import { compileTable, type CompiledTable } from './binding/compile.js';
import type { ExposeSpec } from './binding/table.js';
import { isLoopback, resolveBaseUris, resolveBinds } from './config.js';
import { CredentialError, staticCredentials } from './consume/credentials.js';
import { Consumer, type ConsumerOptions, type UpstreamEndpoint } from './consume/http.js';
import { ConfigError } from './config.js';
import type { FastifyInstance } from './expose/http-app.js';
import { createRestApp } from './expose/rest/app.js';
import { createInvoke } from './invoke.js';
import { startLogtoSandbox, type LogtoSandbox } from './sandbox/logto/index.js';
import type { Secrets } from './secrets.js';
import { loadCapabilityOrThrow } from './spec/load.js';

export interface RuntimeOptions {
  readonly file: string;
  readonly env: NodeJS.ProcessEnv;
  /** `--host`; else HOST; else the file's `address`; else 127.0.0.1. */
  readonly host?: string;
  readonly restPort?: number;
  readonly mcpPort?: number;
  readonly vars?: Readonly<Record<string, string>>;
  readonly baseUris?: Readonly<Record<string, string>>;
  readonly sandbox?: boolean;
  readonly strict?: boolean;
  readonly timeouts?: Partial<ConsumerOptions>;
  readonly bodyLimit?: number;
  readonly log: Logger;
  readonly secrets: Secrets;
}

export interface Runtime {
  readonly table: CompiledTable;
  /** Listening URLs by adapter namespace. */
  readonly urls: Readonly<Record<string, string>>;
  readonly sandbox?: LogtoSandbox;
  close(): Promise<void>;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { log, secrets, env } = options;
  const file = resolve(options.file);
  const loaded = await loadCapabilityOrThrow(file, { strict: options.strict ?? false });
  for (const d of loaded.diagnostics) log.debug({ code: d.code, at: `${d.line}:${d.col}` }, d.message);
  const table = compileTable(loaded.doc);
  for (const u of table.unsupported) log.warn({ where: u.where }, `not served: ${u.reason}`);

  const token = `sandbox-${randomBytes(16).toString('hex')}`;
  const sandbox = options.sandbox ? await startLogtoSandbox({ token, port: 0, host: '127.0.0.1', logger: false }) : undefined;
  try {
    const endpoints = upstreamEndpoints(table, options, sandbox && { url: sandbox.url, token }, dirname(file));
    const consumer = new Consumer(endpoints.list, options.timeouts);
    const invoke = createInvoke(consumer, endpoints.vars);
    let ready = false;
    const apps: Array<{ spec: ExposeSpec; app: FastifyInstance }> = [];
    for (const spec of table.exposes) {
      const bindings = table.bindings.filter((b) => b.expose.namespace === spec.namespace);
      if (spec.kind === 'rest') {
        const app = createRestApp({
          table,
          bindings,
          ...(spec.description ? { description: spec.description } : {}),
          invoke,
          secrets,
          log,
          bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
          isReady: () => ready,
        });
        apps.push({ spec, app });
      } else {
        log.warn({ adapter: spec.namespace }, `MCP adapter '${spec.namespace}' is not served yet by this runtime`);
      }
    }

    const urls: Record<string, string> = {};
    for (const { spec, app } of apps) {
      const host = options.host ?? env['HOST'] ?? spec.address ?? '127.0.0.1';
      const port = (spec.kind === 'rest' ? options.restPort : options.mcpPort) ?? spec.port ?? 0;
      await app.listen({ host, port });
      const addr = app.server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : port;
      urls[spec.namespace] = `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
      if (!isLoopback(host)) log.warn({ adapter: spec.namespace, host }, `${spec.kind.toUpperCase()} adapter '${spec.namespace}' listens on ${host} without inbound authentication: anyone who can reach it can use the upstream credentials it holds`);
    }
    ready = true;
    banner(log, table, urls, apps, sandbox);

    return {
      table,
      urls,
      ...(sandbox ? { sandbox } : {}),
      close: async () => {
        ready = false;
        await Promise.all(apps.map(({ app }) => app.close()));
        await consumer.close();
        await sandbox?.close();
      },
    };
  } catch (err) {
    await sandbox?.close();
    throw err;
  }
}

function upstreamEndpoints(table: CompiledTable, options: RuntimeOptions, sandbox: { url: string; token: string } | undefined, dir: string): { list: UpstreamEndpoint[]; vars: Record<string, string> } {
  // The sandbox stands in for every upstream: every bind variable becomes its token, so the
  // file's own auth templates still resolve — and a real key in the environment is never sent to it.
  const preset = sandbox ? Object.fromEntries(table.binds.map((b) => [b.variable, sandbox.token])) : {};
  const vars = resolveBinds(table, options.env, dir, preset);
  options.secrets.add(...new Set(Object.values(vars)));
  const overrides = sandbox ? Object.fromEntries(table.upstreams.map((u) => [u.namespace, sandbox.url])) : (options.baseUris ?? {});
  const bases = resolveBaseUris(table.upstreams, { overrides, vars: options.vars ?? {}, env: options.env });
  const list = table.upstreams.map((u): UpstreamEndpoint => {
    const baseUrl = bases.get(u.namespace) as URL;
    if (!u.auth) return { namespace: u.namespace, baseUrl };
    try {
      const credentials = staticCredentials(u.auth, vars, u.namespace);
      options.secrets.add(...credentials.secrets());
      return { namespace: u.namespace, baseUrl, credentials };
    } catch (err) {
      if (err instanceof CredentialError) throw new ConfigError(err.message);
      throw err;
    }
  });
  return { list, vars };
}

function banner(log: Logger, table: CompiledTable, urls: Record<string, string>, apps: Array<{ spec: ExposeSpec }>, sandbox: LogtoSandbox | undefined): void {
  log.info({ capability: table.capability.label, bindings: table.bindings.length }, `capability '${table.capability.label}' loaded: ${table.bindings.length} bindings`);
  for (const { spec } of apps) {
    const url = urls[spec.namespace];
    log.info({ adapter: spec.namespace, url }, spec.kind === 'rest' ? `REST adapter '${spec.namespace}' listening on ${url} (OpenAPI at ${url}/openapi.json)` : `MCP adapter '${spec.namespace}' listening on ${url}/mcp`);
  }
  if (sandbox) log.info({ sandbox: sandbox.url }, `upstream calls go to the embedded Logto sandbox at ${sandbox.url} (--sandbox): no real tenant is contacted`);
}
