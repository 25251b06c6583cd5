// Constructs the schema accepts that this runtime would read differently at call time: each is named at load,
// so nothing is accepted and then silently wrong.

import { arr, rec, str, type Findings } from './findings.js';
import type { Model } from './model.js';
import { child } from './pointer.js';

export function checkIgnored(model: Model, findings: Findings): void {
  for (const adapter of model.adapters) {
    if (adapter.kind !== 'rest') continue;
    for (const [r, resource] of arr(adapter.data['resources']).map(rec).entries()) {
      const rPtr = child(adapter.ptr, 'resources', r);
      checkCookies(model, resource?.['inputParameters'], child(rPtr, 'inputParameters'), findings);
      for (const [o, op] of arr(resource?.['operations']).map(rec).entries())
        checkCookies(model, op?.['inputParameters'], child(rPtr, 'operations', o, 'inputParameters'), findings);
    }
  }
}

/** The REST adapter reads path, query, header and body inputs; a cookie input would be read from the query. */
function checkCookies(model: Model, list: unknown, ptr: string, findings: Findings): void {
  for (const [i, p] of arr(list).map(rec).entries()) {
    if (p?.['in'] !== 'cookie') continue;
    const message =
      `exposed input '${str(p['name']) ?? i}' has 'in: cookie', which this runtime does not read from the Cookie ` +
      'header (it would come from the query string); use in: header or in: query';
    findings.add(model.main, child(ptr, i, 'in'), 'NAF_SPEC_NOT_APPLIED', message);
  }
}
