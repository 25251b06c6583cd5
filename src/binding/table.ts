// The binding table: the one compiled form of a capability that every adapter serves.
// Plain data plus closures made once at start-up; nothing here looks back at the YAML.

import type { HttpMethod } from '../spec/types.js';
import type { ForwardRoute } from './forward.js';
import type { McpPromptItem, McpResourceItem } from './mcp-items.js';
import type { SkillCatalogue } from './skills.js';

export type JsonSchema = Record<string, unknown>;
export type ArgSource = 'path' | 'query' | 'header' | 'cookie' | 'body';

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
  /** For `source: 'body'`: a JSONPath into the request body (`value: $.user.id` on an exposed input). */
  readonly bodyPath?: string;
  /** The `type` is the runtime's default, not written in the file: an upstream contract may replace it. */
  readonly defaultType?: true;
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
   * Builds the path (each placeholder encoded as one segment) and query/header/body from the parameter
   * map (arguments + `with` values + step outputs); `vars` are the resolved bind variables, for `{{VAR}}` templates. Throws RuntimeError (input)
   * when a path placeholder has no value.
   */
  readonly build: (params: Readonly<Params>, vars: Readonly<Record<string, string>>) => BuiltRequest;
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
  /** What a call runs: one upstream call, ordered steps, or a mock (DESIGN §10). */
  readonly plan: Plan;
  /** The upstream request of a one-call plan (for display: OpenAPI, inspect); absent for steps and mocks. */
  readonly request?: RequestTemplate;
  /** Retry-safe: GET/PUT/DELETE, or `hints.idempotent: true` (for a `ref`, derived from the function's semantics). */
  readonly idempotent: boolean;
  /** The 2xx JSON response schema from the upstream's OpenAPI document (src/contracts), when one matched. */
  readonly response?: BindingResponse;
  /** The matched upstream operation's `summary` (src/contracts): a title when the file's description is not one. */
  readonly summary?: string;
  /** The matched upstream operation's tag descriptions (src/contracts): what the API is for, for MCP instructions. */
  readonly topic?: string;
}

export interface BindingResponse {
  /** The upstream status it documents, e.g. `200`, `201` or `2XX`. */
  readonly status: string;
  readonly schema: JsonSchema;
}

/** The caller's parameter map of one call: validated arguments, `with` values, step outputs by step name. */
export type Params = Record<string, unknown>;
/** Adds one level's `with` values to the parameter map (binds are readable through `vars`). */
export type WithMerge = (params: Params, vars: Readonly<Record<string, string>>) => void;
/** Upstream body bytes → JSON value, for a consumed operation with `outputRawFormat`. */
export type BodyDecoder = (body: Buffer, contentType: string | undefined) => unknown;

export interface CallStep {
  readonly kind: 'call';
  /** The step's name (a one-call plan uses the consumed operation's `ns.op`). */
  readonly name: string;
  /** The consumed operation, `ns.op`, for errors and logs. */
  readonly call: string;
  readonly with: WithMerge;
  readonly request: RequestTemplate;
  readonly decode?: BodyDecoder;
  readonly idempotent: boolean;
  /** The consumed operation's own `outputParameters`: what later steps see under the step's name. */
  readonly stepOutput: (body: unknown) => unknown;
}

export interface LookupStep {
  readonly kind: 'lookup';
  readonly name: string;
  /** The earlier step whose output is the table to search. */
  readonly index: string;
  readonly match: string;
  /** The value (or values) to look up, from the step outputs and the parameter map. */
  readonly lookupValue: (steps: Readonly<Params>, params: Readonly<Params>) => unknown;
  readonly fields: readonly string[];
}

export interface ScriptStep {
  readonly kind: 'script';
  readonly name: string;
  readonly file: string;
  readonly with: WithMerge;
  readonly run: (context: Readonly<Params>, signal?: AbortSignal) => Promise<unknown>;
}

export type Step = CallStep | LookupStep | ScriptStep;

export type Plan =
  /** One upstream call; its status, headers and error body pass through. */
  | {
      readonly kind: 'call';
      readonly with: WithMerge;
      readonly step: CallStep;
      readonly output: (body: unknown) => unknown;
    }
  /** Ordered steps, then `mappings` (or the last call's projected body) as the result. */
  | {
      readonly kind: 'steps';
      readonly with: WithMerge;
      readonly steps: readonly Step[];
      /** Builds the result from the step outputs; undefined when no mapping resolved. */
      readonly mappings?: (steps: Readonly<Params>) => unknown;
      readonly output: (body: unknown) => unknown;
    }
  /** No upstream: the outputs' `value`s rendered from the parameter map. */
  | { readonly kind: 'mock'; readonly with: WithMerge; readonly render: (params: Readonly<Params>) => unknown };

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
  /** One catalogue per `type: skill` adapter (src/binding/skills.ts). */
  readonly skills?: readonly SkillCatalogue[];
  /** REST `forward` resources: pass-through routes to a consumed namespace (src/binding/forward.ts). */
  readonly forwards?: readonly ForwardRoute[];
  /** MCP resources (static files, dynamic ones with their binding) and prompts (src/binding/mcp-items.ts). */
  readonly resources?: readonly McpResourceItem[];
  readonly prompts?: readonly McpPromptItem[];
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
