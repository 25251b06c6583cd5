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
import type { AdapterView } from './expose/control/status.js';
import { adapterMetrics } from './expose/http-app.js';
import { inboundAuthFor } from './expose/inbound-auth.js';
import {
  adapterAuthentication,
  checkInboundOAuthAdapters,
  corsOriginsFor,
  inboundOAuthFor,
  type InboundOAuthOptions,
} from './expose/auth/settings.js';
import { listenHostnames } from './expose/host-allow.js';
import { createMcpApp } from './expose/mcp/app.js';
import { serveMcpStdio, type McpStdioServer } from './expose/mcp/stdio.js';
import { createRestApp } from './expose/rest/app.js';
import { createSkillApp } from './expose/skill/app.js';
import { createInvoke, type Invoke } from './invoke.js';
import type { LogtoSandbox } from './sandbox/logto/index.js';
import type { Secrets } from './secrets.js';
import { loadCapabilityOrThrow } from './spec/load.js';
import { logBanner, logDiagnosticSummary } from './cli/banner.js';
import { loadContracts, logContracts, type ContractSource } from './contracts/index.js';
import { upstreamEndpoints, type UpstreamOAuthOptions } from './upstreams.js';
import { listenerChange, tableChanges, type Listener } from './reload/diff.js';
import {
  discard,
  refusal,
  refused,
  retire,
  serialize,
  type Generation,
  type ReloadOutcome,
} from './reload/generation.js';
import { AppSwitch } from './reload/switch.js';
import { watchFile } from './reload/watch.js';
import { startTelemetry, telemetrySettings } from './telemetry/settings.js';
import type { CallTracer } from './telemetry/types.js';
import { runtimeLimits, type RuntimeLimits } from './limits/runtime.js';
import type { Limits } from './limits/settings.js';
import { RUNTIME_VERSION } from './version.js';

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
  /** Inbound OAuth 2.1 resource-server settings and CORS origins (`src/cli/inbound-oauth-options.ts`). */
  readonly inboundOAuth?: InboundOAuthOptions;
  /** Serve the MCP adapter on stdin/stdout (`--mcp-stdio`) and no HTTP adapter; the logger must write to stderr. */
  readonly mcpStdio?: boolean;
  /** How long a stop waits for in-flight calls before closing their connections. */
  readonly shutdownGraceMs?: number;
  /** Upstream OpenAPI documents by consumed namespace (`--openapi`; NAFTIKO_OPENAPI_<NS> is read too). */
  readonly contracts?: readonly ContractSource[];
  /** Reload when the file changes on disk (`--watch`); SIGHUP reloads either way (docs/reload.md). */
  readonly watch?: boolean;
  /** Connections, timeouts, concurrency, queue, batch size, byte budget, rate limits (docs/safety.md). */
  readonly limits?: Partial<Limits>;
  readonly log: Logger;
  readonly secrets: Secrets;
}

export interface Runtime {
  /** The table being served (a reload replaces it). */
  readonly table: CompiledTable;
  /** Listening URLs by adapter namespace. */
  readonly urls: Readonly<Record<string, string>>;
  readonly sandbox?: LogtoSandbox;
  /** With an MCP adapter on stdio: resolves when the client closes stdin (the host quit). */
  readonly stdioEnded?: Promise<void>;
  /** Re-reads the file; a valid one replaces the table atomically, a broken one leaves it serving. */
  reload(): Promise<ReloadOutcome>;
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
  const table = await loadTable(file, options);
  const tracer = await tracing(options);

  const token = options.sandboxToken ?? `sandbox-${randomBytes(16).toString('hex')}`;
  // Imported only with --sandbox: the sandbox's routes and zod schemas are start-up time a real upstream does not need.
  const sandboxCode = options.sandbox ? await import('./sandbox/logto/index.js') : undefined;
  const sandbox = sandboxCode
    ? await sandboxCode.startLogtoSandbox({
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
  // Runtime-wide, not per generation: a reload must not double the capacity.
  const limits = runtimeLimits(options.limits);
  let gen: Generation<Served> | undefined;
  let stdio: McpStdioServer | undefined;
  const switches = new Map<string, AppSwitch>();
  try {
    let ready = false;
    const urls: Record<string, string> = {};
    const count = (s: ExposeSpec) =>
      (gen?.table.bindings ?? []).filter((b) => b.expose.namespace === s.namespace).length;
    // What the control adapter reports: every adapter as it stands when asked.
    const control: ControlContext = {
      startedAt: Date.now(),
      adapters: () => [
        ...(stdioSpec ? [{ spec: stdioSpec, url: 'stdio', bindings: count(stdioSpec) }] : []),
        ...(gen?.served ?? []).map((s): AdapterView => {
          const url = urls[s.spec.namespace];
          const metrics = adapterMetrics(s.app);
          return { spec: s.spec, bindings: count(s.spec), ...(url ? { url } : {}), ...(metrics ? { metrics } : {}) };
        }),
      ],
    };
    const sandboxUpstream = sandbox && { url: sandbox.url, token };
    const build = (t: CompiledTable) =>
      buildGeneration(t, file, options, sandboxUpstream, () => ready, control, limits, tracer);
    const first = build(table);
    gen = first;
    const stdioSpec = first.stdioSpec;
    if (stdioSpec) {
      stdio = await serveMcpStdio({
        table,
        bindings: table.bindings.filter((b) => b.expose.namespace === stdioSpec?.namespace),
        invoke: first.invoke,
        secrets: options.secrets,
        log,
        serverName: stdioSpec.namespace,
        serverVersion: RUNTIME_VERSION,
        ...(stdioSpec.description ? { instructions: stdioSpec.description } : {}),
        ...mcpItemsOf(table, stdioSpec.namespace),
        baseDir: dirname(file),
      });
      log.info({ adapter: stdioSpec.namespace }, `MCP adapter '${stdioSpec.namespace}' serving on stdio`);
    }
    // Nothing listening would let the process end at once (exit 13, no word): say so instead.
    if (first.served.length === 0 && !stdio)
      throw new ConfigError(
        `Nothing to serve: ${options.file} declares no adapter this runtime serves${options.mcpStdio ? ' on stdio (--mcp-stdio needs an MCP adapter)' : ''} (declared: ${table.exposes.map((e) => e.kind).join(', ') || 'none'})`,
      );
    for (const s of first.served) {
      checkExposure(s, options);
      await s.app.ready();
      const sw = new AppSwitch(s.app);
      limits.serve(sw.server, log);
      switches.set(s.spec.namespace, sw);
      urls[s.spec.namespace] = await sw.listen(s.host, portFor(s.spec, options));
    }
    ready = true;
    logBanner(log, { table, urls, served: first.served, sandbox, options });
    const grace = options.shutdownGraceMs ?? 10_000;
    const pipe = stdio;
    let retiring: Promise<void> = Promise.resolve();
    let stopping = false;
    const reload = serialize(async (): Promise<ReloadOutcome> => {
      if (stopping) return refused(log, 'the runtime is stopping');
      if (pipe) return refused(log, 'an MCP adapter on stdio keeps the table its session started with; restart it');
      const old = gen as Generation<Served>;
      let fresh: ReturnType<typeof build>;
      try {
        fresh = build(await loadTable(file, options));
      } catch (err) {
        return refusal(err, options.file, log, options.secrets);
      }
      const moved = listenerChange(listeners(old.served, options), listeners(fresh.served, options));
      try {
        if (moved) throw new ConfigError(`${moved}; a reload keeps the open sockets, restart to change them`);
        for (const s of fresh.served) checkExposure(s, options);
        gen = fresh;
        await Promise.all(fresh.served.map((s) => s.app.ready()));
      } catch (err) {
        gen = old;
        await discard(fresh);
        return refusal(err, options.file, log, options.secrets);
      }
      const drained = fresh.served.map((s) => {
        const sw = switches.get(s.spec.namespace) as AppSwitch;
        const before = adapterMetrics(sw.app);
        if (before) adapterMetrics(s.app)?.continueFrom(before);
        return sw.swap(s.app);
      });
      const changes = tableChanges(old.table, fresh.table);
      log.info(
        { bindings: fresh.table.bindings.length, added: changes.added, removed: changes.removed },
        `reloaded ${options.file}: ${fresh.table.bindings.length} bindings (${changes.added.length} added, ${changes.removed.length} removed)`,
      );
      retiring = retiring.then(() => retire(old, drained, grace, log));
      return { ok: true, bindings: fresh.table.bindings.length, added: changes.added, removed: changes.removed };
    });
    const watcher = options.watch ? watchFile(file, () => void reload()) : undefined;
    return {
      get table() {
        return (gen as Generation<Served>).table;
      },
      urls,
      ...(sandbox ? { sandbox } : {}),
      ...(pipe ? { stdioEnded: pipe.ended } : {}),
      reload,
      close: async () => {
        ready = false;
        stopping = true;
        watcher?.close();
        await reload.idle();
        await pipe?.close();
        await Promise.all([...switches.values()].map((sw) => sw.close(grace, log)));
        await retiring;
        if (gen) await discard(gen);
        await closeCompileResources();
        await sandbox?.close();
        await tracer?.shutdown();
      },
    };
  } catch (err) {
    await stdio?.close();
    await Promise.all([...switches.values()].map((sw) => sw.close(0, log)));
    if (gen) await discard(gen);
    await sandbox?.close();
    await tracer?.shutdown();
    throw err;
  }
}

/** OpenTelemetry from the OTEL_* variables (docs/telemetry.md): undefined, and the SDK never loaded, when off. */
async function tracing(options: RuntimeOptions): Promise<CallTracer | undefined> {
  const { settings, warnings } = telemetrySettings(options.env);
  for (const w of warnings) options.log.warn(w);
  if (!settings) return undefined;
  options.secrets.add(...Object.values(settings.headers));
  const url = new URL(settings.url);
  options.log.info(
    { tracing: `${url.origin}${url.pathname}`, service: settings.serviceName },
    `tracing: OpenTelemetry spans to ${url.origin}${url.pathname} (OTLP/HTTP protobuf) as service '${settings.serviceName}'`,
  );
  return startTelemetry(settings);
}

/** Load, check and compile the file (at start and at each reload). */
async function loadTable(file: string, options: RuntimeOptions): Promise<CompiledTable> {
  const { log } = options;
  const loaded = await loadCapabilityOrThrow(file, { strict: options.strict ?? false });
  logDiagnosticSummary(log, loaded.diagnostics, options.file);
  const contracts = await loadContracts(loaded.doc, options.contracts ?? [], options.env);
  logContracts(log, contracts);
  const table = compileTable(loaded.doc, {
    ...(await compileOptionsFor(file, loaded.doc)),
    ...(contracts ? { contracts: contracts.index } : {}),
  });
  for (const u of table.unsupported) log.warn({ where: u.where }, `not served: ${u.reason}`);
  return table;
}

/** One table's consumer and adapter apps (not yet listening); the stdio adapter's spec, if any. */
function buildGeneration(
  table: CompiledTable,
  file: string,
  options: RuntimeOptions,
  sandbox: { url: string; token: string } | undefined,
  isReady: () => boolean,
  control: ControlContext,
  limits: RuntimeLimits,
  tracer: CallTracer | undefined,
): Generation<Served> & { readonly invoke: Invoke; readonly stdioSpec?: ExposeSpec } {
  const upstreams = upstreamEndpoints(table, options, sandbox, dirname(file));
  const consumer = new Consumer(upstreams.endpoints, options.timeouts, undefined, limits.consumer, tracer);
  const served: Served[] = [];
  try {
    const invoke = createInvoke(consumer, upstreams.vars);
    const forward = createForwarder(consumer, upstreams.vars);
    let stdioSpec: ExposeSpec | undefined;
    // Per-adapter inbound OAuth settings must name adapters that can take them (all problems at once).
    for (const line of checkInboundOAuthAdapters(options.inboundOAuth, table.exposes)) options.log.warn(line);
    for (const spec of table.exposes) {
      if (spec.kind === 'mcp' && (options.mcpStdio || spec.transport === 'stdio')) {
        if (stdioSpec) throw new ConfigError(`Only one MCP adapter can use stdio; '${spec.namespace}' is a second one`);
        stdioSpec = spec;
        continue;
      }
      // A host may start several stdio servers at once (one per window): fixed HTTP ports would collide.
      if (options.mcpStdio) continue;
      const adapter = createAdapter(spec, table, invoke, upstreams.vars, options, isReady, control, forward, limits);
      if (adapter) served.push(adapter);
    }
    return { table, consumer, served, invoke, ...(stdioSpec ? { stdioSpec } : {}) };
  } catch (err) {
    void discard({ table, consumer, served });
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
  limits: RuntimeLimits,
): Served | undefined {
  const { log, secrets, env } = options;
  const bindings = table.bindings.filter((b) => b.expose.namespace === spec.namespace);
  const oauth = inboundOAuthFor(options.inboundOAuth, spec.namespace);
  const authentication = adapterAuthentication(spec, options.inboundOAuth);
  const auth = inboundAuthFor(authentication, vars, spec.namespace, options.authToken, {
    bindings,
    allBindings: table.bindings,
    ...(oauth ? { oauth } : {}),
  });
  secrets.add(...(auth?.secrets ?? []));
  const cors = corsOriginsFor(options.inboundOAuth, spec.namespace);
  const host = options.host ?? env['HOST'] ?? spec.address ?? '127.0.0.1';
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  // Loopback names are always allowed; the listen address and --allowed-host add to them (host-allow.ts).
  const allowedHosts = [...listenHostnames(host), ...(options.allowedHosts ?? [])];
  const common = { table, bindings, invoke, secrets, log, bodyLimit, isReady, allowedHosts, ...(auth ? { auth } : {}) };
  if (spec.kind === 'rest') {
    const forwards = (table.forwards ?? []).filter((f) => f.namespace === spec.namespace);
    const app = createRestApp({
      ...common,
      ...(cors.length ? { cors } : {}),
      forwards,
      forward,
      ...(spec.description ? { description: spec.description } : {}),
    });
    limits.rest(app, spec.namespace);
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
      allowedHosts,
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
      allowedHosts,
    });
    return { spec, app, host, authenticated: Boolean(auth) };
  }
  if (spec.kind !== 'mcp') return undefined;
  const app = createMcpApp({
    ...common,
    serverName: spec.namespace,
    serverVersion: RUNTIME_VERSION,
    ...(spec.description ? { instructions: spec.description } : {}),
    ...(options.allowedOrigins || cors.length
      ? { allowedOrigins: [...(options.allowedOrigins ?? []), ...cors.filter((o) => o !== '*')] }
      : {}),
    ...(cors.length ? { cors } : {}),
    ...mcpItemsOf(table, spec.namespace),
    baseDir: dirname(resolve(options.file)),
    ...limits.mcp(spec.namespace),
  });
  return { spec, app, host, authenticated: Boolean(auth) };
}

/** Refuses (--require-auth) or warns about an adapter reachable beyond loopback without inbound auth. */
function checkExposure(s: Served, options: RuntimeOptions): void {
  const { spec, host } = s;
  if (isLoopback(host) || s.authenticated) return;
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

/** The port an adapter listens on: its flag, else the file's, else an ephemeral one. */
function portFor(spec: ExposeSpec, options: RuntimeOptions): number {
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
  return flag ?? spec.port ?? 0;
}

function listeners(served: readonly Served[], options: RuntimeOptions): Listener[] {
  return served.map((s) => ({
    namespace: s.spec.namespace,
    kind: s.spec.kind,
    host: s.host,
    port: portFor(s.spec, options),
  }));
}
