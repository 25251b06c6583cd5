// Reads an OpenAPI 3.0/3.1 document (file or http(s) URL, JSON or YAML) and resolves its local `$ref`s.
// Remote and other-file references are refused: an import must not fetch what the document points at.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import { parse } from 'yaml';

/** Bounds on what is read: a document larger than this is not an API description anyone imports. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 15_000;

export type OasDocument = Record<string, unknown>;

export class ImportError extends Error {
  override readonly name = 'ImportError';
}

export interface LoadedDocument {
  readonly doc: OasDocument;
  readonly warnings: string[];
}

export async function loadOpenApi(location: string, cwd: string): Promise<LoadedDocument> {
  const text = /^https?:\/\//i.test(location) ? await fetchText(location) : await readText(resolve(cwd, location));
  const raw = parseDocument(text, location);
  const warnings = checkVersion(raw, location);
  const external = externalRefs(raw);
  if (external.length > 0) {
    const shown = external.slice(0, 3).join(', ');
    throw new ImportError(
      `${location}: only local references ('#/…') are resolved; found ${external.length} other: ${shown}`,
    );
  }
  try {
    const doc = (await $RefParser.dereference(raw, {
      resolve: { external: false },
      dereference: { circular: 'ignore' },
    })) as OasDocument;
    return { doc, warnings };
  } catch (error) {
    throw new ImportError(`${location}: a local reference does not resolve: ${(error as Error).message}`);
  }
}

async function readText(path: string): Promise<string> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    throw new ImportError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (data.length > MAX_DOCUMENT_BYTES) throw new ImportError(`${path} is larger than ${MAX_DOCUMENT_BYTES} bytes`);
  return data.toString('utf8');
}

async function fetchText(url: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  } catch (error) {
    throw new ImportError(`cannot fetch ${url}: ${(error as Error).message}`);
  }
  if (!res.ok) throw new ImportError(`cannot fetch ${url}: HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_DOCUMENT_BYTES) throw new ImportError(`${url} is larger than ${MAX_DOCUMENT_BYTES} bytes`);
  const data = Buffer.from(await res.arrayBuffer());
  if (data.length > MAX_DOCUMENT_BYTES) throw new ImportError(`${url} is larger than ${MAX_DOCUMENT_BYTES} bytes`);
  return data.toString('utf8');
}

function parseDocument(text: string, location: string): OasDocument {
  let value: unknown;
  try {
    // YAML 1.2 is a superset of JSON, so one parser reads both.
    value = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new ImportError(`${location} is neither JSON nor YAML: ${(error as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ImportError(`${location} is not an OpenAPI document (not an object)`);
  }
  return value as OasDocument;
}

function checkVersion(doc: OasDocument, location: string): string[] {
  if (doc['swagger'] !== undefined) {
    throw new ImportError(`${location} is Swagger ${String(doc['swagger'])}; convert it to OpenAPI 3.x first`);
  }
  const version = doc['openapi'];
  if (version === undefined) {
    if (!doc['paths'] || typeof doc['paths'] !== 'object') {
      throw new ImportError(`${location} is not an OpenAPI document (no 'openapi' version and no 'paths')`);
    }
    return [`${location} has no 'openapi' version field; read as an OpenAPI 3.x fragment`];
  }
  if (typeof version !== 'string' || !/^3\.[01](\.|$)/.test(version)) {
    throw new ImportError(`${location} is OpenAPI ${String(version)}; only 3.0 and 3.1 are imported`);
  }
  return [];
}

/** Every `$ref` that does not point inside the document itself. */
function externalRefs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) externalRefs(v, found);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string' && !v.startsWith('#')) found.push(v);
      else externalRefs(v, found);
    }
  }
  return found;
}
