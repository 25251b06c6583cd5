// `runtime start` flags for upstream contracts: an OpenAPI 3.x document per consumed namespace (docs/contracts.md).
// The environment form, NAFTIKO_OPENAPI_<NS>, is read where the namespaces are known (src/contracts/index.ts).

import type { ContractSource } from '../contracts/types.js';
import { UsageError } from './io.js';

export const CONTRACTS_FLAGS = {
  openapi: { type: 'string', multiple: true },
} as const;

export const CONTRACTS_USAGE = `  Upstream contracts (typed tool inputs and outputs, REST body validation; docs/contracts.md):
  --openapi <ns=path|url>   the consumed namespace's OpenAPI 3.0/3.1 document (repeatable; env
                            NAFTIKO_OPENAPI_<NS>); '--openapi <path>' alone when the file consumes one namespace
`;

export interface ContractsSettings {
  readonly contracts: readonly ContractSource[];
}

// A namespace has no '/', ':' or '.'-led path in it, so `https://x/a.json?v=1` is not read as `ns=value`.
const NAMESPACED = /^([A-Za-z0-9][A-Za-z0-9_-]*)=(.*)$/s;

export function contractsSettings(
  values: { openapi?: string[] | undefined },
  _env: NodeJS.ProcessEnv,
): ContractsSettings {
  const contracts = (values.openapi ?? []).map((given): ContractSource => {
    const m = NAMESPACED.exec(given);
    const location = (m ? m[2] : given)?.trim() ?? '';
    if (location === '') throw new UsageError(`--openapi ${given}: give a file path or an http(s) URL`);
    return { ...(m ? { namespace: m[1] as string } : {}), location, from: '--openapi' };
  });
  return { contracts };
}
