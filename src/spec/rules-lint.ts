// The cheap checks of the engine's lint ruleset (naftiko-rules-1.0.0-alpha2.yml, Spectral) as load-time findings:
// query strings and trailing slashes in paths, authentication on a stdio MCP server (never applied), one control
// adapter bound to loopback, and script markup in descriptions. Upstream rule names are in each message's code doc.

import { arr, rec, str, type Findings } from './findings.js';
import type { Adapter, Model } from './model.js';
import { child, describePointer, valueAt } from './pointer.js';
import type { SourceDoc } from './source.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1']);
const MARKUP = [/<script/i, /eval\(/];

export function checkLint(model: Model, findings: Findings): void {
  for (const entry of model.entries) {
    for (const [r, resource] of arr(entry.data['resources']).map(rec).entries()) {
      checkQuery(entry.src, str(resource?.['path']), child(entry.ptr, 'resources', r, 'path'), 'consumed', findings);
    }
  }
  let control: Adapter | undefined;
  for (const adapter of model.adapters) {
    if (adapter.kind === 'rest') checkRestPaths(model, adapter, findings);
    if (adapter.kind === 'mcp' && adapter.data['transport'] === 'stdio' && 'authentication' in adapter.data) {
      const message =
        'authentication on an MCP server with transport stdio is never applied: stdio has no HTTP authorization; ' +
        'the client that starts the process is trusted (remove it, or use transport http)';
      findings.add(model.main, child(adapter.ptr, 'authentication'), 'NAF_SPEC_STDIO_AUTH', message, 'key');
    }
    if (adapter.kind === 'control') {
      if (control) {
        const { line } = model.main.locate(control.ptr);
        const message = `only one control adapter is allowed; the first is at line ${line}`;
        findings.add(model.main, child(adapter.ptr, 'type'), 'NAF_SPEC_CONTROL_DUPLICATE', message);
      } else control = adapter;
      checkControlAddress(model, adapter, findings);
    }
  }
  checkMarkup(model, findings);
}

function checkQuery(src: SourceDoc, path: string | undefined, ptr: string, side: string, findings: Findings): void {
  if (path === undefined || !path.includes('?')) return;
  const message = `${side} path '${path}' contains a query string; declare each query parameter as an inputParameter with 'in: query'`;
  findings.add(src, ptr, 'NAF_SPEC_PATH_QUERY', message);
}

function checkRestPaths(model: Model, adapter: Adapter, findings: Findings): void {
  for (const [r, resource] of arr(adapter.data['resources']).map(rec).entries()) {
    const path = str(resource?.['path']);
    const ptr = child(adapter.ptr, 'resources', r, 'path');
    checkQuery(model.main, path, ptr, 'exposed', findings);
    if (path !== undefined && path.length > 1 && path.endsWith('/')) {
      const message = `exposed path '${path}' ends with '/'; write '${path.replace(/\/+$/, '')}' (routes match without it)`;
      findings.add(model.main, ptr, 'NAF_SPEC_PATH_TRAILING_SLASH', message);
    }
  }
}

function checkControlAddress(model: Model, adapter: Adapter, findings: Findings): void {
  const address = str(adapter.data['address']);
  if (address === undefined || LOOPBACK.has(address)) return;
  const message =
    `control adapter address '${address}' exposes health, metrics and management to the network; ` +
    "use 'localhost' or '127.0.0.1' and restrict access with a firewall or network policy";
  findings.add(model.main, child(adapter.ptr, 'address'), 'NAF_SPEC_CONTROL_ADDRESS', message);
}

/** Descriptions and labels end up in OpenAPI, tool lists and skill catalogues that UIs render as HTML. */
function checkMarkup(model: Model, findings: Findings): void {
  const texts: Array<[SourceDoc, string]> = [
    [model.main, '/info/description'],
    [model.main, '/info/label'],
    ...model.entries.map((e): [SourceDoc, string] => [e.src, child(e.ptr, 'description')]),
  ];
  for (const adapter of model.adapters) {
    texts.push([model.main, child(adapter.ptr, 'description')]);
    const lists: Array<[string, string?]> = [['resources', 'operations'], ['tools'], ['skills'], ['prompts']];
    for (const [list, nested] of lists) {
      for (const [i, item] of arr(adapter.data[list]).map(rec).entries()) {
        texts.push([model.main, child(adapter.ptr, list, i, 'description')]);
        if (nested) {
          for (const j of arr(item?.[nested]).keys())
            texts.push([model.main, child(adapter.ptr, list, i, nested, j, 'description')]);
        }
      }
    }
  }
  for (const [src, ptr] of texts) {
    const text = valueAt(src.data, ptr);
    if (typeof text !== 'string' || !MARKUP.some((m) => m.test(text))) continue;
    const message =
      `${describePointer(src.data, ptr)} contains '<script' or 'eval(': it is shown in OpenAPI, tool lists and ` +
      'skill catalogues that UIs render; remove the markup';
    findings.add(src, ptr, 'NAF_SPEC_MARKUP_SCRIPT', message);
  }
}
