// `runtime sandbox logto`: run the embedded Logto one-time-token sandbox on its own until SIGINT/SIGTERM.

import { DEFAULT_SANDBOX_USER, startLogtoSandbox, type ApiResource, type SandboxUser } from '../sandbox/logto/index.js';
import { parseFlags } from './flags.js';
import { EXIT, UsageError, type CliIO } from './io.js';
import { port } from './options.js';

const USAGE = `Usage: runtime sandbox logto [options]

Serves Logto's one-time-token Management API (under /api) and its OIDC side (/oidc: token, sign-in with
authorization code + PKCE, dynamic client registration, JWKS, discovery) from memory.

  --port <n>              listen port (default 3001, Logto's; 0 picks a free one)
  --host <addr>           listen address (default 127.0.0.1)
  --token <t>             the only bearer token the API accepts (default: any non-empty token)
  --tenant-id <id>        tenantId of the rows and of the token resource (default "default")
  --client <id:secret>    an OAuth client for POST /oidc/token (repeatable); the API then accepts
                          the access tokens issued there
  --api-resource <indicator>=<scope,…>
                          an API resource (repeatable), e.g. the runtime's MCP resource URL and its
                          permissions: /oidc/token and the sign-in flow issue JWTs with aud = indicator
  --user <name:password>  who can sign in on the /oidc/auth page (repeatable;
                          default ${DEFAULT_SANDBOX_USER.username}:${DEFAULT_SANDBOX_USER.password})
`;

/** `argv` is what follows `sandbox`. The optional `stop` signal ends it like SIGINT (for tests). */
export async function sandboxCommand(argv: string[], io: CliIO, stop?: AbortSignal): Promise<number> {
  const { values, positionals } = parseFlags({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      'tenant-id': { type: 'string' },
      client: { type: 'string', multiple: true },
      'api-resource': { type: 'string', multiple: true },
      user: { type: 'string', multiple: true },
    },
  });
  if (values.help) {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  const [kind, ...extra] = positionals;
  if (kind !== 'logto' || extra.length > 0) {
    throw new UsageError(`expects one sandbox name, 'logto' (runtime sandbox logto [--port N])`);
  }
  if (values.token === '') throw new UsageError('--token must not be empty');
  const oauthClients = (values.client ?? []).map((c) => parseClient(c));
  const apiResources = (values['api-resource'] ?? []).map(parseApiResource);
  const users: SandboxUser[] = (values.user ?? []).map((u) => {
    const { id, secret } = parseClient(u, '--user', 'name:password');
    return { username: id, password: secret };
  });

  let sandbox;
  try {
    sandbox = await startLogtoSandbox({
      port: port(values.port, '--port') ?? 3001,
      host: values.host ?? '127.0.0.1',
      ...(values.token !== undefined && { token: values.token }),
      ...(values['tenant-id'] !== undefined && { tenantId: values['tenant-id'] }),
      oauthClients,
      apiResources,
      ...(users.length > 0 && { users }),
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'EADDRINUSE') {
      io.stderr(`runtime sandbox: ${(err as Error).message}; choose another port with --port\n`);
      return EXIT.invalid;
    }
    throw err;
  }

  io.stdout(`Logto sandbox listening on ${sandbox.url} (API under /api, tenant "${sandbox.tenantId}")\n`);
  io.stdout(`${authHint(values.token, oauthClients.length > 0)}\n`);
  if (oauthClients.length > 0) {
    io.stdout(
      `Token endpoint: POST ${sandbox.url}/oidc/token (grant_type=client_credentials, resource=${sandbox.resource}, scope=all)\n`,
    );
  }
  for (const r of apiResources) io.stdout(`API resource ${r.indicator} (${r.scopes.join(' ')})\n`);
  const signIn = users[0] ?? DEFAULT_SANDBOX_USER;
  io.stdout(`OIDC issuer ${sandbox.issuer}; client registration: POST ${sandbox.issuer}/reg\n`);
  io.stdout(`Sign-in: ${sandbox.issuer}/auth (code + PKCE S256) as ${signIn.username} / ${signIn.password}\n`);
  io.stdout('Data lives in memory only. Press Ctrl+C to stop.\n');

  await untilStopped(stop);
  await sandbox.close();
  io.stdout('Logto sandbox stopped\n');
  return EXIT.ok;
}

function authHint(token: string | undefined, oauth: boolean): string {
  if (token !== undefined) return `Send 'Authorization: Bearer ${token}'${oauth ? ' or an issued access token' : ''}.`;
  if (oauth) return 'Send an access token from /oidc/token as Authorization: Bearer <token>.';
  return `Any 'Authorization: Bearer <non-empty>' header is accepted (use --token to require one).`;
}

function parseClient(value: string, flag = '--client', form = 'id:secret'): { id: string; secret: string } {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) throw new UsageError(`${flag} expects ${form}, got '${value}'`);
  return { id: value.slice(0, colon), secret: value.slice(colon + 1) };
}

/** `<indicator>=<scope,…>`, split at the last `=` (an indicator URL may hold one in its query). */
function parseApiResource(value: string): ApiResource {
  const eq = value.lastIndexOf('=');
  const indicator = eq > 0 ? value.slice(0, eq) : '';
  const scopes = value
    .slice(eq + 1)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!URL.canParse(indicator) || scopes.length === 0)
    throw new UsageError(`--api-resource expects <indicator URL>=<scope,…>, got '${value}'`);
  return { indicator, scopes };
}

function untilStopped(stop: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      stop?.removeEventListener('abort', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (stop?.aborted) done();
    else stop?.addEventListener('abort', done, { once: true });
  });
}
