// From a raw `type: script` step to the source texts it runs, or a reason it cannot run here. Everything that
// can be known before the first call is decided here, at load: scripting switched off, language, location,
// files (no escape from the capability folder, symlinks included), size, syntax.

import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import type { ScriptingSettings } from './settings.js';

export interface ScriptFile {
  /** The path as the step wrote it (`lib/array-utils.js`): what messages and script stack traces show. */
  readonly name: string;
  readonly source: string;
}

export interface ResolvedScript {
  readonly step: string;
  readonly language: 'javascript';
  /** Dependencies in order, then the main file last. */
  readonly files: readonly ScriptFile[];
  readonly main: string;
  readonly with?: Readonly<Record<string, unknown>>;
}

export type Refused = { readonly refused: string };

export interface ResolveOptions {
  /** The capability file's folder: no script file may resolve outside it. */
  readonly baseDir: string;
  readonly settings: ScriptingSettings;
}

/** The engine's allow-list for one path segment (SafePathResolver), minus `.` and `..`. */
const SAFE_SEGMENT = /^[A-Za-z0-9._-]+$/;
const MAX_SOURCE_BYTES = 1024 * 1024;
const UNSUPPORTED: Record<string, string> = { python: 'Python', groovy: 'Groovy' };

export function resolveScript(step: unknown, options: ResolveOptions): ResolvedScript | Refused {
  const s = typeof step === 'object' && step !== null ? (step as Record<string, unknown>) : {};
  const name = typeof s['name'] === 'string' ? s['name'] : '(unnamed)';
  const { settings } = options;
  if (!settings.enabled) return { refused: disabledReason(settings) };

  const language = text(s['language']) ?? settings.defaultLanguage;
  if (language === undefined)
    return {
      refused:
        "it has no 'language': set 'language' on the step or 'management.scripting.defaultLanguage' on the control adapter",
    };
  if (settings.allowedLanguages.length > 0 && !settings.allowedLanguages.includes(language))
    return {
      refused: `language '${language}' is not in the control adapter's allowedLanguages (${settings.allowedLanguages.join(', ')})`,
    };
  const other = UNSUPPORTED[language];
  if (other) return { refused: `${other} scripts are not supported by this runtime; use JavaScript` };
  if (language !== 'javascript') return { refused: `language '${language}' is not supported; use JavaScript` };

  const location = text(s['location']) ?? settings.defaultLocation;
  if (location === undefined)
    return {
      refused:
        "it has no 'location': set 'location' on the step or 'management.scripting.defaultLocation' on the control adapter",
    };
  const file = text(s['file']);
  if (file === undefined) return { refused: "it has no 'file'" };
  const deps = Array.isArray(s['dependencies']) ? s['dependencies'] : [];

  const root = locationRoot(location, options.baseDir);
  if ('refused' in root) return root;
  const files: ScriptFile[] = [];
  for (const rel of [...deps, file]) {
    if (typeof rel !== 'string' || rel.trim() === '') return { refused: 'a dependency is not a file path' };
    const read = readInside(root.dir, rel, location);
    if ('refused' in read) return read;
    const syntax = syntaxProblem(read.source, rel);
    if (syntax) return { refused: syntax };
    files.push({ name: rel, source: read.source });
  }
  const withValues =
    typeof s['with'] === 'object' && s['with'] !== null ? (s['with'] as Record<string, unknown>) : undefined;
  return { step: name, language: 'javascript', files, main: file, ...(withValues ? { with: withValues } : {}) };
}

function disabledReason(settings: ScriptingSettings): string {
  return settings.enabledFrom === 'env'
    ? 'scripting is disabled via NAFTIKO_SCRIPTING=false'
    : 'scripting is disabled via management.scripting.enabled=false on the control adapter';
}

/**
 * `file:///./scripts`, `file://./scripts` and plain relative paths are relative to the capability folder;
 * `file:///abs/dir` is taken as written. Either way the directory must be inside the capability folder.
 */
function locationRoot(location: string, baseDir: string): { dir: string } | Refused {
  let path: string;
  const rel = /^file:\/\/\/?(\.\.?(?:\/.*)?)$/.exec(location);
  if (rel?.[1] !== undefined) path = resolve(baseDir, rel[1]);
  else if (location.startsWith('file:')) {
    try {
      path = fileURLToPath(location);
    } catch {
      return { refused: `location '${location}' is not a valid file:/// URI` };
    }
  } else if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(location))
    return { refused: `location '${location}' is not a file:/// URI (scripts are read from local files only)` };
  else path = resolve(baseDir, location);

  let dir: string;
  let base: string;
  try {
    base = realpathSync(baseDir);
    dir = realpathSync(path);
  } catch {
    return { refused: `location '${location}' is not a readable folder` };
  }
  if (!statSync(dir).isDirectory()) return { refused: `location '${location}' is not a folder` };
  if (!inside(base, dir))
    return {
      refused: `location '${location}' is outside the capability's folder: scripts must live in or under it`,
    };
  return { dir };
}

function readInside(dir: string, rel: string, location: string): { source: string } | Refused {
  const segments = rel.split('/');
  if (isAbsolute(rel) || segments.some((seg) => !SAFE_SEGMENT.test(seg) || seg === '.' || seg === '..'))
    return {
      refused: `script path '${rel}' is not a plain relative path (segments of letters, digits, '.', '_' and '-'; no '..')`,
    };
  let real: string;
  try {
    real = realpathSync(resolve(dir, ...segments));
  } catch {
    return { refused: `script file '${rel}' does not exist in location '${location}'` };
  }
  // The path itself stayed inside; a symlink on the way may not lead out of it.
  if (!inside(dir, real))
    return { refused: `script file '${rel}' is a link that leads outside location '${location}'` };
  const stat = statSync(real);
  if (!stat.isFile()) return { refused: `script path '${rel}' is not a file` };
  if (stat.size > MAX_SOURCE_BYTES) return { refused: `script file '${rel}' is over ${MAX_SOURCE_BYTES} bytes` };
  return { source: readFileSync(real, 'utf8') };
}

function inside(root: string, path: string): boolean {
  const r = relative(root, path);
  return r === '' || (!r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r));
}

/**
 * Parse only, so a broken file is refused at load rather than on every call. V8 compiles the text and never
 * runs it (nothing here executes a script outside the sandbox); QuickJS reads the same classic-script syntax.
 */
function syntaxProblem(source: string, name: string): string | undefined {
  try {
    new Script(source, { filename: name });
    return undefined;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/import statement|export|import\.meta/i.test(message))
      return `script file '${name}' uses module syntax (import/export): scripts run as classic scripts; list helper files under 'dependencies'`;
    return `script file '${name}' does not parse: ${message}`;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}
