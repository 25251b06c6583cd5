// `runtime start <file>`: flags + environment → RuntimeOptions; run until SIGINT/SIGTERM.

import { parseArgs } from 'node:util';
import { ConfigError } from '../config.js';
import { createLogger } from '../log.js';
import { startRuntime, type RuntimeOptions } from '../runtime.js';
import { Secrets } from '../secrets.js';
import { formatDiagnostic, SpecError } from '../spec/diagnostics.js';
import { EXIT, type CliIO } from './io.js';
import { OAUTH_FLAGS, OAUTH_USAGE, oauthSettings } from './oauth-options.js';
import { CONTRACTS_FLAGS, CONTRACTS_USAGE, contractsSettings } from './contracts-options.js';
import { oneFile, pairs, port, positiveInt } from './options.js';
import { declaresMcpStdio } from './stdio-intent.js';

const USAGE = `Usage: runtime start <file> [options]

  --sandbox                 send upstream calls to the embedded Logto sandbox (no tenant needed)
  --host <addr>             listen address for every adapter (env HOST; default 127.0.0.1)
  --rest-port <n>           REST adapter port (env REST_PORT; default: the file's)
  --mcp-port <n>            MCP adapter port (env MCP_PORT; default: the file's)
  --control-port <n>        control adapter port (env CONTROL_PORT; default: the file's)
  --skill-port <n>          skill adapter port (env SKILL_PORT; default: the file's)
  --var <name=value>        base URI variable, e.g. --var tenant_id=acme (env: NAME in upper case)
  --base-uri <ns=url>       replace a consumed namespace's whole base URI (env NAFTIKO_BASE_URI_<NS>)
  --strict                  treat dialect warnings as errors
  --call-timeout <ms>       whole upstream call deadline (default 30000)
  --connect-timeout <ms>    upstream connect timeout (default 5000)
  --headers-timeout <ms>    upstream response headers timeout (default 15000)
  --body-timeout <ms>       upstream body idle timeout (default 15000)
  --body-limit <bytes>      largest accepted request body (default 1048576)
  --log-level <level>       trace|debug|info|warn|error (env LOG_LEVEL; default info)
  --log-format <fmt>        json|pretty (default: pretty on a terminal, else json)
  --mcp-stdio               serve the MCP adapter on stdin/stdout (logs go to stderr; no HTTP adapters)
  --allowed-host <name>     extra Host name the MCP adapter accepts (repeatable; env MCP_ALLOWED_HOSTS)
  --allowed-origin <url>    extra Origin the MCP adapter accepts (repeatable; env MCP_ALLOWED_ORIGINS)
  --shutdown-grace <ms>     on SIGTERM/SIGINT, how long in-flight calls may run before their connections
                            are cut (env SHUTDOWN_GRACE_MS; default 10000)
  --require-auth            refuse to listen beyond loopback without inbound auth (env RUNTIME_REQUIRE_AUTH=1)
  Inbound auth for adapters that declare none: env RUNTIME_AUTH_TOKEN (bearer).

${OAUTH_USAGE}
${CONTRACTS_USAGE}`;

export async function startCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
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
      ...OAUTH_FLAGS,
      ...CONTRACTS_FLAGS,
    },
  });
  if (values.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const file = oneFile(positionals, 'start');
  const env = io.env;
  const secrets = new Secrets();
  const { oauth, warnings } = oauthSettings(values, env);
  // Registered before anything can print: a start-up error may quote a setting.
  secrets.add(oauth?.clientSecret, env['RUNTIME_AUTH_TOKEN']);
  const format = values['log-format'] ?? env['LOG_FORMAT'];
  const mcpStdio = values['mcp-stdio'] ?? false;
  // With MCP on stdio (the flag, or `transport: stdio` in the file), stdout carries protocol frames
  // only: logs go to stderr.
  const framesOnStdout = mcpStdio || declaresMcpStdio(file);
  const log = createLogger({
    secrets,
    level: values['log-level'] ?? env['LOG_LEVEL'] ?? 'info',
    pretty: format ? format === 'pretty' : io.isTTY && !framesOnStdout,
    to: framesOnStdout ? 'stderr' : 'stdout',
  });
  for (const w of warnings) log.warn(w);
  if (oauth)
    log.info(
      { clientId: oauth.clientId },
      `upstream credentials: OAuth2 client credentials for client '${oauth.clientId}' (the file's static credentials are not used)`,
    );
  const list = (flag: string[] | undefined, name: string) =>
    flag ??
    (env[name]
      ? String(env[name])
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : undefined);
  const allowedHosts = list(values['allowed-host'], 'MCP_ALLOWED_HOSTS');
  const allowedOrigins = list(values['allowed-origin'], 'MCP_ALLOWED_ORIGINS');

  const restPort = port(values['rest-port'] ?? env['REST_PORT'], '--rest-port');
  const mcpPort = port(values['mcp-port'] ?? env['MCP_PORT'], '--mcp-port');
  const controlPort = port(values['control-port'] ?? env['CONTROL_PORT'], '--control-port');
  const skillPort = port(values['skill-port'] ?? env['SKILL_PORT'], '--skill-port');
  const host = values.host ?? env['HOST'];
  const timeouts = {
    ...opt('callTimeoutMs', positiveInt(values['call-timeout'], '--call-timeout')),
    ...opt('connectTimeoutMs', positiveInt(values['connect-timeout'], '--connect-timeout')),
    ...opt('headersTimeoutMs', positiveInt(values['headers-timeout'], '--headers-timeout')),
    ...opt('bodyTimeoutMs', positiveInt(values['body-timeout'], '--body-timeout')),
  };
  const bodyLimit = positiveInt(values['body-limit'], '--body-limit');
  const shutdownGraceMs = positiveInt(values['shutdown-grace'] ?? env['SHUTDOWN_GRACE_MS'], '--shutdown-grace');
  const options: RuntimeOptions = {
    file,
    env,
    log,
    secrets,
    sandbox: values.sandbox ?? false,
    strict: values.strict ?? false,
    vars: pairs(values.var, '--var'),
    baseUris: pairs(values['base-uri'], '--base-uri'),
    timeouts,
    mcpStdio,
    requireAuth: values['require-auth'] ?? env['RUNTIME_REQUIRE_AUTH'] === '1',
    ...opt('authToken', env['RUNTIME_AUTH_TOKEN'] || undefined),
    ...opt('oauth', oauth),
    ...opt('allowedHosts', allowedHosts),
    ...opt('allowedOrigins', allowedOrigins),
    ...opt('host', host),
    ...opt('restPort', restPort),
    ...opt('mcpPort', mcpPort),
    ...opt('controlPort', controlPort),
    ...opt('skillPort', skillPort),
    ...opt('bodyLimit', bodyLimit),
    ...opt('shutdownGraceMs', shutdownGraceMs),
    ...contractsSettings(values, env),
  };

  let runtime;
  try {
    runtime = await startRuntime(options);
  } catch (err) {
    if (err instanceof SpecError) {
      io.stderr(
        `${err.diagnostics.map(formatDiagnostic).join('\n')}\nruntime start: ${file} is not a valid capability\n`,
      );
      return EXIT.invalid;
    }
    if (err instanceof ConfigError) {
      io.stderr(`runtime start: ${secrets.redact(err.message)}\n`);
      return EXIT.invalid;
    }
    if ((err as { code?: string }).code === 'EADDRINUSE') {
      io.stderr(
        `runtime start: ${(err as Error).message}; choose another port with --rest-port / --mcp-port / --control-port / --skill-port\n`,
      );
      return EXIT.invalid;
    }
    throw err;
  }

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        log.warn('second signal: exiting now');
        process.exit(EXIT.invalid);
      }
      stopping = true;
      log.info({ signal }, 'stopping: finishing in-flight calls');
      void runtime.close().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    void runtime.stdioEnded?.then(() => stop('stdin closed'));
  });
  log.info('stopped');
  return EXIT.ok;
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
