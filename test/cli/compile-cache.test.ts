// The bundled CLI (dist/cli.js, npm run build) with Node's compile cache: it fills a private folder under the
// temporary directory, and where that directory cannot be written (a read-only root filesystem) it still runs.

import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, SEED_PATH } from '../support/cli.js';

const base = mkdtempSync(join(tmpdir(), 'cli-compile-cache-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const uid = process.getuid?.();
const name = `naftiko-runtime-compile-cache${uid === undefined ? '' : `-${uid}`}`;

describe('runtime with the compile cache', () => {
  it('writes the cache into its own folder under TMPDIR at a clean exit', async () => {
    const p = runCli(['validate', SEED_PATH], { TMPDIR: base });
    expect(await p.exit).toBe(0);
    const dir = join(base, name);
    expect(existsSync(dir)).toBe(true);
    // One folder per Node version and V8 flags, holding the compiled modules.
    const [versioned] = readdirSync(dir);
    expect(readdirSync(join(dir, versioned as string)).length).toBeGreaterThan(0);
  });

  it('runs as before when TMPDIR cannot hold a folder', async () => {
    const file = join(base, 'read-only');
    writeFileSync(file, '');
    const p = runCli(['validate', SEED_PATH], { TMPDIR: file });
    expect(await p.exit).toBe(0);
    expect(p.err()).not.toMatch(/cache/i);
  });

  it('NODE_DISABLE_COMPILE_CACHE=1: no folder', async () => {
    const own = mkdtempSync(join(base, 'off-'));
    const p = runCli(['validate', SEED_PATH], { TMPDIR: own, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(await p.exit).toBe(0);
    expect(existsSync(join(own, name))).toBe(false);
  });
});
