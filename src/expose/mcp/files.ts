// Files the MCP adapter serves (static resources, file-based prompts), all inside the capability's folder.
// The set of files is fixed at start: a folder is walked once and each file gets its URI, so a request can
// only name a file that was listed (`..`, `%2e%2e`, absolute paths and other URIs match nothing). Every read
// resolves symlinks again and refuses a file whose real path has left the folder since (no symlink escape).

import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

/** A file's text is at most this many bytes: resources are read whole into one message. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
const MAX_FILES_PER_FOLDER = 1000;
const MAX_DEPTH = 8;
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export interface ServedFile {
  /** Path relative to the resource's location (`''` for a single-file location). */
  readonly relative: string;
  /** The real path found at start. */
  readonly path: string;
  /** The real folder the file must stay inside: the location folder, or the capability's folder. */
  readonly root: string;
}

export type FileScan = { readonly files: ServedFile[]; readonly skipped: string[] } | { readonly problem: string };

/**
 * The files a location (relative to `baseDir`) serves: the file itself, or the regular files of the folder,
 * walked in sorted order. Hidden names (`.env`, `.git`), names outside [A-Za-z0-9._-], and symlinks whose
 * target leaves the folder are skipped (and named in `skipped`).
 */
export function scanLocation(baseDir: string, location: string): FileScan {
  let base: string;
  let target: string;
  try {
    base = realpathSync(baseDir);
    target = realpathSync(join(base, location));
  } catch (err) {
    return {
      problem: `location '${location}' does not exist in ${baseDir} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    };
  }
  if (!inside(target, base)) return { problem: `location '${location}' resolves outside the capability's folder` };
  const stats = statSync(target);
  if (stats.isFile()) return { files: [{ relative: '', path: target, root: base }], skipped: [] };
  if (!stats.isDirectory()) return { problem: `location '${location}' is neither a file nor a folder` };
  const files: ServedFile[] = [];
  const skipped: string[] = [];
  walk(target, '', 0, target, files, skipped);
  return { files, skipped };
}

function walk(dir: string, prefix: string, depth: number, root: string, files: ServedFile[], skipped: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const relative = prefix ? `${prefix}/${e.name}` : e.name;
    if (!SAFE_NAME.test(e.name)) {
      skipped.push(`${relative} (hidden, or a name outside [A-Za-z0-9._-])`);
      continue;
    }
    let real: string;
    let stats: Stats;
    try {
      real = realpathSync(join(dir, e.name));
      stats = statSync(real);
    } catch {
      skipped.push(`${relative} (broken link)`);
      continue;
    }
    if (!inside(real, root)) skipped.push(`${relative} (a link to outside the folder)`);
    else if (stats.isDirectory()) {
      if (depth + 1 >= MAX_DEPTH) skipped.push(`${relative}/ (deeper than ${MAX_DEPTH} levels)`);
      else walk(real, relative, depth + 1, root, files, skipped);
    } else if (!stats.isFile()) skipped.push(`${relative} (not a regular file)`);
    else if (files.length >= MAX_FILES_PER_FOLDER) skipped.push(`${relative} (over ${MAX_FILES_PER_FOLDER} files)`);
    else files.push({ relative, path: real, root });
  }
}

export class FileReadError extends Error {
  override readonly name = 'FileReadError';
}

/** The file's bytes, after checking again that it is a regular file inside its root and within the limit. */
export async function readServedFile(file: ServedFile, maxBytes: number): Promise<Buffer> {
  let real: string;
  try {
    real = await realpath(file.path);
  } catch {
    throw new FileReadError('the file is gone');
  }
  if (!inside(real, file.root) || !(await lstat(real)).isFile())
    throw new FileReadError('the file now resolves outside its folder');
  // O_NOFOLLOW: the real path has no link left in its last segment; refuse one swapped in since.
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new FileReadError('not a regular file');
    if (stats.size > maxBytes) throw new FileReadError(`${stats.size} bytes, over the ${maxBytes}-byte limit`);
    const buf = Buffer.alloc(stats.size);
    let read = 0;
    while (read < stats.size) {
      const { bytesRead } = await handle.read(buf, read, stats.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buf.subarray(0, read);
  } finally {
    await handle.close();
  }
}

/** The same checks, synchronously: for files read once at start (prompt templates). */
export function readServedFileSync(file: ServedFile, maxBytes: number): Buffer {
  const real = realpathSync(file.path);
  if (!inside(real, file.root) || !lstatSync(real).isFile())
    throw new FileReadError('the file resolves outside its folder');
  const fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const stats = fstatSync(fd);
    if (stats.size > maxBytes) throw new FileReadError(`${stats.size} bytes, over the ${maxBytes}-byte limit`);
    const buf = Buffer.alloc(stats.size);
    let read = 0;
    while (read < stats.size) {
      const n = readSync(fd, buf, read, stats.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buf.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}
