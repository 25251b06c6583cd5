// Composition root: load → compile → resolve settings → consumer → adapters → listen.
// Owns start and stop; holds no logic of its own beyond wiring.

import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import { compileTable, type CompiledTable } from './binding/compile.js';
import { closeCompileResources, compileOptionsFor } from './compile-options.js';
import { mcpItemsOf } from './binding/mcp-items.js';
import { catalogueOf } from './binding/skills.js';
import type { ExposeSpec } from './binding/table.js';
import { ConfigError, isLoopback } from './config.js';
import type { ConsumerOptions } from './consume/http.js';
import { createForwarder, type Forwarder } from './consume/forward.js';
import { Consumer } from './consume/http.js';
import type { FastifyInstance } from './expose/http-app.js';
import { createControlApp } from './expose/control/app.js';
import { controlRoutes, controlSettings } from './expose/control/settings.js';
import type { AdapterView } from './expose/control/status.js';
import { adapterMetrics } from './expose/http-app.js';
import { inboundAuthFor } from './expose/inbound-auth.js';
import { createMcpApp } from './expose/mcp/app.js';
import { serveMcpStdio, type McpStdioServer } from './expose/mcp/stdio.js';
import { createRestApp } from './expose/rest/app.js';
import { createSkillApp } from './expose/skill/app.js';
import { createInvoke, type Invoke } from './invoke.js';
import { startLogtoSandbox, type LogtoSandbox } from './sandbox/logto/index.js';
import type { Secrets } from './secrets.js';
import { loadCapabilityOrThrow } from './spec/load.js';
import { loadContracts, logContracts, type ContractSource } from './contracts/index.js';
import { upstreamEndpoints, type UpstreamOAuthOptions } from './upstreams.js';

export interface RuntimeOptions {
  readonly file: string;
  readonly env: NodeJS.ProcessEnv;
  /** `--host`; else HOST; else the file's `address`; else 127.0.0.1. */
  readonly host?: string;
  readonly restPort?: number;
  readonly mcpPort?: number;
  /** `--control-port`; else the file's. */
  readonly controlPort?: number;
  /** `--skill-port`; else the file's. */
  readonly skillPort?: number;
  readonly vars?: Readonly<Record<string, string>>;
  readonly baseUris?: Readonly<Record<string, string>>;
  /** Refuse `vars`/`baseUris` names the file does not have, with the nearest one (`runtime start` sets it). */
  readonly checkNames?: boolean;
  readonly sandbox?: boolean;
  /** The bearer token the embedded sandbox expects; random when absent (tests pin it to watch for leaks). */
  readonly sandboxToken?: string;
  readonly strict?: boolean;
  readonly timeouts?: Partial<ConsumerOptions>;
  readonly bodyLimit?: number;
  /** Bearer token required on every adapter whose file entry declares no authentication. */
  readonly authToken?: string;
  /** Refuse to start an adapter reachable beyond loopback without inbound authentication. */
  readonly requireAuth?: boolean;
  /** Upstream credentials from an OAuth2 client-credentials grant instead of the file's static ones. */
  readonly oauth?: UpstreamOAuthOptions;
  readonly allowedHosts?: readonly string[];
  readonly allowedOrigins?: readonly string[];
  /** Serve the MCP adapter on stdin/stdout (`--mcp-stdio`) and no HTTP adapter; the logger must write to stderr. */
  readonly mcpStdio?: boolean;
  /** How long a stop waits for in-flight calls before closing their connections. */
  readonly shutdownGraceMs?: number;
  /** Upstream OpenAPI documents by consumed namespace (`--openapi`; NAFTIKO_OPENAPI_<NS> is read too). */
  readonly contracts?: readonly ContractSource[];
  readonly log: Logger;
  readonly secrets: Secrets;
}

export interface Runtime {
  readonly table: CompiledTable;
  /** Listening URLs by adapter namespace. */
  readonly urls: Readonly<Record<string, string>>;
  readonly sandbox?: LogtoSandbox;
  /** With an MCP adapter on stdio: resolves when the client closes stdin (the host quit). */
  readonly stdioEnded?: Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** What the control adapter needs from the runtime around it. */
interface ControlContext {
  readonly startedAt: number;
  readonly adapters: () => readonly AdapterView[];
}

interface Served {
  readonly spec: ExposeSpec;
  readonly app: FastifyInstance;
  readonly host: string;
  readonly authenticated: boolean;
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { log } = options;
  const file = resolve(options.file);
  const loaded = await loadCapabilityOrThrow(file, { strict: options.strict ?? false });
  for (const d of loaded.diagnostics) log.debug({ code: d.code, at: `${d.line}:${d.col}` }, d.message);
  const warnings = loaded.diagnostics.filter((d) => d.severity === 'warning').length;
  if (warnings)
    log.info(
      { warnings },
      `capability loaded with ${warnings} warning${warnings === 1 ? '' : 's'} (dialect relaxations); \`runtime validate ${options.file}\` lists them`,
    );
  const contracts = await loadContracts(loaded.doc, options.contracts ?? [], options.env);
  logContracts(log, contracts);
  const table = compileTable(loaded.doc, {
    ...(await compileOptionsFor(file, loaded.doc)),
    ...(contracts ? { contracts: contracts.index } : {}),
  });
  for (const u of table.unsupported) log.warn({ where: u.where }, `not served: ${u.reason}`);

  const token = options.sandboxToken ?? `sandbox-${randomBytes(16).toString('hex')}`;
  const sandbox = options.sandbox
    ? await startLogtoSandbox({
        token,
        port: 0,
        host: '127.0.0.1',
        logger: false,
        // In OAuth mode the sandbox's /oidc/token issues the access token to the configured client, as Logto would.
        ...(options.oauth
          ? { oauthClients: [{ id: options.oauth.clientId, secret: options.oauth.clientSecret }] }
          : {}),
      })
    : undefined;
  let consumer: Consumer | undefined;
  let stdio: McpStdioServer | undefined;
  const served: Served[] = [];
  try {
    const upstreams = upstreamEndpoints(table, options, sandbox && { url: sandbox.url, token }, dirname(file));
    consumer = new Consumer(upstreams.endpoints, options.timeouts);
    const invoke = createInvoke(consumer, upstreams.vars);
    const forward = createForwarder(consumer, upstreams.vars);
    let ready = false;
    const urls: Record<string, string> = {};
    let stdioSpec: ExposeSpec | undefined;
    const count = (s: ExposeSpec) => table.bindings.filter((b) => b.expose.namespace === s.namespace).length;
    // What the control adapter reports: every adapter as it stands when asked.
    const control: ControlContext = {
      startedAt: Date.now(),
      adapters: () => [
        ...(stdioSpec ? [{ spec: stdioSpec, url: 'stdio', bindings: count(stdioSpec) }] : []),
        ...served.map((s): AdapterView => {
          const url = urls[s.spec.namespace];
          const metrics = adapterMetrics(s.app);
          return { spec: s.spec, bindings: count(s.spec), ...(url ? { url } : {}), ...(metrics ? { metrics } : {}) };
        }),
      ],
    };
    for (const spec of table.exposes) {
      if (spec.kind === 'mcp' && (options.mcpStdio || spec.transport === 'stdio')) {
        if (stdio) throw new ConfigError(`Only one MCP adapter can use stdio; '${spec.namespace}' is a second one`);
        stdioSpec = spec;
        stdio = await serveMcpStdio({
          table,
          bindings: table.bindings.filter((b) => b.expose.namespace === spec.namespace),
          invoke,
          secrets: options.secrets,
          log,
          serverName: spec.namespace,
          serverVersion: table.capability.version,
          ...(spec.description ? { instructions: spec.description } : {}),
          ...mcpItemsOf(table, spec.namespace),
          baseDir: dirname(file),
        });
        log.info({ adapter: spec.namespace }, `MCP adapter '${spec.namespace}' serving on stdio`);
        continue;
      }
      // A host may start several stdio servers at once (one per window): fixed HTTP ports would collide.
      if (options.mcpStdio) continue;
      const adapter = createAdapter(spec, table, invoke, upstreams.vars, options, () => ready, control, forward);
      if (adapter) served.push(adapter);
    }
    // Nothing listening would let the process end at once (exit 13, no word): say so instead.
    if (served.length === 0 && !stdio)
      throw new ConfigError(
        `Nothing to serve: ${options.file} declares no adapter this runtime serves${options.mcpStdio ? ' on stdio (--mcp-stdio needs an MCP adapter)' : ''} (declared: ${table.exposes.map((e) => e.kind).join(', ') || 'none'})`,
      );
    for (const s of served) urls[s.spec.namespace] = await listen(s, options);
    ready = true;
    banner(log, table, urls, served, sandbox);
    const grace = options.shutdownGraceMs ?? 10_000;
    const open = consumer;
    const pipe = stdio;
    return {
      table,
      urls,
      ...(sandbox ? { sandbox } : {}),
      ...(pipe ? { stdioEnded: pipe.ended } : {}),
      close: async () => {
        ready = false;
        await pipe?.close();
        await Promise.all(served.map((s) => closeWithin(s.app, grace, log)));
        await open.close();
        await closeCompileResources();
        await sandbox?.close();
      },
    };
  } catch (err) {
    await stdio?.close();
    await Promise.all(served.map((s) => s.app.close()));
    await consumer?.close();
    await sandbox?.close();
    throw err;
  }
}

function createAdapter(
  spec: ExposeSpec,
  table: CompiledTable,
  invoke: Invoke,
  vars: Readonly<Record<string, string>>,
  options: RuntimeOptions,
  isReady: () => boolean,
  control: ControlContext,
  forward: Forwarder,
): Served | undefined {
  const { log, secrets, env } = options;
  const bindings = table.bindings.filter((b) => b.expose.namespace === spec.namespace);
  const auth = inboundAuthFor(spec.authentication, vars, spec.namespace, options.authToken);
  secrets.add(...(auth?.secrets ?? []));
  const host = options.host ?? env['HOST'] ?? spec.address ?? '127.0.0.1';
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const common = { table, bindings, invoke, secrets, log, bodyLimit, isReady, ...(auth ? { auth } : {}) };
  if (spec.kind === 'rest') {
    const forwards = (table.forwards ?? []).filter((f) => f.namespace === spec.namespace);
    const app = createRestApp({
      ...common,
      forwards,
      forward,
      ...(spec.description ? { description: spec.description } : {}),
    });
    return { spec, app, host, authenticated: Boolean(auth) };
  }
  if (spec.kind === 'control') {
    const app = createControlApp({
      spec,
      table,
      log,
      secrets,
      env,
      bodyLimit,
      isReady,
      ...control,
      ...(auth ? { auth } : {}),
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    });
    return { spec, app, host, authenticated: Boolean(auth) };
  }
  if (spec.kind === 'skill') {
    const catalogue = catalogueOf(table, spec.namespace);
    if (!catalogue) return undefined;
    const app = createSkillApp({
      catalogue,
      served: table.bindings,
      capabilityDir: dirname(resolve(options.file)),
      secrets,
      log,
      bodyLimit,
      isReady,
      ...(auth ? { auth } : {}),
      ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    });
    return { spec, app, host, authenticated: Boolean(auth) };
  }
  if (spec.kind !== 'mcp') return undefined;
  const app = createMcpApp({
    ...common,
    serverName: spec.namespace,
    serverVersion: table.capability.version,
    ...(spec.description ? { instructions: spec.description } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}),
    ...mcpItemsOf(table, spec.namespace),
    baseDir: dirname(resolve(options.file)),
  });
  return { spec, app, host, authenticated: Boolean(auth) };
}

async function listen(s: Served, options: RuntimeOptions): Promise<string> {
  const { spec, app, host } = s;
  if (!isLoopback(host) && !s.authenticated) {
    const risk =
      spec.kind === 'control'
        ? `Control adapter would listen on ${host} without inbound authentication: anyone who can reach it can read the capability's status, metrics and recent calls`
        : spec.kind === 'skill'
          ? `SKILL adapter '${spec.namespace}' would listen on ${host} without inbound authentication: anyone who can reach it can read the skill catalogue and every file in its skill folders`
          : `${spec.kind.toUpperCase()} adapter '${spec.namespace}' would listen on ${host} without inbound authentication: anyone who can reach it can use the upstream credentials it holds (for Logto: mint sign-in tokens for any user)`;
    if (options.requireAuth)
      throw new ConfigError(
        `${risk}. Refusing to start (--require-auth): set RUNTIME_AUTH_TOKEN or the adapter's authentication, or listen on 127.0.0.1.`,
      );
    options.log.warn({ adapter: spec.namespace, host }, `SECURITY: ${risk}`);
  }
  const flag =
    spec.kind === 'rest'
      ? options.restPort
      : spec.kind === 'mcp'
        ? options.mcpPort
        : spec.kind === 'control'
          ? options.controlPort
          : spec.kind === 'skill'
            ? options.skillPort
            : undefined;
  const port = flag ?? spec.port ?? 0;
  await app.listen({ host, port });
  const addr = app.server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  return `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
}

/** Stop accepting, let in-flight calls finish within the grace period, then cut what is left. */
async function closeWithin(app: FastifyInstance, graceMs: number, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  // close() ends only the connections idle at that moment: one busy with a call keeps its keep-alive
  // socket after the answer and would hold the close until the grace period. End each as it goes idle.
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  sweep.unref();
  const late = new Promise<void>((done) => {
    timer = setTimeout(() => {
      log.warn({ graceMs }, 'in-flight calls still running after the grace period: closing their connections');
      app.server.closeAllConnections();
      done();
    }, graceMs);
    timer.unref();
  });
  await Promise.race([app.close(), late]);
  clearInterval(sweep);
  clearTimeout(timer);
}

function banner(
  log: Logger,
  table: CompiledTable,
  urls: Record<string, string>,
  served: readonly Served[],
  sandbox: LogtoSandbox | undefined,
): void {
  log.info(
    { capability: table.capability.label, bindings: table.bindings.length },
    `capability '${table.capability.label}' loaded: ${table.bindings.length} bindings`,
  );
  for (const { spec, authenticated } of served) {
    const url = urls[spec.namespace];
    const auth = authenticated ? ' (inbound auth on)' : '';
    log.info(
      { adapter: spec.namespace, url },
      spec.kind === 'rest'
        ? `REST adapter '${spec.namespace}' listening on ${url}${auth} — OpenAPI at ${url}/openapi.json`
        : spec.kind === 'control'
          ? `control adapter listening on ${url}${auth} — ${controlRoutes(controlSettings(spec.raw)).join(', ') || 'no routes (every endpoint is off)'}`
          : spec.kind === 'skill'
            ? `SKILL adapter '${spec.namespace}' listening on ${url}/skills${auth}`
            : `MCP adapter '${spec.namespace}' listening on ${url}/mcp${auth}`,
    );
  }
  if (sandbox)
    log.info(
      { sandbox: sandbox.url },
      `upstream calls go to the embedded Logto sandbox at ${sandbox.url} (--sandbox): no real tenant is contacted`,
    );
}
