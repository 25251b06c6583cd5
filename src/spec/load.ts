// Loads a capability file: YAML with positions → dialect schema → imports → semantic rules, and returns
// every problem at once, each with a stable code and the line:col of the offending node.

import { resolve } from 'node:path';
import { SpecError, type Diagnostic } from './diagnostics.js';
import { Findings, rec, toDiagnostic } from './findings.js';
import { resolveConsumes, type ResolvedConsumes } from './imports.js';
import { buildModel } from './model.js';
import { isRecord, valueAt } from './pointer.js';
import { schemaDiagnostics } from './schema-check.js';
import { prepareFormats } from './rules-formats.js';
import { checkSemantics } from './semantic.js';
import { readSource } from './source.js';
import type { CapabilityDocument } from './types.js';

export interface LoadOptions {
  /** Report warnings (dialect relaxations included) as errors. */
  strict?: boolean;
}

export interface LoadResult {
  /** Absolute path of the loaded file. */
  file: string;
  /**
   * The document with imported consumes replaced by the entries they name; present when the file and its imports
   * are schema-valid (semantic errors may remain: check `ok`).
   */
  doc?: CapabilityDocument;
  diagnostics: Diagnostic[];
  ok: boolean;
}

/** Never throws for problems in the file or its imports: they are diagnostics (a missing file is NAF_SPEC_READ). */
export async function loadCapability(file: string, options: LoadOptions = {}): Promise<LoadResult> {
  const path = resolve(file);
  const read = await readSource(path);
  if (!read.source) return finish(path, undefined, read.diagnostics, options);
  const src = read.source;
  const schema = schemaDiagnostics(src);
  const listPtr = isRecord(valueAt(src.data, '/capability')) ? '/capability/consumes' : '/consumes';
  const findings = new Findings();
  const consumes = await resolveConsumes(src, listPtr, findings);
  const model = buildModel(src, consumes);
  await prepareFormats(model);
  const semantic = checkSemantics(model, findings).map(toDiagnostic);
  const diagnostics = [...read.diagnostics, ...preferSemantic(schema, semantic), ...consumes.diagnostics, ...semantic];
  const valid = !schema.length && consumes.unresolved.size === 0 && !consumes.diagnostics.some(isError);
  const doc = valid ? resolvedDocument(src.data, listPtr, consumes) : undefined;
  return finish(path, doc, diagnostics, options);
}

/** Like loadCapability, but throws a SpecError carrying every diagnostic when the file is not valid. */
export async function loadCapabilityOrThrow(
  file: string,
  options: LoadOptions = {},
): Promise<LoadResult & { doc: CapabilityDocument }> {
  const result = await loadCapability(file, options);
  if (!result.ok || !result.doc) throw new SpecError(result.diagnostics);
  return { ...result, doc: result.doc };
}

function finish(
  file: string,
  doc: CapabilityDocument | undefined,
  all: Diagnostic[],
  options: LoadOptions,
): LoadResult {
  const strict = options.strict === true;
  const diagnostics = sortDiagnostics(file, dedupe(all)).map((d) =>
    strict ? { ...d, severity: 'error' as const } : d,
  );
  const ok = !diagnostics.some(isError);
  return doc === undefined ? { file, diagnostics, ok } : { file, doc, diagnostics, ok };
}

function isError(d: Diagnostic): boolean {
  return d.severity === 'error';
}

/** A semantic rule that flags the same node as the schema says it better (e.g. a malformed `call`). */
function preferSemantic(schema: Diagnostic[], semantic: Diagnostic[]): Diagnostic[] {
  const flagged = new Set(semantic.filter(isError).map((d) => `${d.file}#${d.pointer}`));
  return schema.filter((d) => !flagged.has(`${d.file}#${d.pointer}`));
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.file}:${d.line}:${d.col}:${d.code}:${d.message}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

/** The loaded file first, then imported files; by position within each. */
function sortDiagnostics(main: string, diagnostics: Diagnostic[]): Diagnostic[] {
  const rank = (d: Diagnostic): number => (d.file === main ? 0 : 1);
  return [...diagnostics].sort(
    (a, b) => rank(a) - rank(b) || a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col,
  );
}

function resolvedDocument(data: unknown, listPtr: string, consumes: ResolvedConsumes): CapabilityDocument {
  const doc = structuredClone(data) as Record<string, unknown>;
  const holder = listPtr === '/consumes' ? doc : rec(doc['capability']);
  if (holder && Array.isArray(holder['consumes']))
    holder['consumes'] = consumes.entries.map((e) => structuredClone(e.data));
  return doc as unknown as CapabilityDocument;
}
