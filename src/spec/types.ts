// TypeScript mirror of a Naftiko 1.0.0-alpha2 capability document, as our dialect reads it.
// Raw spec shapes only: the binding compiler turns them into the runtime's own types.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type ParamLocation = 'query' | 'header' | 'path' | 'cookie' | 'body' | 'environment';
export type ScalarType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

export interface CapabilityDocument {
  naftiko: string;
  info?: Info;
  binds?: Bind[];
  capability?: Capability;
  /** Present only in standalone "shared consumes" files. */
  consumes?: ConsumesHttp[];
}

export interface Info {
  label: string;
  description: string;
  tags?: string[];
  created?: string;
  modified?: string;
}

export interface Bind {
  namespace: string;
  description?: string;
  location?: string;
  keys: Record<string, string>;
}

export interface Capability {
  binds?: Bind[];
  /** In a document returned by `loadCapability`, imports are resolved: every entry is a ConsumesHttp. */
  consumes?: Array<ConsumesHttp | ImportedConsumes>;
  exposes?: Exposes[];
  aggregates?: unknown[];
}

export interface ImportedConsumes {
  location: string;
  import: string;
  as?: string;
  description?: string;
}

export interface ConsumesHttp {
  type: 'http';
  namespace: string;
  baseUri: string;
  description?: string;
  inputParameters?: ConsumedInputParameter[];
  authentication?: Authentication;
  resources: ConsumedResource[];
}

export interface ConsumedResource {
  name: string;
  path: string;
  label?: string;
  description?: string;
  inputParameters?: ConsumedInputParameter[];
  operations: ConsumedOperation[];
}

export interface ConsumedOperation {
  name: string;
  method: HttpMethod;
  label?: string;
  description?: string;
  inputParameters?: ConsumedInputParameter[];
  outputRawFormat?: string;
  /** avro/protobuf: schema file; html: CSS selector; markdown: heading prefix. */
  outputSchema?: string;
  outputParameters?: unknown[];
  body?: RequestBody;
}

/** `type`, `description` and `required` are dialect relaxations (DESIGN §3.2). */
export interface ConsumedInputParameter {
  name: string;
  in: ParamLocation;
  value?: string;
  type?: ScalarType;
  description?: string;
  required?: boolean;
}

export type RequestBody = string | { type: string; data?: unknown };

export type Authentication =
  | { type: 'bearer'; token?: string }
  | { type: 'apikey'; key: string; value: string; placement?: 'header' | 'query' }
  | { type: 'basic'; username?: string; password?: string }
  | { type: 'digest'; username?: string; password?: string }
  | {
      type: 'oauth2';
      authorizationServerUri: string;
      resource: string;
      scopes?: string[];
      audience?: string;
      tokenEndpoint?: string;
      tokenValidation?: string;
    };

export type Exposes = ExposesRest | ExposesMcp | ExposesOther;

export interface ExposesRest {
  type: 'rest';
  namespace: string;
  port: number;
  address?: string;
  /** Dialect relaxation (DESIGN §3.1). */
  description?: string;
  authentication?: Authentication;
  resources: ExposedResource[];
}

export interface ExposesMcp {
  type: 'mcp';
  namespace: string;
  transport?: 'http' | 'stdio';
  port?: number;
  address?: string;
  description?: string;
  authentication?: Authentication;
  tools: McpTool[];
  resources?: unknown[];
  prompts?: unknown[];
}

export interface ExposesOther {
  type: 'skill' | 'control';
  namespace?: string;
  port?: number;
  [key: string]: unknown;
}

export interface ExposedResource {
  path: string;
  name?: string;
  label?: string;
  description?: string;
  inputParameters?: ExposedInputParameter[];
  operations?: ExposedOperation[];
  forward?: { targetNamespace: string; trustedHeaders?: string[] };
}

export interface ExposedOperation {
  method: HttpMethod;
  name?: string;
  label?: string;
  description?: string;
  inputParameters?: ExposedInputParameter[];
  call?: string;
  with?: Record<string, string | number>;
  steps?: unknown[];
  ref?: string;
  outputParameters?: OutputParameter[];
  hints?: ToolHints;
}

export interface ExposedInputParameter {
  name: string;
  in?: 'query' | 'header' | 'path' | 'cookie' | 'body';
  type?: ScalarType;
  description?: string;
  required?: boolean;
  pattern?: string;
  value?: string;
}

export interface McpTool {
  name: string;
  label?: string;
  description?: string;
  inputParameters?: McpToolInputParameter[];
  call?: string;
  with?: Record<string, string | number>;
  steps?: unknown[];
  ref?: string;
  hints?: ToolHints;
  outputParameters?: OutputParameter[];
}

export interface McpToolInputParameter {
  name: string;
  type?: ScalarType;
  description?: string;
  required?: boolean;
}

export interface ToolHints {
  readOnly?: boolean;
  destructive?: boolean;
  idempotent?: boolean;
  openWorld?: boolean;
}

export interface OutputParameter {
  name?: string;
  type?: ScalarType;
  mapping?: string;
  value?: string;
  properties?: Record<string, OutputParameter>;
  items?: OutputParameter;
  [key: string]: unknown;
}
