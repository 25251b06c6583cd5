// The Dockerfile replayed without a container engine, so that it cannot rot: the build context honouring
// .dockerignore, every stage's COPY/WORKDIR/ENV/RUN in a folder standing for that stage's filesystem (container
// paths mapped below it; the base image's node is the Node under test, placed at /usr/local/bin/node as in the
// official images), then the final stage's ENTRYPOINT + CMD with its ENV as an unprivileged user, its
// HEALTHCHECK command, and a REST walk against a sandbox upstream given through the environment.
//
// Two substitutions, both because the checkout already holds their result: the build stage's full
// `npm ci --ignore-scripts` (dev dependencies, only for tsc) links the checkout's node_modules (same lockfile, which
// is asserted), and npm runs with prefer-offline (its cache is warm after `npm ci`). The production install of the
// deps stage and `npm run build` run as written.

import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canary } from '../support/canary.js';
import { contextFiles, dockerignore, execForm, healthcheck, pairs, parseDockerfile, type Stage } from './dockerfile.js';
import { freePort, restWalk, ROOT, run, start } from './processes.js';

const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const IGNORE = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
const stages = parseDockerfile(DOCKERFILE);
const final = stages.at(-1) as Stage;
const KEY = canary('docker-logto-api-key');
/** The official node images' PATH before any ENV of ours. */
const BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const work = mkdtempSync(join(tmpdir(), 'runtime-docker-'));
chmodSync(work, 0o755);
const context = join(work, 'context');
const rootOf = (i: number) => join(work, `stage-${i}`);
const finalRoot = rootOf(stages.length - 1);
const finalEnv: Record<string, string> = {};
let finalCwd = '/';
let user: string | undefined;

// Three stage folders with their node_modules: removing them takes a while on a loaded machine.
afterAll(() => rm(work, { recursive: true, force: true }), 180_000);

/** A container path inside the stage's folder. */
const inside = (root: string, p: string) => join(root, p);
/** The image's PATH with each folder looked up in the replayed filesystem first, then on the host (the base image). */
const hostPath = (root: string, path: string) =>
  path
    .split(':')
    .flatMap((d) => [inside(root, d), d])
    .join(':');
/** The Node under test where the official images have theirs. */
function placeNode(root: string): void {
  const target = inside(root, '/usr/local/bin/node');
  mkdirSync(dirname(target), { recursive: true });
  try {
    linkSync(process.execPath, target);
  } catch {
    copyFileSync(process.execPath, target);
    chmodSync(target, 0o755);
  }
}
/** Runs as the image's USER would: a non-root uid when we are root and setpriv exists, else as ourselves. */
function asUser(cmd: string[]): { cmd: string; args: string[]; note?: string } {
  const privileged = process.getuid?.() === 0;
  if (!privileged) return { cmd: cmd[0] as string, args: cmd.slice(1) };
  try {
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
  } catch {
    return { cmd: cmd[0] as string, args: cmd.slice(1), note: 'setpriv missing: ran as root' };
  }
  return { cmd: 'setpriv', args: ['--reuid=65534', '--regid=65534', '--clear-groups', '--', ...cmd] };
}

beforeAll(async () => {
  // The build context.
  const excluded = dockerignore(IGNORE);
  for (const f of contextFiles(ROOT, excluded, IGNORE)) {
    mkdirSync(dirname(join(context, f)), { recursive: true });
    copyFileSync(join(ROOT, f), join(context, f));
  }
  const names = new Map<string, number>();
  for (const [i, stage] of stages.entries()) {
    const root = rootOf(i);
    mkdirSync(root, { recursive: true });
    chmodSync(root, 0o755);
    placeNode(root);
    if (stage.name) names.set(stage.name, i);
    const env: Record<string, string> = { PATH: BASE_PATH };
    let cwd = '/';
    for (const { op, args } of stage.steps) {
      if (op === 'WORKDIR') {
        cwd = resolve(cwd, args);
        mkdirSync(inside(root, cwd), { recursive: true });
      } else if (op === 'ENV') for (const [k, v] of pairs(args, env)) env[k] = v;
      else if (op === 'COPY') {
        const words = args.split(/\s+/);
        const from = words[0]?.startsWith('--from=') ? (words.shift() as string).slice('--from='.length) : undefined;
        const dest = resolve(cwd, words.pop() as string) + ((args.endsWith('/') && '/') || '');
        const base = from === undefined ? context : rootOf(names.get(from) ?? Number(from));
        for (const src of words) {
          const s = from === undefined ? join(base, src) : inside(base, resolve('/', src));
          expect(existsSync(s), `COPY ${src}: in the ${from ?? 'build context'}`).toBe(true);
          const d =
            words.length > 1 || dest.endsWith('/')
              ? join(inside(root, dest), src.split('/').pop() as string)
              : inside(root, dest);
          mkdirSync(dirname(d), { recursive: true });
          cpSync(s, d, { recursive: true, verbatimSymlinks: true });
        }
      } else if (op === 'RUN') {
        const dir = inside(root, cwd);
        if (/^npm ci\b/.test(args) && !/--omit=dev/.test(args)) {
          expect(readFileSync(join(dir, 'package-lock.json'), 'utf8')).toBe(
            readFileSync(join(ROOT, 'package-lock.json'), 'utf8'),
          );
          symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
          continue;
        }
        await run('sh', ['-c', args], {
          cwd: dir,
          env: { ...env, PATH: hostPath(root, env['PATH'] ?? BASE_PATH), npm_config_prefer_offline: 'true' },
        });
      } else if (op === 'USER') user = args;
      if (i === stages.length - 1) {
        Object.assign(finalEnv, env);
        finalCwd = cwd;
      }
    }
  }
}, 600_000);

/** Runs the image's ENTRYPOINT with `args` (container paths mapped), its ENV plus `env`, as its USER. */
function container(args: readonly string[], env: Record<string, string> = {}) {
  const entry = execForm((final.steps.find((s) => s.op === 'ENTRYPOINT') as { args: string }).args);
  const mapped = [...entry, ...args].map((a) =>
    a.startsWith('/') && existsSync(inside(finalRoot, a)) ? inside(finalRoot, a) : a,
  );
  const u = asUser(mapped);
  return start(u.cmd, u.args, {
    cwd: inside(finalRoot, finalCwd),
    exactEnv: true,
    env: { ...finalEnv, PATH: hostPath(finalRoot, finalEnv['PATH'] ?? BASE_PATH), HOME: '/tmp', ...env },
  });
}

describe('Dockerfile', () => {
  it('is multi-stage on one exact current-LTS node tag, ends non-root with a health check and OCI labels', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const tags = new Set(stages.map((s) => s.from));
    expect(tags.size).toBe(1);
    const m = /^node:(\d+)\.\d+\.\d+-[a-z]+-slim(@sha256:[0-9a-f]{64})?$/.exec([...tags][0] as string);
    expect(m, 'an exact node:<x.y.z>-<debian>-slim tag').not.toBeNull();
    const major = Number(m?.[1]);
    expect(major >= 22 && major % 2 === 0, 'an LTS line the package supports').toBe(true);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(final.steps.some((s) => s.op === 'HEALTHCHECK')).toBe(true);
    const labels = Object.fromEntries(final.steps.filter((s) => s.op === 'LABEL').flatMap((s) => pairs(s.args)));
    for (const l of ['title', 'description', 'licenses', 'version'])
      expect(labels[`org.opencontainers.image.${l}`], l).toBeTruthy();
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(labels['org.opencontainers.image.version']).toBe(version);
    expect(execForm((final.steps.find((s) => s.op === 'ENTRYPOINT') as { args: string }).args)).toEqual(['runtime']);
    expect(finalEnv['HOST']).toBe('0.0.0.0');
  });

  it('the build context leaves out node_modules, dist, git, tests and env files', () => {
    const files = contextFiles(ROOT, dockerignore(IGNORE), IGNORE);
    expect(files).toContain('package-lock.json');
    expect(files).toContain('src/cli.ts');
    expect(files.some((f) => /^(node_modules|dist|\.git|test)\//.test(f))).toBe(false);
    expect(files.some((f) => f.endsWith('.test.ts') || /(^|\/)\.env/.test(f))).toBe(false);
  });

  it('the final image holds production dependencies only and no sources', () => {
    expect(existsSync(inside(finalRoot, '/app/node_modules/fastify'))).toBe(true);
    expect(existsSync(inside(finalRoot, '/app/node_modules/typescript'))).toBe(false);
    expect(existsSync(inside(finalRoot, '/app/node_modules/vitest'))).toBe(false);
    expect(existsSync(inside(finalRoot, '/app/src'))).toBe(false);
  });

  it('docker run IMAGE validate /capabilities/… works through the entrypoint', async () => {
    const p = container(['validate', '/capabilities/logto-one-time-tokens.yaml']);
    expect(await p.exit, p.err()).toBe(0);
  }, 60_000);

  it('the default CMD serves as the unprivileged user: HEALTHCHECK passes once ready, the REST walk reaches the upstream', async () => {
    const sandbox = start(
      process.execPath,
      [join(ROOT, 'dist/cli.js'), 'sandbox', 'logto', '--port', '0', '--token', KEY],
      {
        cwd: ROOT,
        watch: false, // its banner prints the token it accepts
      },
    );
    const upstream = (await sandbox.waitFor(/Logto sandbox listening on (http:\/\/127\.0\.0\.1:\d+)/))[1] as string;
    const [restPort, mcpPort] = [await freePort(), await freePort()];
    // What `docker run -e …` would pass: the credential, the tenant, the upstream, the ports.
    const env = {
      LOGTO_API_KEY: KEY,
      TENANT_ID: 'acme',
      NAFTIKO_BASE_URI_LOGTO_ONE_TIME_TOKENS: upstream,
      REST_PORT: String(restPort),
      MCP_PORT: String(mcpPort),
    };
    const hc = healthcheck((final.steps.find((s) => s.op === 'HEALTHCHECK') as { args: string }).args);
    const probe = async () => {
      const u = asUser(hc.cmd);
      const p = start(u.cmd, u.args, {
        cwd: inside(finalRoot, finalCwd),
        exactEnv: true,
        env: { ...finalEnv, PATH: hostPath(finalRoot, finalEnv['PATH'] ?? BASE_PATH), ...env },
      });
      return p.exit;
    };
    expect(await probe(), 'HEALTHCHECK fails while nothing listens').not.toBe(0);
    const cmd = execForm((final.steps.find((s) => s.op === 'CMD') as { args: string }).args);
    const p = container(cmd, env);
    await p.waitFor(/REST adapter '[^']+' listening on http:\/\/0\.0\.0\.0:\d+/, 60_000);
    expect(await probe(), 'HEALTHCHECK passes').toBe(0);
    await restWalk(`http://127.0.0.1:${restPort}`, 'docker@example.com');
    expect((await fetch(`http://127.0.0.1:${mcpPort}/health/live`)).status).toBe(200);
    if (process.getuid?.() === 0 && asUser(['true']).cmd === 'setpriv') {
      // The unprivileged user cannot change the image's files.
      const w = start(
        'setpriv',
        ['--reuid=65534', '--regid=65534', '--clear-groups', '--', 'touch', inside(finalRoot, '/app/x')],
        {
          cwd: work,
        },
      );
      expect(await w.exit).not.toBe(0);
    }
    await p.stop();
    await sandbox.stop();
  }, 120_000);
});
