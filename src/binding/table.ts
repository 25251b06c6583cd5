// The binding table: the one compiled form of a capability that every adapter serves.
// Plain data plus closures made once at start-up; nothing here looks back at the YAML.

import type { HttpMethod } from '../spec/types.js';

export type JsonSchema = Record<string, unknown>;
export type ArgSource = 'path' | 'query' | 'header' | 'body';

/** One argument of a binding: its name, where a REST caller puts it, and its schema. */
export interface ArgSpec {
  readonly name: string;
  /** Where the REST adapter reads it from. The MCP adapter always reads tool arguments by name. */
  readonly source: ArgSource;
  readonly required: boolean;
  readonly schema: JsonSchema;
  readonly description?: string;
  /** How the argument was found: declared in the file, or inferred (DESIGN §3.5). */
  readonly origin: 'declared' | 'path-placeholder' | 'with-reference';
  /** For `source: 'body'`: the whole JSON request body (true) or its same-named top-level field. */
  readonly wholeBody?: boolean;
}

export interface ValidationIssue {
  /** The argument at fault, e.g. `page` or `body.email`; empty for the whole argument object. */
  readonly argument: string;
  readonly message: string;
}

export interface BindingInput {
  /** JSON Schema (2020-12) of the argument object: the REST validator, the MCP inputSchema and OpenAPI source. */
  readonly schema: JsonSchema;
  readonly args: readonly ArgSpec[];
  /**
   * Validates and coerces raw arguments (strings from a path or query are coerced to the declared type).
   * Returns the coerced copy, or the issues found.
   */
  readonly validate: (
    raw: Record<string, unknown>,
  ) => { ok: true; value: Record<string, unknown> } | { ok: false; issues: ValidationIssue[] };
}

/** Upstream request as compiled from the consumed operation and the exposed `with`. */
export interface RequestTemplate {
  /** Consumed namespace; the runtime resolves its origin and credentials at start. */
  readonly upstream: string;
  readonly method: HttpMethod;
  /** The consumed path as written, e.g. `/api/one-time-tokens/{id}` (for display). */
  readonly pathTemplate: string;
  /**
   * Builds the path (each placeholder encoded as one segment) and query/header/body from validated
   * arguments; `vars` are the resolved bind variables, for `{{VAR}}` templates. Throws RuntimeError (input)
   * when a path placeholder has no value.
   */
  readonly build: (args: Readonly<Record<string, unknown>>, vars: Readonly<Record<string, string>>) => BuiltRequest;
}

export interface BuiltRequest {
  /** Path and query relative to the upstream base URI, already encoded. */
  readonly path: string;
  readonly query: ReadonlyArray<readonly [string, string]>;
  readonly headers: Readonly<Record<string, string>>;
  /** Serialized request body, or undefined for none. */
  readonly body?: { readonly contentType: string; readonly text: string };
}

export interface RestExposure {
  readonly kind: 'rest';
  readonly namespace: string;
  readonly method: HttpMethod;
  /** As written in the file, with `{x}` placeholders, e.g. `/v1/api/one-time-tokens/{id}`. */
  readonly path: string;
  readonly operationName?: string;
  /** The exposed resource's `name`, used to group operations (OpenAPI tags). */
  readonly resourceName?: string;
}

export interface ToolAnnotations {
  readonly title?: string;
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

export interface McpExposure {
  readonly kind: 'mcp';
  readonly namespace: string;
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  readonly annotations: ToolAnnotations;
}

export interface Binding {
  /** Stable id used in logs and metrics, e.g. `logto-one-time-tokens-rest.listonetimetokens` or `logto-one-time-tokens-mcp.get-one-time-tokens`. */
  readonly id: string;
  readonly expose: RestExposure | McpExposure;
  readonly description?: string;
  readonly input: BindingInput;
  readonly request: RequestTemplate;
  /** Projects the upstream JSON body into the exposed output; identity for `$`/`$.`. */
  readonly output: (body: unknown) => unknown;
  /** Retry-safe: GET/PUT/DELETE, or `hints.idempotent: true`. */
  readonly idempotent: boolean;
}

export interface UpstreamSpec {
  readonly namespace: string;
  /** As written, e.g. `https://[tenant_id].logto.app`. */
  readonly baseUri: string;
  /** Variable names found in the base URI (`[x]`, `{x}`, `{{x}}`). */
  readonly variables: readonly string[];
  readonly auth?: UpstreamAuthSpec;
}

/** Outbound credentials with their values still as templates (`{{env.X}}`); resolved at start. */
export type UpstreamAuthSpec =
  | { readonly type: 'bearer'; readonly token: string }
  | { readonly type: 'apikey'; readonly key: string; readonly value: string; readonly placement: 'header' | 'query' }
  | { readonly type: 'basic'; readonly username: string; readonly password: string }
  | { readonly type: 'digest'; readonly username: string; readonly password: string };

export type AdapterKind = 'rest' | 'mcp' | 'skill' | 'control';

export interface ExposeSpec {
  readonly kind: AdapterKind;
  readonly namespace: string;
  readonly port?: number;
  readonly address?: string;
  readonly transport: 'http' | 'stdio';
  readonly description?: string;
  readonly authentication?: unknown;
  /** The exposes entry as written (templates unresolved): adapters read their own settings from it. */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface BindingTable {
  readonly capability: { readonly label: string; readonly description: string; readonly version: string };
  readonly bindings: readonly Binding[];
  readonly upstreams: readonly UpstreamSpec[];
  readonly exposes: readonly ExposeSpec[];
  /** Bind variables the file declares: name → where its value comes from. */
  readonly binds: ReadonlyArray<{
    readonly variable: string;
    readonly namespace: string;
    readonly providerKey: string;
    readonly location?: string;
  }>;
}
