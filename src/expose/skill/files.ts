// A skill's `location` folder as the adapter serves it: the file list (contents route), one file (file route)
// and a ZIP of the whole folder (download route). Read per request, like the reference engine, so an edited
// SKILL.md is served without a restart. What is published: regular files under the folder, found without
// following directory links; a file link only when its target stays inside the folder; never a dot file or
// anything in a dot folder (.env, .git).

import type { Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { mediaTypeOf } from '../../media-types.js';
import type { Zippable } from 'fflate';
import { RuntimeError } from '../../errors.js';
import { isInside, MAX_DEPTH } from '../../safe-path.js';

export interface SkillFile {
  /** Relative to the folder, `/`-separated. */
  readonly path: string;
  readonly size: number;
  /** The real path to read. */
  readonly real: string;
}

/** Generous for a skill (a SKILL.md and a few references), small enough to hold one archive in memory. */
export const MAX_FILES = 1000;
export const MAX_ARCHIVE_BYTES = 32 * 1024 * 1024;

/** Every published file under `root` (a real path), sorted by path. */
export async function listFiles(root: string): Promise<SkillFile[]> {
  const out: SkillFile[] = [];
  await walk(root, root, '', 0, out);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function walk(root: string, dir: string, prefix: string, depth: number, out: SkillFile[]): Promise<void> {
  if (depth >= MAX_DEPTH) return;
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const path = `${prefix}${e.name}`;
    const full = join(dir, e.name);
    if (e.isDirectory()) await walk(root, full, `${path}/`, depth + 1, out);
    else if (e.isFile() || e.isSymbolicLink()) {
      const file = await published(root, full, path);
      if (file) out.push(file);
    }
    if (out.length > MAX_FILES)
      throw new RuntimeError('NAF_ERR_INTERNAL', `The skill folder has more than ${MAX_FILES} files`);
  }
}

/** A regular file, or a link to one inside the folder; undefined for anything else. */
async function published(root: string, full: string, path: string): Promise<SkillFile | undefined> {
  try {
    const real = await realpath(full);
    if (!isInside(root, real)) return undefined;
    const s = await stat(real);
    return s.isFile() ? { path, size: s.size, real } : undefined;
  } catch {
    return undefined;
  }
}

/** The folder as a ZIP archive (deflated), entries in path order. */
export async function zipFolder(files: readonly SkillFile[]): Promise<Uint8Array> {
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total > MAX_ARCHIVE_BYTES)
    throw new RuntimeError('NAF_ERR_INTERNAL', `The skill folder is over the ${MAX_ARCHIVE_BYTES} byte download limit`);
  const entries: Zippable = {};
  for (const f of files) {
    const s = await stat(f.real);
    entries[f.path] = [new Uint8Array(await readFile(f.real)), { mtime: s.mtime }];
  }
  // Loaded with the first download: every start imports this adapter's code, few ever zip a folder.
  const { zipSync } = await import('fflate');
  return zipSync(entries, { level: 6 });
}

/** The Content-Type header: text types say their charset (skill files are UTF-8 text). */
export function contentTypeOf(path: string): string {
  const type = mediaTypeOf(path);
  const text = type.startsWith('text/') || /json|yaml|xml|svg|x-sh/.test(type);
  return text ? `${type}; charset=utf-8` : type;
}
