// What `runtime start` says once it listens: every URL on every port, where upstream calls go and with which
// kind of credential (never a value), and the file's dialect warnings as one line per code.

import type { Logger } from 'pino';
import type { CompiledTable } from '../binding/compile.js';
import type { ExposeSpec, UpstreamAuthSpec } from '../binding/table.js';
import { templateNames } from '../binding/template.js';
import { resolveBaseUris } from '../config.js';
import { controlRoutes, controlSettings } from '../expose/control/settings.js';
import type { FastifyInstance } from '../expose/http-app.js';
import type { Diagnostic } from '../spec/diagnostics.js';
import type { UpstreamOAuthOptions } from '../upstreams.js';

export interface BannerInput {
  readonly table: CompiledTable;
  readonly urls: Readonly<Record<string, string>>;
  readonly served: ReadonlyArray<{
    readonly spec: ExposeSpec;
    readonly app: FastifyInstance;
    readonly authenticated: boolean;
  }>;
  readonly sandbox?: { readonly url: string } | undefined;
  readonly options: {
    readonly env: NodeJS.ProcessEnv;
    readonly vars?: Readonly<Record<string, string>>;
    readonly baseUris?: Readonly<Record<string, string>>;
    readonly oauth?: UpstreamOAuthOptions;
  };
}

export function logBanner(log: Logger, input: BannerInput): void {
  const { table, urls, served, sandbox } = input;
  log.info(
    { capability: table.capability.label, bindings: table.bindings.length },
    `capability '${table.capability.label}' loaded: ${table.bindings.length} bindings`,
  );
  for (const { spec, app, authenticated } of served) {
    const url = urls[spec.namespace] ?? '';
    const auth = authenticated ? ' (inbound auth on)' : '';
    // The control adapter's own routes are its settings; every other port has the shared probes.
    const probes = `health ${url}/health/live and /health/ready, metrics ${url}/metrics`;
    const docs = has(app, '/docs') ? `, docs at ${url}/docs` : '';
    log.info(
      { adapter: spec.namespace, url },
      spec.kind === 'rest'
        ? `REST adapter '${spec.namespace}' listening on ${url}${auth} — OpenAPI at ${url}/openapi.json${docs}, ${probes}`
        : spec.kind === 'control'
          ? `control adapter listening on ${url}${auth} — ${controlRoutes(controlSettings(spec.raw)).join(', ') || 'no routes (every endpoint is off)'}`
          : spec.kind === 'skill'
            ? `SKILL adapter '${spec.namespace}' listening on ${url}/skills${auth} — ${probes}`
            : `MCP adapter '${spec.namespace}' listening on ${url}/mcp${auth} — ${probes}`,
    );
  }
  if (sandbox)
    log.info(
      { sandbox: sandbox.url },
      `upstream calls go to the embedded Logto sandbox at ${sandbox.url} (--sandbox): no real tenant is contacted — credentials: ${input.options.oauth ? `${credentialKind(undefined, input.options.oauth)} at the sandbox's /oidc/token` : "a random bearer token only the sandbox accepts (the file's keys are not sent)"}`,
    );
  else for (const line of upstreamLines(input)) log.info({ upstream: line.namespace }, line.text);
}

function has(app: FastifyInstance, url: string): boolean {
  try {
    return app.hasRoute({ method: 'GET', url });
  } catch {
    return false;
  }
}

/** One line per consumed namespace: its base URL without user info or query, and the credential kind. */
export function upstreamLines(input: BannerInput): Array<{ namespace: string; text: string }> {
  const { table, options } = input;
  let bases: Map<string, URL>;
  try {
    bases = resolveBaseUris(table.upstreams, {
      overrides: options.baseUris ?? {},
      vars: options.vars ?? {},
      env: options.env,
    });
  } catch {
    bases = new Map();
  }
  return table.upstreams.map((u) => {
    const url = bases.get(u.namespace);
    const shown = url ? `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}` : u.baseUri;
    return {
      namespace: u.namespace,
      text: `upstream '${u.namespace}': ${shown} — credentials: ${credentialKind(u.auth, options.oauth)}`,
    };
  });
}

export function credentialKind(auth: UpstreamAuthSpec | undefined, oauth: UpstreamOAuthOptions | undefined): string {
  if (oauth) return `OAuth2 client credentials (client '${oauth.clientId}')`;
  if (!auth) return 'none';
  const from = (template: string) => {
    const names = templateNames(template).map((n) => n.split('.').pop());
    return names.length ? ` from ${names.join(', ')}` : '';
  };
  switch (auth.type) {
    case 'bearer':
      return `static bearer token${from(auth.token)}`;
    case 'apikey':
      return `static API key in ${auth.placement} '${auth.key}'${from(auth.value)}`;
    case 'basic':
      return `HTTP basic${from(auth.password)}`;
    case 'digest':
      return `HTTP digest${from(auth.password)}`;
  }
}

/**
 * The file's warnings as one info line per code with its count (each one at debug level; `runtime validate`
 * lists them with line and column), so 53 relaxations of a bundled file are three lines, not 53.
 */
export function logDiagnosticSummary(log: Logger, diagnostics: readonly Diagnostic[], file: string): void {
  for (const d of diagnostics) log.debug({ code: d.code, at: `${d.line}:${d.col}` }, d.message);
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  if (!warnings.length) return;
  const byCode = new Map<string, number>();
  for (const d of warnings) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
  log.info(
    { warnings: warnings.length },
    `capability loaded with ${warnings.length} warning${warnings.length === 1 ? '' : 's'} (dialect relaxations, docs/dialect.md); \`runtime validate ${file}\` lists them`,
  );
  for (const [code, count] of [...byCode].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    const first = warnings.find((d) => d.code === code) as Diagnostic;
    log.info({ code, count }, `  ${code} ×${count} (first at ${file}:${first.line}:${first.col})`);
  }
}
