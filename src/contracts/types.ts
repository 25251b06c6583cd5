// What an upstream's OpenAPI document tells the binding table about one consumed operation, once matched.

import type { JsonSchema } from '../binding/table.js';

/** A parameter of the matched OpenAPI operation, its schema already in JSON Schema 2020-12 form. */
export interface ContractParameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required: boolean;
  readonly schema?: JsonSchema;
  readonly description?: string;
}

export interface OperationContract {
  /** `GET /api/one-time-tokens` in `<source>`, for messages. */
  readonly where: string;
  readonly operationId?: string;
  readonly summary?: string;
  readonly description?: string;
  /** The descriptions of the operation's tags in the document (MCP instructions). */
  readonly topic?: string;
  readonly parameters: readonly ContractParameter[];
  /** The JSON request body, when the operation declares one. */
  readonly requestBody?: { readonly schema: JsonSchema; readonly required: boolean; readonly description?: string };
  /** The first 2xx response with a JSON schema. */
  readonly response?: { readonly status: string; readonly schema: JsonSchema; readonly description?: string };
}

/** Matched operations by consumed `namespace.operation` (what `call` names): the compiler's view. */
export type ContractIndex = ReadonlyMap<string, OperationContract>;

/** One `--openapi` / `NAFTIKO_OPENAPI_<NS>` setting before the namespaces are known. */
export interface ContractSource {
  /** Absent for the bare `--openapi <path>` form, which needs exactly one consumed namespace. */
  readonly namespace?: string;
  /** File path (relative to the working directory) or http(s) URL. */
  readonly location: string;
  /** Where the setting came from, for messages: `--openapi` or the env variable's name. */
  readonly from: string;
}
