// Dialect warning for mapped outputs `{type: object, mapping: …}` without `properties` (DESIGN §3.3).

import { arr, rec, type Findings } from './findings.js';
import type { Model } from './model.js';
import { child } from './pointer.js';

export function checkOutputs(model: Model, findings: Findings): void {
  for (const site of model.sites) {
    if (site.kind === 'step' || site.node['call'] === undefined || site.node['steps'] !== undefined) continue;
    for (const [i, output] of arr(site.node['outputParameters']).entries()) {
      walk(output, child(site.ptr, 'outputParameters', i), (ptr, mapping) => {
        const message =
          `output {type: object, mapping: '${mapping}'} has no properties (dialect): the mapping result is returned ` +
          'unchanged (identity, arrays included), where upstream alpha2 would return {}';
        findings.add(model.main, ptr, 'NAF_DIALECT_IDENTITY_OUTPUT', message);
      });
    }
  }
}

function walk(value: unknown, ptr: string, report: (ptr: string, mapping: string) => void): void {
  const node = rec(value);
  if (!node) return;
  const properties = rec(node['properties']);
  if (node['type'] === 'object' && typeof node['mapping'] === 'string' && !properties) report(ptr, node['mapping']);
  for (const [name, p] of Object.entries(properties ?? {})) walk(p, child(ptr, 'properties', name), report);
  if (node['items'] !== undefined) walk(node['items'], child(ptr, 'items'), report);
  for (const [i, item] of arr(node['items']).entries()) walk(item, child(ptr, 'items', i), report);
}
