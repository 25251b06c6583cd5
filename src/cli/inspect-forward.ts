// How `runtime inspect` shows `forward` resources: the route, where it goes, which caller headers travel.

import type { ForwardRoute } from '../binding/forward.js';

export function describeForward(f: ForwardRoute) {
  return {
    id: f.id,
    adapter: 'rest',
    namespace: f.namespace,
    route: `${f.methods.join('|')} ${f.path}`,
    upstream: `{${f.upstream}}${f.wildcardAt === undefined ? '' : '/{path}'}`,
    trustedHeaders: f.trustedHeaders,
    ...(f.ignoredHeaders.length ? { ignoredHeaders: f.ignoredHeaders } : {}),
    ...(f.boundMethods.length ? { operationsFirst: f.boundMethods } : {}),
  };
}

export function forwardLines(forwards: ReadonlyArray<ReturnType<typeof describeForward>>): string[] {
  return forwards.flatMap((f) => [
    '',
    `REST forward ${f.route}`,
    `  id        ${f.id}`,
    `  upstream  ${f.upstream}  (query and body as sent; never retried)`,
    `  headers   ${f.trustedHeaders.length ? f.trustedHeaders.join(', ') : '(none trusted)'}`,
    ...(f.ignoredHeaders ? [`  ignored   ${f.ignoredHeaders.join(', ')} (never forwarded)`] : []),
    ...(f.operationsFirst ? [`  served by operations: ${f.operationsFirst.join(', ')}`] : []),
  ]);
}
