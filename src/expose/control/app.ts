// The control adapter (`type: control`): the capability's management plane on its own port. It proxies
// nothing; its routes come from the runtime, switched on and off by the entry's `management` and
// `observability` settings (see settings.ts and docs/control.md). Built on the shared HTTP shell:
// request ids, access lines, inbound auth and problem+json errors as on the REST adapter.

import { localhostAllowedHostnames, validateHostHeader } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import type { BindingTable, ExposeSpec } from '../../binding/table.js';
import { RuntimeError } from '../../errors.js';
import { scriptingSettings } from '../../script/settings.js';
import type { Secrets } from '../../secrets.js';
import { createHttpApp, type FastifyInstance, type FastifyReply, type FastifyRequest } from '../http-app.js';
import { fromFastifyError } from '../http-errors.js';
import type { InboundAuth } from '../inbound-auth.js';
import { hostnameOf } from '../mcp/guards.js';
import { AdapterMetrics, METRICS_CONTENT_TYPE } from '../metrics.js';
import { renderProblem } from '../rest/problem.js';
import { controlRoutes, controlSettings, type ControlSettings } from './settings.js';
import { readiness, status, type AdapterView } from './status.js';
import { traceOf, TraceBuffer } from './trace-buffer.js';

export interface ControlAppOptions {
  readonly spec: ExposeSpec;
  readonly table: BindingTable;
  readonly log: Logger;
  readonly secrets: Secrets;
  readonly bodyLimit: number;
  /** The runtime finished starting and is not stopping. */
  readonly isReady: () => boolean;
  readonly auth?: InboundAuth;
  /** For the scripting settings (NAFTIKO_SCRIPTING). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** When the runtime started (ms since the epoch), for /status uptime. */
  readonly startedAt: number;
  /** Every adapter of the runtime, this one included, as it stands at the moment of the call. */
  readonly adapters: () => readonly AdapterView[];
  /** Host names besides loopback that /status, /traces and /scripting answer to (`--allowed-host`). */
  readonly allowedHosts?: readonly string[];
}

export function createControlApp(options: ControlAppOptions): FastifyInstance {
  const { log, secrets } = options;
  const settings = controlSettings(options.spec.raw);
  for (const item of settings.unsupported) log.warn({ adapter: options.spec.namespace }, `not served: control ${item}`);
  const app = createHttpApp({
    adapter: 'control',
    log,
    secrets,
    bodyLimit: options.bodyLimit,
    isReady: options.isReady,
    probes: false,
    ...(options.auth ? { auth: options.auth } : {}),
    render: (err, requestId, path) => renderProblem(err, path, requestId, secrets),
  });
  app.addHook('onRequest', hostGuard(options.allowedHosts ?? []));

  if (settings.health) {
    app.get('/health/live', async () => ({ status: 'UP' }));
    app.get('/health/ready', async (_req, reply) => {
      const { ready, body } = readiness(options.adapters(), options.isReady());
      return reply.code(ready ? 200 : 503).send(body);
    });
  }
  if (settings.info) app.get('/status', async () => status(options.table, options.adapters(), options.startedAt));
  if (settings.metrics)
    app.get('/metrics', async (_req, reply) => {
      const all = options.adapters().flatMap((a) => (a.metrics ? [a.metrics] : []));
      return reply.type(METRICS_CONTENT_TYPE).send(AdapterMetrics.renderAll(all));
    });
  if (settings.traces.enabled) serveTraces(app, options, settings.traces);
  if (settings.scripting) serveScripting(app, options);

  const routes = controlRoutes(settings);
  app.setNotFoundHandler(async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (routes.some((r) => matches(r, path))) {
      reply.header('allow', 'GET, HEAD');
      throw new RuntimeError('NAF_ERR_METHOD_NOT_ALLOWED', `${path} answers GET only`, { allow: ['GET', 'HEAD'] });
    }
    throw new RuntimeError('NAF_ERR_ROUTE_NOT_FOUND', notServed(path, settings, routes));
  });
  app.setErrorHandler(async (err, req, reply) => sendProblem(fromFastifyError(err), req, reply, secrets));
  return app;
}

function serveTraces(app: FastifyInstance, options: ControlAppOptions, traces: ControlSettings['traces']): void {
  const buffer = new TraceBuffer(traces.bufferSize);
  const unsubscribe: Array<() => void> = [];
  // Every adapter exists by the time the runtime starts listening: subscribe to the business ones then.
  app.addHook('onReady', async () => {
    for (const a of options.adapters()) {
      const m = a.metrics;
      if (!m || a.spec.kind === 'control') continue;
      unsubscribe.push(
        m.subscribe((o) => {
          if (traces.sampling < 1 && Math.random() >= traces.sampling) return;
          const trace = traceOf(m.adapter, o);
          if (trace) buffer.add(trace);
        }),
      );
    }
  });
  app.addHook('onClose', async () => {
    for (const u of unsubscribe.splice(0)) u();
  });
  app.get<{ Querystring: { operation?: string; status?: string } }>('/traces', async (req) => {
    const { operation, status } = req.query;
    const list = buffer
      .all()
      .filter((t) => operation === undefined || t.operation.includes(operation))
      .filter((t) => status === undefined || t.status.toLowerCase() === status.toLowerCase());
    const summaries = list.map(({ spans: _spans, ...summary }) => summary);
    return { traces: summaries, bufferSize: buffer.capacity, bufferUsed: buffer.size };
  });
  app.get<{ Params: { id: string } }>('/traces/:id', async (req) => {
    const trace = buffer.find(req.params.id);
    if (!trace)
      throw new RuntimeError(
        'NAF_ERR_ROUTE_NOT_FOUND',
        `No trace '${req.params.id}' among the last ${buffer.capacity} calls kept (a trace id is the call's request id)`,
      );
    return trace;
  });
}

function serveScripting(app: FastifyInstance, options: ControlAppOptions): void {
  // Read once: script steps are compiled with these settings at load, so they cannot change at run time.
  const s = scriptingSettings({ capability: { exposes: [options.spec.raw] } }, options.env);
  const body = {
    enabled: s.enabled,
    ...(s.defaultLocation !== undefined ? { defaultLocation: s.defaultLocation } : {}),
    ...(s.defaultLanguage !== undefined ? { defaultLanguage: s.defaultLanguage } : {}),
    timeout: s.timeoutMs,
    statementLimit: s.statementLimit,
    ...(s.allowedLanguages.length ? { allowedLanguages: s.allowedLanguages } : {}),
    memoryLimitBytes: s.memoryLimitBytes,
    maxResultChars: s.maxResultChars,
  };
  app.get('/scripting', async () => body);
  const refuse = async (): Promise<never> => {
    throw new RuntimeError(
      'NAF_ERR_METHOD_NOT_ALLOWED',
      'Scripting settings are fixed when the capability loads (script steps are compiled with them): change management.scripting in the file and restart',
      { allow: ['GET', 'HEAD'] },
    );
  };
  app.put('/scripting', refuse);
  app.patch('/scripting', refuse);
}

/** DNS-rebinding protection for what is not a probe: /status, /traces and /scripting describe the capability. */
function hostGuard(extra: readonly string[]) {
  const allowed = [...new Set([...localhostAllowedHostnames(), ...extra.map(hostnameOf)])];
  return async (req: FastifyRequest) => {
    const path = req.url.split('?')[0] ?? '/';
    if (path.startsWith('/health/') || path === '/metrics') return;
    const result = validateHostHeader(req.headers.host, allowed);
    if (!result.ok)
      throw new RuntimeError('NAF_ERR_FORBIDDEN_HOST', `${result.message} (add it with --allowed-host to serve it)`);
  };
}

function matches(route: string, path: string): boolean {
  return route.endsWith('{id}')
    ? path.startsWith(route.slice(0, -4)) && path.length > route.length - 4
    : route === path;
}

/** Why a path is not served: a route this file switched off says which setting does it. */
function notServed(path: string, s: ControlSettings, routes: readonly string[]): string {
  const served = routes.length ? routes.join(', ') : 'nothing';
  if (path.startsWith('/health/') && !s.health) return `Health endpoints are off (management.health: false)`;
  if (path === '/status' && !s.info) return `/status is off: set management.info: true on the control adapter`;
  if (path === '/metrics' && !s.metrics)
    return `/metrics is off (observability.enabled or observability.metrics.local.enabled is false)`;
  if ((path === '/traces' || path.startsWith('/traces/')) && !s.traces.enabled)
    return `/traces is off (observability.enabled or observability.traces.local.enabled is false)`;
  if (path === '/scripting' && !s.scripting)
    return `/scripting is off: the control adapter has no management.scripting`;
  return `No route ${path}; this control adapter serves ${served}`;
}

function sendProblem(err: RuntimeError, req: FastifyRequest, reply: FastifyReply, secrets: Secrets): FastifyReply {
  req.errorCode = err.code;
  const wire = renderProblem(err, req.url.split('?')[0] ?? '/', req.id, secrets);
  if (err.details.allow) reply.header('allow', err.details.allow.join(', '));
  return reply.code(wire.status).type(wire.contentType).send(wire.body);
}
