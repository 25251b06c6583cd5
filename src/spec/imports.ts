// Resolves `consumes` lists: inline entries stay, imported ones (`{location, import, as?}`) are replaced by the
// named entry of the imported consumes document. `location` is relative to the importing file, as upstream does.

import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from './diagnostics.js';
import { arr, Findings, listOf, rec, str, type Rec } from './findings.js';
import { child, valueAt } from './pointer.js';
import { schemaDiagnostics } from './schema-check.js';
import { readSource, type SourceDoc } from './source.js';

export interface ConsumesEntry {
  /** Effective namespace: `as` when the import renames it. */
  namespace: string;
  data: Rec;
  /** Where the entry's content lives (the imported file for imports). */
  src: SourceDoc;
  ptr: string;
  /** Where the importing document names it; equals src/ptr for inline entries. */
  site: { src: SourceDoc; ptr: string };
}

export interface ResolvedConsumes {
  entries: ConsumesEntry[];
  /** Namespaces whose import failed: calls into them are not reported again. */
  unresolved: Set<string>;
  diagnostics: Diagnostic[];
}

interface ImportedFile {
  src?: SourceDoc;
  problem?: string;
}

export async function resolveConsumes(main: SourceDoc, listPtr: string, findings: Findings): Promise<ResolvedConsumes> {
  const result: ResolvedConsumes = { entries: [], unresolved: new Set(), diagnostics: [] };
  const files = new Map<string, Promise<ImportedFile>>();
  const load = (path: string): Promise<ImportedFile> => {
    let file = files.get(path);
    if (!file) files.set(path, (file = loadImported(path, result.diagnostics)));
    return file;
  };
  for (const [index, item] of arr(valueAt(main.data, listPtr)).entries()) {
    const ptr = child(listPtr, index);
    const data = rec(item);
    if (!data) continue;
    if (!('import' in data) && !('location' in data)) {
      const site = { src: main, ptr };
      result.entries.push({ namespace: str(data['namespace']) ?? '', data, src: main, ptr, site });
      continue;
    }
    const entry = await importEntry(main, ptr, data, load, findings);
    if (entry) result.entries.push(entry);
    else result.unresolved.add(str(data['as']) ?? str(data['import']) ?? '');
  }
  return result;
}

async function importEntry(
  main: SourceDoc,
  ptr: string,
  item: Rec,
  load: (path: string) => Promise<ImportedFile>,
  findings: Findings,
): Promise<ConsumesEntry | undefined> {
  const location = str(item['location']);
  const wanted = str(item['import']);
  if (location === undefined || wanted === undefined) return undefined;
  const path = importPath(main.file, location);
  const file = path === undefined ? { problem: 'it is not a valid file location' } : await load(path);
  if (!file.src) {
    const why = file.problem ?? 'it has errors (reported against that file)';
    const message = `cannot import consumes from '${location}' (resolved to ${path ?? location}): ${why}; paths are relative to this file's directory`;
    findings.add(main, child(ptr, 'location'), 'NAF_SPEC_IMPORT_FILE', message);
    return undefined;
  }
  const list = arr(valueAt(file.src.data, '/consumes'));
  const index = list.findIndex((e) => rec(e)?.['namespace'] === wanted);
  const found = rec(list[index]);
  if (!found) {
    const known = list.map((e) => str(rec(e)?.['namespace']) ?? '').filter(Boolean);
    const message = `'${location}' declares no consumes namespace '${wanted}'; it declares: ${listOf(known)}`;
    findings.add(main, child(ptr, 'import'), 'NAF_SPEC_IMPORT_NAMESPACE', message);
    return undefined;
  }
  const namespace = str(item['as']) ?? wanted;
  const data = { ...found, namespace };
  return { namespace, data, src: file.src, ptr: child('/consumes', index), site: { src: main, ptr } };
}

async function loadImported(path: string, diagnostics: Diagnostic[]): Promise<ImportedFile> {
  const read = await readSource(path);
  if (!read.source) {
    const missing = read.diagnostics.some((d) => d.code === 'NAF_SPEC_READ');
    if (!missing) diagnostics.push(...read.diagnostics);
    return missing ? { problem: 'the file cannot be read' } : {};
  }
  diagnostics.push(...read.diagnostics, ...schemaDiagnostics(read.source));
  if (!Array.isArray(valueAt(read.source.data, '/consumes'))) {
    return { problem: "it is not a consumes document (no root 'consumes' list)" };
  }
  return { src: read.source };
}

/** Plain relative paths (what the tutorials use), absolute paths, and `file:` URIs (`file:///./x` = relative). */
function importPath(base: string, location: string): string | undefined {
  const dir = dirname(base);
  if (!location.startsWith('file:')) return isAbsolute(location) ? location : resolve(dir, location);
  const relative = /^file:\/\/\/?(\.\.?\/.*)$/.exec(location);
  if (relative?.[1]) return resolve(dir, relative[1]);
  try {
    return fileURLToPath(location);
  } catch {
    return undefined;
  }
}
