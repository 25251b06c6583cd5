// `runtime start`'s own flags (listen addresses, ports, upstream variables, timeouts, logging), each value
// checked before anything starts; a bad one is a one-line problem naming the flag or environment variable.

import type { RuntimeOptions } from '../runtime.js';
import { flagModule, type FlagValues, type ModuleSettings } from './flags.js';
import { duration, fromFlagOrEnv, oneOf, pairs, port, positiveInt, Problems } from './options.js';

export const START_FLAGS = {
  help: { type: 'boolean', short: 'h' },
  sandbox: { type: 'boolean' },
  strict: { type: 'boolean' },
  host: { type: 'string' },
  'rest-port': { type: 'string' },
  'mcp-port': { type: 'string' },
  'control-port': { type: 'string' },
  'skill-port': { type: 'string' },
  var: { type: 'string', multiple: true },
  'base-uri': { type: 'string', multiple: true },
  'call-timeout': { type: 'string' },
  'connect-timeout': { type: 'string' },
  'headers-timeout': { type: 'string' },
  'body-timeout': { type: 'string' },
  'body-limit': { type: 'string' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  'mcp-stdio': { type: 'boolean' },
  'allowed-host': { type: 'string', multiple: true },
  'allowed-origin': { type: 'string', multiple: true },
  'require-auth': { type: 'boolean' },
  'shutdown-grace': { type: 'string' },
} as const;

export const START_USAGE = `Usage: runtime start <file> [options]

  --sandbox                 send upstream calls to the embedded Logto sandbox (no tenant needed)
  --host <addr>             listen address for every adapter (env HOST; default 127.0.0.1)
  --rest-port <n>           REST adapter port (env REST_PORT; default: the file's)
  --mcp-port <n>            MCP adapter port (env MCP_PORT; default: the file's)
  --control-port <n>        control adapter port (env CONTROL_PORT; default: the file's)
  --skill-port <n>          skill adapter port (env SKILL_PORT; default: the file's)
  --var <name=value>        base URI variable, e.g. --var tenant_id=acme (env: NAME in upper case)
  --base-uri <ns=url>       replace a consumed namespace's whole base URI (env NAFTIKO_BASE_URI_<NS>)
  --strict                  treat dialect warnings as errors
  Durations are milliseconds, or a number with ms, s or m (30000, 30s, 2m):
  --call-timeout <ms>       whole upstream call deadline (default 30000)
  --connect-timeout <ms>    upstream connect timeout (default 5000)
  --headers-timeout <ms>    upstream response headers timeout (default 15000)
  --body-timeout <ms>       upstream body idle timeout (default 15000)
  --body-limit <bytes>      largest accepted request body (default 1048576)
  --log-level <level>       trace|debug|info|warn|error|fatal|silent (env LOG_LEVEL; default info)
  --log-format <fmt>        json|pretty (env LOG_FORMAT; default: pretty on a terminal, else json)
  --mcp-stdio               serve the MCP adapter on stdin/stdout (logs go to stderr; no HTTP adapters)
  --allowed-host <name>     extra Host name every HTTP adapter accepts (repeatable; env MCP_ALLOWED_HOSTS)
  --allowed-origin <url>    extra Origin the MCP adapter accepts (repeatable; env MCP_ALLOWED_ORIGINS)
  --shutdown-grace <ms>     on SIGTERM/SIGINT, how long in-flight calls may run before their connections
                            are cut (env SHUTDOWN_GRACE_MS; default 10000)
  --require-auth            refuse to listen beyond loopback without inbound auth (env RUNTIME_REQUIRE_AUTH=1)
  Inbound auth for adapters that declare none: env RUNTIME_AUTH_TOKEN (bearer).
  Precedence: flag > environment > the capability file. Reference: docs/configuration.md.
`;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;

type Values = FlagValues<typeof START_FLAGS>;

export interface LogSettings {
  readonly level: (typeof LOG_LEVELS)[number];
  readonly format?: (typeof LOG_FORMATS)[number];
}

/** Read before the others, since the logger that reports their warnings is built from it. */
export function logSettings(values: Values, env: NodeJS.ProcessEnv, problems: Problems): LogSettings {
  const level = problems.take(() => oneOf(...named(values, 'log-level', env, 'LOG_LEVEL', LOG_LEVELS)));
  const format = problems.take(() => oneOf(...named(values, 'log-format', env, 'LOG_FORMAT', LOG_FORMATS)));
  return { level: level ?? 'info', ...(format ? { format } : {}) };
}

function named<T extends string>(
  values: Values,
  flag: string,
  env: NodeJS.ProcessEnv,
  envName: string,
  allowed: readonly T[],
): [string | undefined, readonly T[], string] {
  const [value, from] = fromFlagOrEnv(values, flag, env, envName);
  return [value, allowed, from];
}

/** Everything but the file, the logger and the secrets; throws one UsageError listing every bad value. */
export function startSettings(values: Values, env: NodeJS.ProcessEnv): ModuleSettings {
  const p = new Problems();
  const read = <T>(flag: string, envName: string | undefined, check: (v: string | undefined, from: string) => T) =>
    p.take(() => check(...fromFlagOrEnv(values, flag, env, envName)));
  const list = (flag: string[] | undefined, name: string) =>
    flag ??
    (env[name]
      ? String(env[name])
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : undefined);
  const host = values.host ?? env['HOST'];
  if (host !== undefined && host.trim() === '')
    p.list.push(`${values.host !== undefined ? '--host' : 'HOST'} must not be empty`);
  const allowedHosts = list(values['allowed-host'], 'MCP_ALLOWED_HOSTS');
  const allowedOrigins = list(values['allowed-origin'], 'MCP_ALLOWED_ORIGINS');
  for (const h of allowedHosts ?? [])
    if (/[/\s]/.test(h)) p.list.push(`--allowed-host expects a host name (optionally :port), not a URL, got '${h}'`);
  for (const o of allowedOrigins ?? [])
    if (!isOrigin(o)) p.list.push(`--allowed-origin expects an origin like https://app.example.com, got '${o}'`);
  const timeouts = {
    ...opt('callTimeoutMs', read('call-timeout', undefined, duration)),
    ...opt('connectTimeoutMs', read('connect-timeout', undefined, duration)),
    ...opt('headersTimeoutMs', read('headers-timeout', undefined, duration)),
    ...opt('bodyTimeoutMs', read('body-timeout', undefined, duration)),
  };
  const settings: ModuleSettings = {
    sandbox: values.sandbox ?? false,
    strict: values.strict ?? false,
    vars: p.take(() => pairs(values.var, '--var')) ?? {},
    baseUris: p.take(() => pairs(values['base-uri'], '--base-uri')) ?? {},
    checkNames: true,
    timeouts,
    mcpStdio: values['mcp-stdio'] ?? false,
    requireAuth: values['require-auth'] ?? env['RUNTIME_REQUIRE_AUTH'] === '1',
    ...opt('authToken', env['RUNTIME_AUTH_TOKEN'] || undefined),
    ...opt('allowedHosts', allowedHosts),
    ...opt('allowedOrigins', allowedOrigins),
    ...opt('host', host?.trim() ? host : undefined),
    ...opt('restPort', read('rest-port', 'REST_PORT', port)),
    ...opt('mcpPort', read('mcp-port', 'MCP_PORT', port)),
    ...opt('controlPort', read('control-port', 'CONTROL_PORT', port)),
    ...opt('skillPort', read('skill-port', 'SKILL_PORT', port)),
    ...opt('bodyLimit', read('body-limit', undefined, positiveInt)),
    ...opt('shutdownGraceMs', read('shutdown-grace', 'SHUTDOWN_GRACE_MS', duration)),
  };
  p.throwIfAny();
  return settings;
}

/** `scheme://host[:port]` and nothing more: what a browser sends in `Origin`. */
function isOrigin(text: string): boolean {
  try {
    return new URL(text).origin === text.replace(/\/$/, '');
  } catch {
    return false;
  }
}

export const START_MODULE = flagModule(START_FLAGS, START_USAGE, startSettings);

function opt<
  K extends keyof RuntimeOptions | 'callTimeoutMs' | 'connectTimeoutMs' | 'headersTimeoutMs' | 'bodyTimeoutMs',
  V,
>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
