// An OpenAPI 3.x document from a file or an http(s) URL, with its `$ref`s resolved by json-schema-ref-parser.
// Local references (`#/…` and relative files) are resolved; remote ones are refused: a contract that changes
// under a running process, or pulls from hosts nobody reviewed, is not a contract.

import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { $RefParser } from '@apidevtools/json-schema-ref-parser';
import { request } from 'undici';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../config.js';

export type OpenApiDocument = Record<string, unknown> & { readonly paths?: Record<string, unknown> };

/** Larger documents than this are refused: a public API's full document is a few MB. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 15_000;

export async function loadOpenApi(location: string, from: string): Promise<OpenApiDocument> {
  const remote = /^https?:\/\//i.test(location);
  const base = remote ? location : resolvePath(location);
  const text = remote ? await fetchText(location, from) : await readLocal(base, from);
  let raw: unknown;
  try {
    raw = /^\s*[{[]/.test(text) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`${from}: ${location} is neither JSON nor YAML: ${(err as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(`${from}: ${location} is not an OpenAPI document (not an object)`);
  checkVersion(raw as Record<string, unknown>, location, from);
  const refused = remoteRef(raw, remote);
  if (refused)
    throw new ConfigError(
      `${from}: ${location} has a remote $ref '${refused.ref}' at ${refused.at}; remote references are refused: vendor the referenced document next to it and refer to it by a relative path`,
    );
  try {
    return (await new $RefParser().dereference(base, raw as object, {
      resolve: { http: false, external: !remote },
      // A recursive schema keeps its $ref; the schema converter turns the cycle into an open schema.
      dereference: { circular: 'ignore' },
    })) as OpenApiDocument;
  } catch (err) {
    throw new ConfigError(`${from}: cannot resolve the $refs of ${location}: ${(err as Error).message}`);
  }
}

async function readLocal(path: string, from: string): Promise<string> {
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_DOCUMENT_BYTES)
      throw new ConfigError(`${from}: ${path} is larger than ${MAX_DOCUMENT_BYTES} bytes`);
    return bytes.toString('utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`${from}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

async function fetchText(url: string, from: string): Promise<string> {
  try {
    const res = await request(url, {
      headersTimeout: FETCH_TIMEOUT_MS,
      bodyTimeout: FETCH_TIMEOUT_MS,
      headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' },
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new ConfigError(`${from}: ${url} answered HTTP ${res.statusCode}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_DOCUMENT_BYTES) {
        res.body.destroy();
        throw new ConfigError(`${from}: ${url} is larger than ${MAX_DOCUMENT_BYTES} bytes`);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(`${from}: cannot fetch ${url}: ${(err as Error).message}`);
  }
}

function checkVersion(doc: Record<string, unknown>, location: string, from: string): void {
  const version = doc['openapi'];
  if (typeof version === 'string' && /^3\.[01]\./.test(version)) return;
  if (doc['swagger'] !== undefined)
    throw new ConfigError(
      `${from}: ${location} is Swagger ${String(doc['swagger'])}; only OpenAPI 3.0 and 3.1 are read (convert it first)`,
    );
  throw new ConfigError(
    `${from}: ${location} has no 'openapi: 3.0.x' or '3.1.x' field${typeof version === 'string' ? ` (it says ${version})` : ''}; a fragment without it is not a document`,
  );
}

/** The first `$ref` that would leave the machine (for a document fetched by URL: any but `#…`). */
function remoteRef(root: unknown, fetched: boolean): { ref: string; at: string } | undefined {
  const stack: Array<[unknown, string]> = [[root, '']];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [node, at] = item;
    if (!node || typeof node !== 'object') continue;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        if (/^[a-z][a-z0-9+.-]*:/i.test(v) || v.startsWith('//') || (fetched && !v.startsWith('#')))
          return { ref: v, at: at || '/' };
      } else if (v && typeof v === 'object') stack.push([v, `${at}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`]);
    }
  }
  return undefined;
}
