// The REST adapter: a fastify app serving the table's REST bindings, /openapi.json and health.

import type { Logger } from 'pino';
import type { ForwardRoute } from '../../binding/forward.js';
import type { Binding, BindingTable } from '../../binding/table.js';
import type { Forwarder } from '../../consume/forward.js';
import type { Invoke } from '../../invoke.js';
import type { Secrets } from '../../secrets.js';
import type { InboundAuth } from '../inbound-auth.js';
import { allowedHostnames, installHostGuard } from '../host-allow.js';
import { createHttpApp, type FastifyInstance } from '../http-app.js';
import { registerDocsRoutes } from './docs.js';
import { registerForwardRoutes } from './forward.js';
import { buildOpenApi, withServer } from './openapi.js';
import { renderProblem } from './problem.js';
import { registerRestRoutes, toFastifyPath } from './routes.js';

export interface RestAppOptions {
  readonly table: BindingTable;
  /** This adapter's bindings (its namespace's REST operations). */
  readonly bindings: readonly Binding[];
  readonly description?: string;
  readonly invoke: Invoke;
  readonly secrets: Secrets;
  readonly log: Logger;
  readonly bodyLimit: number;
  readonly isReady: () => boolean;
  /** Inbound authentication; health endpoints stay open. */
  readonly auth?: InboundAuth;
  /** Browser origins allowed by CORS; none: CORS is off. */
  readonly cors?: readonly string[];
  /** Host names (besides loopback) this adapter answers to: its listen address, `--allowed-host`. */
  readonly allowedHosts?: readonly string[];
  /** This adapter's `forward` resources, and what sends them (src/consume/forward.ts). */
  readonly forwards?: readonly ForwardRoute[];
  readonly forward?: Forwarder;
}

export function createRestApp(options: RestAppOptions): FastifyInstance {
  const app = createHttpApp({
    adapter: 'rest',
    log: options.log,
    secrets: options.secrets,
    bodyLimit: options.bodyLimit,
    isReady: options.isReady,
    ...(options.auth ? { auth: options.auth } : {}),
    ...(options.cors ? { cors: options.cors } : {}),
    render: (err, requestId, path) => renderProblem(err, path, requestId, options.secrets),
  });
  // /openapi.json `servers` and rewritten `Link`s are built from the Host: a forged one is refused first.
  installHostGuard(app, allowedHostnames(undefined, options.allowedHosts));
  const forwards = options.forward ? (options.forwards ?? []) : [];
  const doc = buildOpenApi(
    options.table,
    options.bindings,
    options.description,
    options.auth?.securityScheme,
    forwards,
  );
  app.get('/openapi.json', async (req) => withServer(doc, `${req.protocol}://${req.host}`));
  if (options.forward) registerForwardRoutes(app, { ...options, forwards, forward: options.forward });
  registerRestRoutes(app, { ...options, forwardPaths: new Set(forwards.map((f) => toFastifyPath(f.path))) });
  registerDocsRoutes(app, { title: options.table.capability.label });
  return app;
}
