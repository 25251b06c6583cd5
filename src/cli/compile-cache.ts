// Node's on-disk compile cache for the CLI's modules (Node ≥ 22.1): a second start reuses V8's compiled code
// instead of parsing and compiling the bundle again (~80 ms of CPU at start-up, issue 14).
//
// Where: NODE_COMPILE_CACHE when set (Node has then enabled it itself), else a folder of our own under the
// temporary directory, per user. The cache holds code V8 loads without further checks, so a folder someone else
// could write to is never used: it must be a real directory (not a link) owned by us and closed to others.
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. Start-up never fails for it: a read-only or full filesystem (a
// container's readOnlyRootFilesystem without a writable /tmp) just means no cache.

import { lstatSync, mkdirSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type CacheApi = {
  enableCompileCache?: (dir?: string) => { status: number; directory?: string };
  flushCompileCache?: () => void;
};
const api = nodeModule as CacheApi;

/** The folder used, or undefined when there is no cache (disabled, unsupported, unusable). */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!api.enableCompileCache) return undefined;
  try {
    const dir = compileCacheDir(env);
    return dir === undefined ? undefined : api.enableCompileCache(dir).directory;
  } catch {
    return undefined;
  }
}

/** NODE_COMPILE_CACHE, else our private folder under `base` (made if missing); undefined when off or unusable. */
export function compileCacheDir(env: NodeJS.ProcessEnv, base: string = tmpdir()): string | undefined {
  if (env['NODE_DISABLE_COMPILE_CACHE']) return undefined;
  if (env['NODE_COMPILE_CACHE']) return env['NODE_COMPILE_CACHE'];
  const uid = process.getuid?.();
  const dir = join(base, `naftiko-runtime-compile-cache${uid === undefined ? '' : `-${uid}`}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const st = lstatSync(dir);
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o077) !== 0) return undefined;
  } catch {
    return undefined;
  }
  return dir;
}

/**
 * Writes what was compiled so far: Node writes the cache only at a clean exit, and a server may never have one
 * (killed, or it runs for weeks), so the start that filled the cache would not leave it for the next one.
 */
export function flushCompileCache(): void {
  try {
    api.flushCompileCache?.();
  } catch {
    // No cache is no failure.
  }
}
