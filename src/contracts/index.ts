// Start-up: which consumed namespaces have an upstream OpenAPI document (`--openapi`, NAFTIKO_OPENAPI_<NS>),
// loading each once and matching its operations to the consumed ones. The compiler gets the result as data.

import type { Logger } from 'pino';
import { ConfigError } from '../config.js';
import type { CapabilityDocument, ConsumesHttp } from '../spec/types.js';
import { matchOperations } from './match.js';
import type { ContractIndex, ContractSource, OperationContract } from './types.js';

export type { ContractIndex, ContractSource } from './types.js';

/** `NAFTIKO_OPENAPI_LOGTO_ONE_TIME_TOKENS` for `logto-one-time-tokens` (the same naming as the base URI's). */
export function openApiEnvName(namespace: string): string {
  return `NAFTIKO_OPENAPI_${namespace.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

export interface LoadedContracts {
  readonly index: ContractIndex;
  /** One line per namespace: what was loaded and how much of it matched. */
  readonly summaries: ReadonlyArray<{ namespace: string; location: string; matched: number; of: number }>;
  /** Consumed operations the documents do not describe, `ns.op (METHOD /path)`. */
  readonly unmatched: readonly string[];
}

/** Undefined when no namespace has a document: the compiler then runs exactly as without this feature. */
export async function loadContracts(
  doc: CapabilityDocument,
  sources: readonly ContractSource[],
  env: NodeJS.ProcessEnv,
): Promise<LoadedContracts | undefined> {
  const consumes = (doc.capability?.consumes ?? []).filter((c): c is ConsumesHttp => 'type' in c && c.type === 'http');
  const chosen = chooseSources(consumes, sources, env);
  if (chosen.size === 0) return undefined;
  // The OpenAPI reader (json-schema-ref-parser, js-yaml) only for a start that has a document: ~10 % of start-up.
  const { loadOpenApi } = await import('./load.js');
  const index = new Map<string, OperationContract>();
  const summaries: Array<{ namespace: string; location: string; matched: number; of: number }> = [];
  const unmatched: string[] = [];
  for (const [namespace, source] of chosen) {
    const c = consumes.find((x) => x.namespace === namespace) as ConsumesHttp;
    const openapi = await loadOpenApi(source.location, source.from);
    const result = matchOperations(c, openapi, source.location);
    for (const [k, v] of result.matched) index.set(k, v);
    unmatched.push(...result.unmatched);
    summaries.push({
      namespace,
      location: source.location,
      matched: result.matched.size,
      of: result.matched.size + result.unmatched.length,
    });
  }
  return { index, summaries, unmatched };
}

export function logContracts(log: Pick<Logger, 'info' | 'warn'>, loaded: LoadedContracts | undefined): void {
  if (!loaded) return;
  for (const s of loaded.summaries)
    log.info(
      { upstream: s.namespace, openapi: s.location },
      `upstream contract for '${s.namespace}': ${s.location} (${s.matched} of ${s.of} consumed operations matched)`,
    );
  for (const u of loaded.unmatched)
    log.warn({ operation: u }, `upstream contract: no OpenAPI operation matches ${u}; it stays untyped`);
}

/** Flag > environment; a bare `--openapi <path>` belongs to the only consumed namespace. */
function chooseSources(
  consumes: readonly ConsumesHttp[],
  sources: readonly ContractSource[],
  env: NodeJS.ProcessEnv,
): Map<string, ContractSource> {
  const names = consumes.map((c) => c.namespace);
  const chosen = new Map<string, ContractSource>();
  for (const s of sources) {
    let ns = s.namespace;
    if (ns === undefined) {
      if (names.length !== 1)
        throw new ConfigError(
          `${s.from} ${s.location}: the capability consumes ${names.length === 0 ? 'no HTTP namespace' : `${names.length} namespaces (${names.join(', ')})`}; say which one with ${s.from} <namespace>=${s.location}`,
        );
      ns = names[0] as string;
    }
    if (!names.includes(ns))
      throw new ConfigError(
        `${s.from} names namespace '${ns}', which the capability does not consume; consumed: ${names.join(', ') || '(none)'}`,
      );
    if (chosen.has(ns)) throw new ConfigError(`${s.from} gives namespace '${ns}' two OpenAPI documents; give one`);
    chosen.set(ns, { ...s, namespace: ns });
  }
  for (const ns of names) {
    const name = openApiEnvName(ns);
    const value = env[name];
    if (!chosen.has(ns) && value) chosen.set(ns, { namespace: ns, location: value, from: name });
  }
  return chosen;
}
