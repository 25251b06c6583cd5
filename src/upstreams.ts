// Upstream endpoints for the consumer: resolved base URLs and credentials (static from binds,
// or an OAuth2 client-credentials grant), with every secret registered for redaction.

import type { CompiledTable } from './binding/compile.js';
import { templateNames } from './binding/template.js';
import { ConfigError, resolveBaseUris, resolveBinds, unknownUpstreamNames } from './config.js';
import { CredentialError, staticCredentials } from './consume/credentials.js';
import type { UpstreamEndpoint } from './consume/http.js';
import { clientCredentials } from './consume/oauth2.js';
import type { Secrets } from './secrets.js';

export interface UpstreamOAuthOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Default: `<base URI origin>/oidc/token` (Logto). */
  readonly tokenUrl?: string;
  /** Default: `<origin>/api` on `*.logto.app` (Logto Cloud), else `https://default.logto.app/api` (Logto OSS). */
  readonly resource?: string;
  /** Default: `all` (Logto Management API). */
  readonly scope?: string;
}

interface Inputs {
  readonly env: NodeJS.ProcessEnv;
  readonly vars?: Readonly<Record<string, string>>;
  readonly baseUris?: Readonly<Record<string, string>>;
  readonly oauth?: UpstreamOAuthOptions;
  readonly secrets: Secrets;
  /** Refuse `vars`/`baseUris` names the file does not have (the CLI does; tests may pass extras). */
  readonly checkNames?: boolean;
}

export function upstreamEndpoints(
  table: CompiledTable,
  inputs: Inputs,
  sandbox: { url: string; token: string } | undefined,
  dir: string,
): { endpoints: UpstreamEndpoint[]; vars: Record<string, string> } {
  // The sandbox stands in for every upstream: the variables of the upstream auth templates become its
  // token, so those templates still resolve and a real key in the environment is never sent to it.
  // Other binds (an adapter's inbound token) keep their configured values.
  const preset: Record<string, string> = {};
  for (const name of authVariables(table))
    if (sandbox) preset[name] = sandbox.token;
    else if (inputs.oauth) preset[name] = inputs.env[name] || '(oauth2)';
  // Every problem at once (a typo'd --var, a missing key, an unset tenant), not one per attempt.
  const problems = inputs.checkNames ? unknownUpstreamNames(table.upstreams, inputs) : [];
  const vars = collect(problems, () => resolveBinds(table, inputs.env, dir, preset)) ?? {};
  inputs.secrets.add(...new Set(Object.values(vars)));
  const overrides = sandbox
    ? Object.fromEntries(table.upstreams.map((u) => [u.namespace, sandbox.url]))
    : (inputs.baseUris ?? {});
  const bases = collect(problems, () =>
    resolveBaseUris(table.upstreams, { overrides, vars: inputs.vars ?? {}, env: inputs.env }),
  );
  if (problems.length || !bases) throw new ConfigError(problems.join('\n'));

  const endpoints = table.upstreams.map((u): UpstreamEndpoint => {
    const baseUrl = bases.get(u.namespace) as URL;
    if (inputs.oauth) {
      const o = inputs.oauth;
      const credentials = clientCredentials(
        {
          tokenUrl: o.tokenUrl ?? `${baseUrl.origin}/oidc/token`,
          clientId: o.clientId,
          clientSecret: o.clientSecret,
          resource: o.resource ?? defaultResource(baseUrl),
          scope: o.scope ?? 'all',
        },
        inputs.secrets,
      );
      return { namespace: u.namespace, baseUrl, credentials };
    }
    if (!u.auth) return { namespace: u.namespace, baseUrl };
    try {
      const credentials = staticCredentials(u.auth, vars, u.namespace);
      inputs.secrets.add(...credentials.secrets());
      return { namespace: u.namespace, baseUrl, credentials };
    } catch (err) {
      if (err instanceof CredentialError) throw new ConfigError(err.message);
      throw err;
    }
  });
  return { endpoints, vars };
}

function collect<T>(problems: string[], resolve: () => T): T | undefined {
  try {
    return resolve();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(err.message);
    return undefined;
  }
}

/** Bind variables the upstream auth templates use (`{{env.X}}` → `X`): not needed when OAuth2 replaces them. */
function authVariables(table: CompiledTable): string[] {
  const names = table.upstreams.flatMap((u) =>
    u.auth ? Object.values(u.auth).flatMap((v) => templateNames(String(v))) : [],
  );
  return names.map((n) => n.split('.').pop() as string);
}

/**
 * Logto's Management API resource indicator: Cloud names it after the tenant's own host; OSS always
 * uses `https://default.logto.app/api`, whatever host it runs on (contract §5).
 */
function defaultResource(baseUrl: URL): string {
  return baseUrl.hostname.endsWith('.logto.app') ? `${baseUrl.origin}/api` : 'https://default.logto.app/api';
}
