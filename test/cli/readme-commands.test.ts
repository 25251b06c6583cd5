// Every shell command in README.md is exercised: run here when safe (validate, inspect, --help, the curl calls
// against an in-process sandbox runtime, the token request against the sandbox's /oidc/token), or checked against
// what covers it (CI runs npm ci / npm test; the runtime arguments of npm start, docker run and the MCP client
// commands parse without a problem and name files and upstream variables that exist). A command no rule
// recognises fails the test, so a new README command needs a rule here.

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unknownUpstreamNames } from '../../src/config.js';
import { readFlags } from '../../src/cli/flags.js';
import type { CliIO } from '../../src/cli/io.js';
import { loadTable } from '../../src/cli/load-table.js';
import { main } from '../../src/cli/main.js';
import { pairs } from '../../src/cli/options.js';
import { START_FLAG_SPECS } from '../../src/cli/start.js';
import { createLogger } from '../../src/log.js';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { startLogtoSandbox, type LogtoSandbox } from '../../src/sandbox/logto/index.js';
import { Secrets } from '../../src/secrets.js';
import { ROOT } from '../support/cli.js';

const sh = promisify(execFile);
const README = readFileSync(resolve(ROOT, 'README.md'), 'utf8');

/** The commands of every ```sh / ```bash block, continuation lines joined, comments and blanks dropped. */
export function shellCommands(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/^```(?:sh|bash|shell|console)\n([\s\S]*?)^```/gm)) {
    const joined = (m[1] ?? '').replace(/\\\n\s*/g, ' ');
    for (const line of joined.split('\n')) {
      const cmd = line.replace(/^\$ /, '').trim();
      if (cmd && !cmd.startsWith('#')) out.push(cmd);
    }
  }
  return out;
}

/** Shell-like words: quotes removed, no expansion (the commands here are simple). */
function words(cmd: string): string[] {
  return [...cmd.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    env: {},
    isTTY: false,
    cwd: ROOT,
  };
  return { code: await main(argv, io), out, err };
}

/** `runtime start` arguments as a user would run them: no flag problem, the file exists, every name known. */
async function checkStartArgs(argv: readonly string[], env: Record<string, string> = {}): Promise<void> {
  const parsed = readFlags(argv, START_FLAG_SPECS);
  expect(parsed.problems, argv.join(' ')).toEqual([]);
  if (parsed.values['help']) return;
  expect(parsed.positionals).toHaveLength(1);
  const file = resolve(ROOT, parsed.positionals[0] as string);
  expect(existsSync(file), file).toBe(true);
  const table = await loadTable(file, { stdout: () => {}, stderr: () => {}, env: {}, isTTY: false, cwd: ROOT });
  expect(table).toBeDefined();
  const expand = (v: string) => v.replace(/\$(\w+)/g, (_, n: string) => env[n] ?? `$${n}`);
  const vars = pairs(((parsed.values['var'] as string[] | undefined) ?? []).map(expand), '--var');
  const baseUris = pairs((parsed.values['base-uri'] as string[] | undefined) ?? [], '--base-uri');
  expect(unknownUpstreamNames(table?.upstreams ?? [], { vars, baseUris })).toEqual([]);
  for (const o of (parsed.values['openapi'] as string[] | undefined) ?? [])
    expect(existsSync(resolve(ROOT, o.replace(/^[\w-]+=/, ''))), o).toBe(true);
}

function packageName(): string {
  return (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { name: string }).name;
}

const RUNTIME_PREFIX = /^(?:npx runtime|node dist\/cli\.js|runtime) /;

const CAPABILITY = parseYaml(readFileSync(resolve(ROOT, 'capabilities/logto-one-time-tokens.yaml'), 'utf8')) as {
  capability: { exposes: Array<{ type: string; port: number }> };
};
const portOf = (type: string) => CAPABILITY.capability.exposes.find((e) => e.type === type)?.port;

let rt: Runtime;
let idp: LogtoSandbox;
beforeAll(async () => {
  const secrets = new Secrets();
  rt = await startRuntime({
    file: resolve(ROOT, 'capabilities/logto-one-time-tokens.yaml'),
    env: {},
    sandbox: true,
    restPort: 0,
    mcpPort: 0,
    log: createLogger({ secrets, level: 'silent' }),
    secrets,
  });
  idp = await startLogtoSandbox({
    port: 0,
    host: '127.0.0.1',
    logger: false,
    tenantId: 'acme',
    oauthClients: [{ id: 'readme-app', secret: 'readme-secret' }],
  });
});
afterAll(async () => {
  await rt?.close();
  await idp?.close();
});

/** The README's default ports → this test's runtime. */
function onTestPorts(cmd: string): string {
  return cmd
    .replaceAll(`http://127.0.0.1:${portOf('rest')}`, rt.urls['logto-one-time-tokens-rest'] as string)
    .replaceAll(`http://127.0.0.1:${portOf('mcp')}`, rt.urls['logto-one-time-tokens-mcp'] as string);
}

interface Rule {
  readonly match: RegExp;
  /** What exercises the command. */
  readonly how: string;
  readonly check: (cmd: string) => Promise<void>;
}

const TENANT_ENV = { TENANT_ID: 'acme', LOGTO_CLIENT_ID: 'readme-app', LOGTO_CLIENT_SECRET: 'readme-secret' };

const RULES: Rule[] = [
  {
    match: /^npm ci && npm start$/,
    how: '.ci/run runs npm ci on a clean clone; npm start is `runtime start` with arguments checked here, and test/cli/start.test.ts serves that sandbox start',
    check: async () => {
      expect(readFileSync(resolve(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm ci$/m);
      const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
      const [, , command, ...args] = words(pkg.scripts.start);
      expect(command).toBe('start');
      await checkStartArgs(args);
    },
  },
  {
    match: /^npm test$/,
    how: '.ci/run',
    check: async () => expect(readFileSync(resolve(ROOT, '.ci/run'), 'utf8')).toMatch(/^npm test$/m),
  },
  {
    match: /^curl -s (?!-X POST "https:)/,
    how: 'run against an in-process sandbox runtime on ephemeral ports',
    check: async (cmd) => {
      const { stdout } = await sh('sh', ['-c', `${onTestPorts(cmd)} -f`]);
      expect(() => JSON.parse(stdout)).not.toThrow();
    },
  },
  {
    match: /^npx runtime (validate|inspect) \S+$|^npx runtime start --help$/,
    how: 'run in-process',
    check: async (cmd) => {
      const r = await run(words(cmd.replace(RUNTIME_PREFIX, '')));
      expect(r.code, r.err).toBe(0);
      expect(r.out.length).toBeGreaterThan(0);
    },
  },
  {
    match: /^export [A-Z_]+=<[^>]+>( [A-Z_]+=<[^>]+>)*$/,
    how: 'placeholders for the reader; each variable is one the runtime reads (docs/configuration.md)',
    check: async (cmd) => {
      const doc = readFileSync(resolve(ROOT, 'docs/configuration.md'), 'utf8');
      for (const [, name] of cmd.matchAll(/([A-Z_]+)=/g)) expect(doc, name).toContain(`\`${name}\``);
    },
  },
  {
    match: /^export LOGTO_API_KEY=\$\(curl -s -X POST "https:\/\/\$TENANT_ID\.logto\.app\/oidc\/token"/,
    how: "run against the sandbox's /oidc/token (Logto's client-credentials contract) with the tenant's URL replaced",
    check: async (cmd) => {
      const local = cmd.replace('https://$TENANT_ID.logto.app/oidc/token', `${idp.url}/oidc/token`);
      const { stdout } = await sh('sh', ['-c', `${local}; printf %s "$LOGTO_API_KEY"`], {
        env: { PATH: process.env['PATH'] ?? '', ...TENANT_ENV },
      });
      expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    },
  },
  {
    match: /^npx runtime start /,
    how: 'arguments parse without a problem; the file, the --openapi document and the --var names exist',
    check: async (cmd) => checkStartArgs(words(cmd.replace(RUNTIME_PREFIX, '')).slice(1), TENANT_ENV),
  },
  {
    match: /^claude mcp add --transport http \S+ (\S+)$/,
    how: "the URL is the MCP adapter's in the bundled file",
    check: async (cmd) => expect(words(cmd).at(-1)).toBe(`http://127.0.0.1:${portOf('mcp')}/mcp`),
  },
  {
    match: /^claude mcp add \S+ -- node \/abs\/path\/to\/checkout\/dist\/cli\.js start /,
    how: 'the runtime arguments (paths made relative to the checkout) parse and name existing files',
    check: async (cmd) => {
      const argv = words(cmd.replaceAll('/abs/path/to/checkout/', ''));
      expect(argv).toContain('--mcp-stdio');
      await checkStartArgs(argv.slice(argv.indexOf('start') + 1));
    },
  },
  {
    match: /^npx -p (\S+) runtime (.+)$/,
    how: 'the package is this one (its pack-and-run test installs the tarball and runs it); the runtime arguments parse',
    check: async (cmd) => {
      const [, pkg = '', rest = ''] = /^npx -p (\S+) runtime (.+)$/.exec(cmd) ?? [];
      expect(pkg.replace(/@[^@/]*$/, '')).toBe(packageName());
      const [command, ...args] = words(rest);
      if (command === 'start') await checkStartArgs(args, TENANT_ENV);
      else expect(['validate', 'inspect', 'openapi', '--version', '--help']).toContain(command);
    },
  },
  {
    match: /^npm (?:install|i) (?:-g|--global) (\S+)$/,
    how: 'the package is this one (its pack-and-run test installs the tarball)',
    check: async (cmd) => expect((words(cmd).at(-1) ?? '').replace(/(.)@[^@/]*$/, '$1')).toBe(packageName()),
  },
  {
    match: /^export PATH="\$\(scripts\/node\.sh (\d+)\):\$PATH"$/,
    how: 'scripts/node.sh exists and .ci/run puts the same script on PATH for the suite',
    check: async () => {
      expect(existsSync(resolve(ROOT, 'scripts/node.sh'))).toBe(true);
      expect(readFileSync(resolve(ROOT, '.ci/run'), 'utf8')).toContain('scripts/node.sh');
    },
  },
  {
    match: /^docker build -t \S+ \.$/,
    how: "the Dockerfile exists; the image's build and run steps are replayed by the Docker replay test (docs/deploy.md)",
    check: async () => expect(existsSync(resolve(ROOT, 'Dockerfile'))).toBe(true),
  },
  {
    match: /^docker run .* naftiko-runtime (start .*)$/,
    how: 'the arguments after the image are a valid runtime start of a capability the image carries (/capabilities = capabilities/)',
    check: async (cmd) => {
      const argv = words(cmd.slice(cmd.indexOf(' naftiko-runtime ') + ' naftiko-runtime '.length));
      await checkStartArgs(argv.slice(1).map((w) => w.replace(/^\/capabilities\//, 'capabilities/')));
    },
  },
];

describe('README commands', () => {
  const commands = shellCommands(README);

  it('README has shell commands and every one is covered by a rule', () => {
    expect(commands.length).toBeGreaterThan(8);
    const uncovered = commands.filter((c) => !RULES.some((r) => r.match.test(c)));
    expect(uncovered, 'add a rule in test/cli/readme-commands.test.ts for each').toEqual([]);
  });

  for (const cmd of commands) {
    const rule = RULES.find((r) => r.match.test(cmd));
    if (!rule) continue;
    it(`${cmd.slice(0, 90)} — ${rule.how.slice(0, 60)}`, () => rule.check(cmd), 60_000);
  }
});

describe('README links', () => {
  it('every relative link points at a file or folder of the checkout', () => {
    const links = [...README.matchAll(/\]\(((?!https?:|#)[^)\s]+)\)/g)].map((m) => m[1] as string);
    expect(links.length).toBeGreaterThan(10);
    const missing = links.filter((l) => !existsSync(resolve(ROOT, l.split('#')[0] as string)));
    expect(missing).toEqual([]);
  });
});
