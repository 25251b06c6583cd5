// Files under a folder the capability declares (a skill's `location`): which folder a `file:///` URI names, and
// which relative paths may be read inside it. Used at load (instruction files) and per request (skill contents),
// so both refuse the same paths. Reusable for any `location` folder (MCP static resources, script files).

import { lstatSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One path segment: letters, digits, `.`, `_`, `-` (the reference engine's allow-list), and not a dot name. */
const SEGMENT = /^[A-Za-z0-9._-]{1,255}$/;
/** Well beyond any skill folder; guards against a hostile `a/a/a/…` request or a deep tree. */
export const MAX_DEPTH = 16;

/**
 * The absolute folder a `location` names. `file:///./x` and `file:///../x` are relative to the capability's folder
 * (our dialect, as for binds files); `file:///abs/x` is absolute. Undefined when it is not a usable file URI.
 */
export function locationDir(location: string, capabilityDir: string): string | undefined {
  const relative = /^file:\/\/\/?(\.\.?(?:\/.*)?)$/.exec(location);
  if (relative?.[1] !== undefined) return resolve(capabilityDir, relative[1]);
  if (!location.startsWith('file:///')) return undefined;
  try {
    return resolve(fileURLToPath(location));
  } catch {
    return undefined;
  }
}

/** Why a relative path may not be used (absolute, `..`, a dot file, odd characters), or undefined when it may. */
export function unsafeReason(relative: string): string | undefined {
  if (relative === '') return 'the path is empty';
  if (relative.includes('\0')) return 'the path contains a NUL character';
  if (isAbsolute(relative) || relative.startsWith('/') || /^[A-Za-z]:/.test(relative)) return 'the path is absolute';
  if (relative.includes('\\')) return "the path contains '\\'";
  const segments = relative.split('/');
  if (segments.length > MAX_DEPTH) return `the path is deeper than ${MAX_DEPTH} folders`;
  for (const s of segments) {
    if (s === '..') return "the path contains '..'";
    if (s === '' || s === '.') return 'the path has an empty or "." segment';
    // Dot files (.env, .git) are never published, whatever the folder holds.
    if (s.startsWith('.')) return `segment '${s}' is a hidden (dot) name`;
    if (!SEGMENT.test(s)) return `segment '${s}' has characters outside letters, digits, '.', '_' and '-'`;
  }
  return undefined;
}

export type Resolved =
  | { readonly ok: true; readonly path: string; readonly size: number }
  | { readonly ok: false; readonly problem: 'unsafe' | 'escape' | 'missing'; readonly reason: string };

/**
 * `relative` inside `root`, as a regular file whose real path (symlinks followed) is still inside the root's real
 * path. Nothing outside the root is opened: only its path is resolved, to be refused.
 */
export function resolveInside(root: string, relative: string): Resolved {
  const reason = unsafeReason(relative);
  if (reason) return { ok: false, problem: 'unsafe', reason };
  const realRoot = realDir(root);
  if (!realRoot) return { ok: false, problem: 'missing', reason: 'the folder does not exist' };
  const candidate = resolve(realRoot, relative);
  if (!isInside(realRoot, candidate)) return { ok: false, problem: 'escape', reason: 'the path leaves the folder' };
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    return { ok: false, problem: 'missing', reason: 'no such file' };
  }
  if (!isInside(realRoot, real))
    return { ok: false, problem: 'escape', reason: 'a symbolic link leads out of the folder' };
  const stat = statSync(real, { throwIfNoEntry: false });
  if (!stat?.isFile()) return { ok: false, problem: 'missing', reason: 'not a regular file' };
  return { ok: true, path: real, size: stat.size };
}

/** The real path of a folder, or undefined when it is missing or not a folder. */
export function realDir(dir: string): string | undefined {
  try {
    const real = realpathSync(dir);
    return lstatSync(real).isDirectory() ? real : undefined;
  } catch {
    return undefined;
  }
}

export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}
