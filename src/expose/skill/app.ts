// The skill adapter: a read-only catalogue of agent skills on the shared HTTP shell (request ids, access lines,
// metrics, inbound auth, limits, health). It proxies nothing: derived tools name the sibling rest/mcp adapter an
// agent should call. Routes are the reference engine's: /skills, /skills/{name}, …/download, …/contents[/{file}].

import { localhostAllowedHostnames, validateHostHeader } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';
import { unservedTargets, type SkillCatalogue } from '../../binding/skills.js';
import type { Binding } from '../../binding/table.js';
import { RuntimeError } from '../../errors.js';
import { locationDir, realDir } from '../../safe-path.js';
import type { Secrets } from '../../secrets.js';
import { createHttpApp, type FastifyInstance } from '../http-app.js';
import type { InboundAuth } from '../inbound-auth.js';
import { hostnameOf } from '../mcp/guards.js';
import { renderProblem } from '../rest/problem.js';
import { registerSkillRoutes } from './routes.js';

export interface SkillAppOptions {
  readonly catalogue: SkillCatalogue;
  /** Every binding the runtime serves: a derived tool whose target is not among them is worth a warning. */
  readonly served: readonly Binding[];
  /** The capability file's folder: `file:///./x` locations are relative to it. */
  readonly capabilityDir: string;
  readonly secrets: Secrets;
  readonly log: Logger;
  readonly bodyLimit: number;
  readonly isReady: () => boolean;
  /** Inbound authentication; health endpoints stay open. */
  readonly auth?: InboundAuth;
  /** Host names (besides loopback) this adapter answers to, e.g. the public name a proxy forwards. */
  readonly allowedHosts?: readonly string[];
}

export const SKILLS_PATH = '/skills';

export function createSkillApp(options: SkillAppOptions): FastifyInstance {
  const { secrets } = options;
  const app = createHttpApp({
    adapter: 'skill',
    log: options.log,
    secrets,
    bodyLimit: options.bodyLimit,
    isReady: options.isReady,
    ...(options.auth ? { auth: options.auth } : {}),
    render: (err, requestId, path) => renderProblem(err, path, requestId, secrets),
  });
  // DNS-rebinding protection, as on /mcp: a page elsewhere that resolves its own name to this loopback port
  // must not read the skill files through the visitor's browser. Health probes by IP still work.
  const hosts = [...new Set([...localhostAllowedHostnames(), ...(options.allowedHosts ?? []).map(hostnameOf)])];
  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith('/health/')) return;
    const result = validateHostHeader(req.headers.host, hosts);
    if (!result.ok) throw new RuntimeError('NAF_ERR_FORBIDDEN_HOST', `${result.message}; allowed: ${hosts.join(', ')}`);
  });
  for (const t of unservedTargets(options.catalogue, options.served))
    options.log.warn(
      { adapter: options.catalogue.namespace, tool: t },
      `skill tool ${t}: that operation is not served by this runtime (see the 'not served' lines); agents calling it will fail`,
    );
  registerSkillRoutes(app, { catalogue: options.catalogue, roots: rootsOf(options), secrets });
  return app;
}

/** Each skill's folder, resolved once at start; a folder removed since load is served as absent (404). */
function rootsOf(options: SkillAppOptions): Map<string, string> {
  const roots = new Map<string, string>();
  for (const skill of options.catalogue.skills) {
    const dir = skill.location === undefined ? undefined : locationDir(skill.location, options.capabilityDir);
    const real = dir === undefined ? undefined : realDir(dir);
    if (real !== undefined) roots.set(skill.name, real);
  }
  return roots;
}
