// The parts of the table that the runtime resolves at start: upstream origins and credentials,
// adapters, and bind variables. Kept as written (templates unresolved) so compile stays pure.

import type { Authentication, CapabilityDocument, ConsumesHttp, Exposes } from '../spec/types.js';
import type { BindingTable, ExposeSpec, UpstreamAuthSpec, UpstreamSpec } from './table.js';

const BASE_VARIABLE = /\[([A-Za-z0-9_-]+)\]|\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}|\{([A-Za-z0-9_-]+)\}/g;

export function baseUriVariables(baseUri: string): string[] {
  return [...new Set([...baseUri.matchAll(BASE_VARIABLE)].map((m) => (m[1] ?? m[2] ?? m[3]) as string))];
}

export function substituteBaseUri(baseUri: string, values: Readonly<Record<string, string>>): string {
  return baseUri.replace(
    BASE_VARIABLE,
    (whole, a?: string, b?: string, c?: string) => values[(a ?? b ?? c) as string] ?? whole,
  );
}

export function upstreamSpecs(consumes: readonly ConsumesHttp[]): UpstreamSpec[] {
  return consumes.map((c) => {
    const auth = authSpec(c.authentication);
    return {
      namespace: c.namespace,
      baseUri: c.baseUri,
      variables: baseUriVariables(c.baseUri),
      ...(auth ? { auth } : {}),
    };
  });
}

function authSpec(a: Authentication | undefined): UpstreamAuthSpec | undefined {
  switch (a?.type) {
    case 'bearer':
      return { type: 'bearer', token: a.token ?? '' };
    case 'apikey':
      return { type: 'apikey', key: a.key, value: a.value, placement: a.placement ?? 'header' };
    case 'basic':
      return { type: 'basic', username: a.username ?? '', password: a.password ?? '' };
    case 'digest':
      return { type: 'digest', username: a.username ?? '', password: a.password ?? '' };
    default:
      return undefined;
  }
}

export function exposeSpecs(exposes: readonly Exposes[]): ExposeSpec[] {
  return exposes
    .filter((e) => ['rest', 'mcp', 'skill', 'control'].includes(e.type))
    .map((e): ExposeSpec => {
      const x = e as Exposes & {
        namespace: string;
        port?: number;
        address?: string;
        transport?: string;
        description?: string;
        authentication?: unknown;
      };
      return {
        kind: e.type,
        // A control adapter has no namespace in the schema: it is the capability's one control port.
        namespace: x.namespace ?? e.type,
        transport: x.transport === 'stdio' ? 'stdio' : 'http',
        ...(x.port !== undefined ? { port: x.port } : {}),
        ...(x.address ? { address: x.address } : {}),
        ...(x.description ? { description: x.description } : {}),
        ...(x.authentication ? { authentication: x.authentication } : {}),
        raw: e as unknown as Record<string, unknown>,
      };
    });
}

export function collectBinds(doc: CapabilityDocument): BindingTable['binds'] {
  return (doc.binds ?? []).flatMap((b) =>
    Object.entries(b.keys ?? {}).map(([variable, providerKey]) => ({
      variable,
      namespace: b.namespace,
      providerKey,
      ...(b.location ? { location: b.location } : {}),
    })),
  );
}
