import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileCacheDir } from './compile-cache.js';

const base = mkdtempSync(join(tmpdir(), 'compile-cache-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const uid = process.getuid?.();
const name = `naftiko-runtime-compile-cache${uid === undefined ? '' : `-${uid}`}`;

describe('compileCacheDir', () => {
  it('makes a folder of our own, closed to others, and reuses it', () => {
    const root = join(base, 'fresh');
    mkdirSync(root);
    const dir = compileCacheDir({}, root);
    expect(dir).toBe(join(root, name));
    expect(statSync(dir as string).mode & 0o777).toBe(0o700);
    expect(compileCacheDir({}, root)).toBe(dir);
  });

  it('never uses a folder others can write to, nor a link', () => {
    const open = join(base, 'open');
    mkdirSync(join(open, name), { recursive: true });
    chmodSync(join(open, name), 0o777);
    expect(compileCacheDir({}, open)).toBeUndefined();
    const linked = join(base, 'linked');
    mkdirSync(linked);
    mkdirSync(join(base, 'elsewhere'), { mode: 0o700 });
    symlinkSync(join(base, 'elsewhere'), join(linked, name));
    expect(compileCacheDir({}, linked)).toBeUndefined();
  });

  it('no cache, and no error, where no folder can be made (a read-only filesystem)', () => {
    const file = join(base, 'not-a-folder');
    writeFileSync(file, '');
    expect(compileCacheDir({}, file)).toBeUndefined();
    expect(compileCacheDir({}, join(base, 'missing', 'deeper'))).toBeUndefined();
  });

  it('NODE_COMPILE_CACHE is used as given; NODE_DISABLE_COMPILE_CACHE turns it off', () => {
    expect(compileCacheDir({ NODE_COMPILE_CACHE: '/somewhere/cache' }, base)).toBe('/somewhere/cache');
    expect(compileCacheDir({ NODE_DISABLE_COMPILE_CACHE: '1', NODE_COMPILE_CACHE: '/x' }, base)).toBeUndefined();
  });
});
