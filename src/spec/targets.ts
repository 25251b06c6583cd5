// Looking up what a call site calls, and which names the called operation can be fed with.

import { arr, rec, str, type Rec } from './findings.js';
import type { CallSite, ConsumedOp, Model } from './model.js';
import { mustacheNames, pathPlaceholders } from './templates.js';

/** The consumed operation a site calls, when `call` is `<namespace>.<operation>` and both exist. */
export function targetOf(model: Model, site: CallSite): ConsumedOp | undefined {
  const call = str(site.node['call']);
  return call === undefined ? undefined : model.ops.get(call);
}

/** Every name a `with` key may feed: parameters at any level, and the placeholders of path, body and baseUri. */
export function feedableNames(target: ConsumedOp): string[] {
  const { entry, resource, op } = target;
  const declared = [entry.data['inputParameters'], resource['inputParameters'], op['inputParameters']].flatMap(arr);
  const params = declared.map((p) => str(rec(p)?.['name']) ?? '');
  // A consumed parameter's `value` may be a template over the parameter map (`value: '{{token}}'`).
  const valueTags = declared.flatMap((p) => mustacheNames(str(rec(p)?.['value']) ?? ''));
  const body = op['body'] === undefined ? '' : typeof op['body'] === 'string' ? op['body'] : JSON.stringify(op['body']);
  return [
    ...params,
    ...valueTags,
    ...pathPlaceholders(str(resource['path']) ?? '').map((p) => p.name),
    ...mustacheNames(body),
    ...mustacheNames(str(entry.data['baseUri']) ?? ''),
  ];
}

/** The consumed parameter called `name` at the most specific level that declares it. */
export function consumedParam(target: ConsumedOp, name: string): Rec | undefined {
  const levels = [
    target.op['inputParameters'],
    target.resource['inputParameters'],
    target.entry.data['inputParameters'],
  ];
  for (const level of levels) {
    const found = arr(level)
      .map(rec)
      .find((p) => p?.['name'] === name);
    if (found) return found;
  }
  return undefined;
}
