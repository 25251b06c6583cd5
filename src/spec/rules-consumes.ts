// Rules on consumed HTTP entries (inline or imported): baseUri, paths, parameters and bodies, with the
// consumes-side dialect warnings (DESIGN §3.2, §3.6, §3.7).

import { arr, rec, str, type Findings, type Rec } from './findings.js';
import type { ConsumesEntry } from './imports.js';
import { child } from './pointer.js';
import { bracketVariables, pathPlaceholders } from './templates.js';

const PARAM_META = ['type', 'description', 'required'] as const;

export function checkConsumes(entries: ConsumesEntry[], findings: Findings): void {
  const checked = new Set<string>();
  for (const entry of entries) {
    // The same imported entry may be imported twice (under two `as` names): report its content once.
    const key = `${entry.src.file}#${entry.ptr}`;
    if (checked.has(key)) continue;
    checked.add(key);
    checkBaseUri(entry, findings);
    checkParams(entry, entry.data['inputParameters'], child(entry.ptr, 'inputParameters'), findings);
    for (const [r, resource] of arr(entry.data['resources']).map(rec).entries()) {
      if (resource) checkResource(entry, resource, child(entry.ptr, 'resources', r), findings);
    }
  }
}

function checkBaseUri(entry: ConsumesEntry, findings: Findings): void {
  const baseUri = str(entry.data['baseUri']);
  if (baseUri === undefined) return;
  const ptr = child(entry.ptr, 'baseUri');
  if (baseUri.endsWith('/')) {
    const message = `baseUri '${baseUri}' must not end with '/': resource paths start with '/'; write '${baseUri.replace(/\/+$/, '')}'`;
    findings.add(entry.src, ptr, 'NAF_SPEC_BASEURI_SLASH', message);
  }
  const variables = bracketVariables(baseUri);
  if (variables.length > 0) {
    const names = variables.map((v) => `[${v}]`).join(', ');
    const message =
      `baseUri '${baseUri}' has the variable ${names} (dialect): it is resolved at start-up from a CLI/environment ` +
      'setting, or the whole base URI can be overridden; start-up fails with a clear message when it is not set';
    findings.add(entry.src, ptr, 'NAF_DIALECT_BASEURI_VARIABLE', message);
  }
}

function checkResource(entry: ConsumesEntry, resource: Rec, ptr: string, findings: Findings): void {
  const path = str(resource['path']);
  const single = path === undefined ? [] : pathPlaceholders(path).filter((p) => p.single);
  if (path !== undefined && single.length > 0) {
    const names = single.map((p) => `{${p.name}}`).join(', ');
    const message =
      `consumed path '${path}' uses single-brace ${names} (dialect): treated as {{…}}, filled from the call's ` +
      'arguments and URL-encoded as one path segment; a missing value is rejected before any upstream call';
    findings.add(entry.src, child(ptr, 'path'), 'NAF_DIALECT_SINGLE_BRACE_PATH', message);
  }
  checkParams(entry, resource['inputParameters'], child(ptr, 'inputParameters'), findings);
  for (const [o, op] of arr(resource['operations']).map(rec).entries()) {
    if (!op) continue;
    const opPtr = child(ptr, 'operations', o);
    checkParams(entry, op['inputParameters'], child(opPtr, 'inputParameters'), findings);
    if (op['body'] === undefined) checkImplicitBody(entry, op, opPtr, findings);
  }
}

function checkParams(entry: ConsumesEntry, list: unknown, ptr: string, findings: Findings): void {
  for (const [i, p] of arr(list).map(rec).entries()) {
    const used = PARAM_META.filter((key) => p !== undefined && key in p);
    const first = used[0];
    if (first === undefined) continue;
    const message =
      `consumed parameter '${str(p?.['name']) ?? i}' carries ${used.join(', ')} (dialect): type coerces and types ` +
      'inferred inputs, description documents tools and OpenAPI, required is enforced before the upstream call';
    findings.add(entry.src, child(ptr, i, first), 'NAF_DIALECT_CONSUMED_PARAM_META', message, 'key');
  }
}

function checkImplicitBody(entry: ConsumesEntry, op: Rec, ptr: string, findings: Findings): void {
  for (const [i, p] of arr(op['inputParameters']).map(rec).entries()) {
    if (p?.['in'] !== 'body') continue;
    const name = str(p['name']) ?? String(i);
    const message =
      `consumed operation '${str(op['name']) ?? ''}' has the body parameter '${name}' but no body: template ` +
      `(dialect): the value of '${name}' is sent as the JSON request body`;
    findings.add(entry.src, child(ptr, 'inputParameters', i), 'NAF_DIALECT_IMPLICIT_BODY', message);
  }
}
