// `runtime start <file>`: flags + environment → RuntimeOptions; run until a drain signal (signals.ts).
// Every start-up problem is reported in one go: bad flags, bad values, and what they mean for the file.

import { dirname, resolve } from 'node:path';
import { compileTable } from '../binding/compile.js';
import { closeCompileResources, compileOptionsFor } from '../compile-options.js';
import { ConfigError } from '../config.js';
import { createLogger } from '../log.js';
import { startRuntime, type Runtime, type RuntimeOptions } from '../runtime.js';
import { Secrets } from '../secrets.js';
import { formatDiagnostic, SpecError } from '../spec/diagnostics.js';
import { loadCapability } from '../spec/load.js';
import { upstreamEndpoints } from '../upstreams.js';
import { flagModule, readFlags, type FlagModule, type FlagSpecs, type ModuleSettings } from './flags.js';
import { CONTRACTS_FLAGS, CONTRACTS_USAGE, contractsSettings } from './contracts-options.js';
import { flushCompileCache } from './compile-cache.js';
import { startIdleGc } from './idle-gc.js';
import { EXIT, type CliIO } from './io.js';
import { OAUTH_FLAGS, OAUTH_USAGE, oauthSettings } from './oauth-options.js';
import { INBOUND_OAUTH_FLAGS, INBOUND_OAUTH_USAGE, inboundOAuthSettings } from './inbound-oauth-options.js';
import { LIMITS_FLAGS, LIMITS_USAGE, limitsSettings } from './limits-options.js';
import { RELOAD_FLAGS, RELOAD_USAGE, reloadSettings } from './reload-options.js';
import { Problems } from './options.js';
import { installSignalHandlers } from './signals.js';
import { logSettings, START_MODULE } from './start-options.js';
import { declaresMcpStdio } from './stdio-intent.js';

/**
 * Every flag group of `runtime start`: the parser, the help text and the unknown-flag suggestions all read this
 * list, so a new group (`src/cli/<topic>-options.ts`) is one line here, plus its field in RuntimeOptions.
 */
const MODULES: readonly FlagModule[] = [
  START_MODULE,
  flagModule(OAUTH_FLAGS, OAUTH_USAGE, oauthSettings),
  flagModule(INBOUND_OAUTH_FLAGS, INBOUND_OAUTH_USAGE, inboundOAuthSettings),
  flagModule(CONTRACTS_FLAGS, CONTRACTS_USAGE, contractsSettings),
  flagModule(LIMITS_FLAGS, LIMITS_USAGE, limitsSettings),
  flagModule(RELOAD_FLAGS, RELOAD_USAGE, reloadSettings),
];

export const START_HELP = MODULES.map((m) => m.usage).join('\n');

/** Every flag `runtime start` takes, from every module. */
export const START_FLAG_SPECS: FlagSpecs = Object.assign({}, ...MODULES.map((m) => m.flags));

export async function startCommand(argv: string[], io: CliIO): Promise<number> {
  const parsed = readFlags(argv, START_FLAG_SPECS);
  const values = parsed.values as Record<string, unknown>;
  if (values['help']) {
    io.stdout(START_HELP);
    return EXIT.ok;
  }
  const env = io.env;
  const problems = new Problems();
  problems.list.push(...parsed.problems);
  const [file] = parsed.positionals;
  // With an unknown flag, an extra word is most likely its value: that problem is already reported.
  if (parsed.positionals.length !== 1 && !(parsed.unknown && parsed.positionals.length > 1))
    problems.list.push(
      parsed.positionals.length === 0
        ? 'expects a capability file (runtime start <file>)'
        : `expects exactly one capability file, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}`,
    );
  const logging = logSettings(values, env, problems);
  const results = MODULES.map((m) => problems.take(() => m.settings(values, env)) ?? {});
  const warnings = results.flatMap((r) => r.warnings ?? []);
  const settings: ModuleSettings = Object.assign({}, ...results);
  const secrets = new Secrets();
  // Registered before anything can print: a start-up error may quote a setting.
  secrets.add(
    settings.oauth?.clientSecret,
    env['RUNTIME_AUTH_TOKEN'],
    env['INBOUND_OAUTH_INTROSPECTION_CLIENT_SECRET'],
  );
  if (problems.list.length) {
    // The file is still read, so a typo'd --var or a missing key shows up in this run too.
    if (file) problems.list.push(...(await fileProblems(resolve(io.cwd, file), settings, env)));
    io.stderr(
      problems.list.map((line) => `runtime start: ${secrets.redact(line)}\n`).join('') +
        `(runtime start --help lists every flag; docs/troubleshooting.md explains each message)\n`,
    );
    return EXIT.usage;
  }
  const mcpStdio = settings.mcpStdio ?? false;
  // With MCP on stdio (the flag, or `transport: stdio` in the file), stdout carries protocol frames
  // only: logs go to stderr.
  const framesOnStdout = mcpStdio || declaresMcpStdio(file as string);
  const log = createLogger({
    secrets,
    level: logging.level,
    pretty: logging.format ? logging.format === 'pretty' : io.isTTY && !framesOnStdout,
    to: framesOnStdout ? 'stderr' : 'stdout',
  });
  for (const w of warnings) log.warn(w);
  if (settings.oauth)
    log.info(
      { clientId: settings.oauth.clientId },
      `upstream credentials: OAuth2 client credentials for client '${settings.oauth.clientId}' (the file's static credentials are not used)`,
    );
  const { warnings: _logged, ...chosen } = settings;
  const options: RuntimeOptions = { ...chosen, file: file as string, env, log, secrets };

  // Installed before the adapters listen: a signal sent as soon as a port answers (a supervisor, a test)
  // must already find its handler, or SIGUSR1 opens the inspector and SIGHUP kills the process.
  let runtime: Runtime | undefined;
  let stopping = false;
  let stopped: () => void = () => {};
  const done = new Promise<void>((resolve) => (stopped = resolve));
  const stop = (signal: string) => {
    if (stopping) {
      log.warn('second signal: exiting now');
      process.exit(EXIT.invalid);
    }
    stopping = true;
    log.info({ signal }, 'stopping: finishing in-flight calls');
    if (runtime) void runtime.close().then(stopped);
  };
  // SIGTERM, SIGINT, SIGQUIT and SIGUSR2 drain; SIGHUP re-reads the file (docs/reload.md); SIGUSR1 is ignored.
  const removeSignalHandlers = installSignalHandlers(log, {
    stop,
    reload: () => {
      if (!runtime) return log.warn({ signal: 'SIGHUP' }, 'SIGHUP ignored: the runtime is still starting');
      if (!stopping) void runtime.reload();
    },
  });

  try {
    runtime = await startRuntime(options);
  } catch (err) {
    removeSignalHandlers();
    if (err instanceof SpecError) {
      io.stderr(
        `${err.diagnostics.map(formatDiagnostic).join('\n')}\nruntime start: ${file} is not a valid capability\n`,
      );
      return EXIT.invalid;
    }
    if (err instanceof ConfigError) {
      io.stderr(
        secrets
          .redact(err.message)
          .split('\n')
          .map((line) => `runtime start: ${line}\n`)
          .join(''),
      );
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

  // What start-up compiled, written once it has settled (Node writes the cache only at a clean exit).
  setTimeout(flushCompileCache, 1000).unref();
  // Memory back down once a load has passed (idle-gc.ts).
  startIdleGc();
  // A drain signal that came while starting: stop now that there is something to close.
  if (stopping) void runtime.close().then(stopped);
  void runtime.stdioEnded?.then(() => stop('stdin closed'));
  await done;
  removeSignalHandlers();
  log.info('stopped');
  return EXIT.ok;
}

/** What the file makes of the settings (unknown --var names, missing keys), when flags already failed. */
async function fileProblems(file: string, settings: ModuleSettings, env: NodeJS.ProcessEnv): Promise<string[]> {
  const loaded = await loadCapability(file, { strict: settings.strict ?? false });
  if (!loaded.ok || !loaded.doc)
    return [
      ...loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic),
      `${file} is not a valid capability`,
    ];
  try {
    const table = compileTable(loaded.doc, await compileOptionsFor(file, loaded.doc));
    const sandbox = settings.sandbox ? { url: 'http://127.0.0.1:9', token: 'sandbox' } : undefined;
    upstreamEndpoints(table, { ...settings, env, secrets: new Secrets() }, sandbox, dirname(file));
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  } finally {
    await closeCompileResources();
  }
}
