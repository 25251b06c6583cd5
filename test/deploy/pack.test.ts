// The package as a stranger gets it: `npm pack` of the checkout (dist/ from `npm test`'s build), the tarball
// installed into an empty folder with production dependencies only (from npm's cache, which `npm ci` filled), then
// `npx runtime --version`, `validate` and `start --sandbox` run from that folder.

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, restWalk, run, start } from './processes.js';

const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  files: string[];
};
const dir = mkdtempSync(join(tmpdir(), 'runtime-pack-'));
const app = join(dir, 'app');
const installed = join(app, 'node_modules', PKG.name);

afterAll(() => rm(dir, { recursive: true, force: true }), 180_000);

beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist/cli.js')), 'dist/ is built by npm test (npm run build)').toBe(true);
  // --ignore-scripts: prepare would rebuild dist/ with tsc, which npm test has just done.
  const packed = JSON.parse(
    await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT }),
  ) as Array<{ filename: string }>;
  const tarball = join(dir, (packed[0] as { filename: string }).filename);
  await run('mkdir', ['-p', app], { cwd: dir });
  await run('npm', ['init', '-y'], { cwd: app });
  await run(
    'npm',
    ['install', '--prefer-offline', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error', tarball],
    { cwd: app },
  );
}, 300_000);

describe('npm pack → install into an empty folder → npx runtime', () => {
  it('the package has a registry name of its own, a runtime bin and the files it reads at run time', () => {
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg['name']).not.toBe('runtime');
    expect(pkg['bin']).toEqual({ runtime: './dist/cli.js' });
    for (const f of [
      'dist/cli.js',
      'schemas/naftiko-1.0.0-alpha2.schema.json',
      'capabilities/logto-one-time-tokens.yaml',
      'capabilities/logto-one-time-tokens.openapi.json',
      'README.md',
    ])
      expect(existsSync(join(installed, f)), f).toBe(true);
    // Consumers get JavaScript: no compiler, no test files, no dev dependencies.
    expect(existsSync(join(app, 'node_modules/typescript'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/vitest'))).toBe(false);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, 'dist/config.test.js'))).toBe(false);
  });

  it('npx runtime --version prints the package version', async () => {
    expect((await run('npx', ['--no-install', 'runtime', '--version'], { cwd: app })).trim()).toContain(PKG.version);
  });

  it('npx runtime validate the bundled capability: exit 0', async () => {
    const file = join(installed, 'capabilities/logto-one-time-tokens.yaml');
    await run('npx', ['--no-install', 'runtime', 'validate', file], { cwd: app });
  });

  it('npx runtime start --sandbox serves health and the REST walk', async () => {
    const caps = join(installed, 'capabilities');
    const p = start(
      'npx',
      [
        '--no-install',
        'runtime',
        'start',
        join(caps, 'logto-one-time-tokens.yaml'),
        '--openapi',
        join(caps, 'logto-one-time-tokens.openapi.json'),
        '--sandbox',
        '--rest-port',
        '0',
        '--mcp-port',
        '0',
      ],
      { cwd: app, env: { LOG_FORMAT: 'json' } },
    );
    const rest = (await p.waitFor(/REST adapter '[^']+' listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000))[1];
    const mcp = (await p.waitFor(/MCP adapter '[^']+' listening on (http:\/\/127\.0\.0\.1:\d+)/))[1];
    expect((await fetch(`${rest}/health/ready`)).status).toBe(200);
    expect((await fetch(`${mcp}/health/live`)).status).toBe(200);
    await restWalk(rest as string, 'pack@example.com');
    await p.stop(); // SIGTERM to npx and the runtime under it (the exit code is npx's, killed by the signal)
  }, 120_000);
});
