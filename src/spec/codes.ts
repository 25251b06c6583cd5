// The catalogue of load-time diagnostic codes. Codes are stable: tools and tests key on them.

import type { Severity } from './diagnostics.js';

interface CodeInfo {
  readonly severity: Severity;
  readonly summary: string;
}

export const CODES = {
  NAF_SPEC_READ: { severity: 'error', summary: 'the capability file cannot be read' },
  NAF_SPEC_YAML: { severity: 'error', summary: 'the file is not well-formed YAML' },
  NAF_SPEC_SCHEMA_UNKNOWN_PROPERTY: { severity: 'error', summary: 'a property the schema does not allow here' },
  NAF_SPEC_SCHEMA_REQUIRED: { severity: 'error', summary: 'a required property is missing' },
  NAF_SPEC_SCHEMA_TYPE: { severity: 'error', summary: 'a value has the wrong JSON type' },
  NAF_SPEC_SCHEMA_ENUM: { severity: 'error', summary: 'a value is not one of the allowed values' },
  NAF_SPEC_SCHEMA_PATTERN: { severity: 'error', summary: 'a string does not have the required form' },
  NAF_SPEC_SCHEMA_RANGE: { severity: 'error', summary: 'a number, string or list is too small or too large' },
  NAF_SPEC_SCHEMA_SHAPE: { severity: 'error', summary: 'an object matches none, or more than one, of its shapes' },
  NAF_SPEC_CALL_TARGET: { severity: 'error', summary: '`call` names no consumed operation' },
  NAF_SPEC_CALL_MOCK_FALLBACK: {
    severity: 'warning',
    summary: 'a REST `call` names no consumed namespace: answered from its output values',
  },
  NAF_SPEC_REF_TARGET: { severity: 'error', summary: '`ref` names no aggregate function' },
  NAF_SPEC_NAMESPACE_DUPLICATE: { severity: 'error', summary: 'two consumes/exposes entries share a namespace' },
  NAF_SPEC_PORT_CONFLICT: { severity: 'error', summary: 'two adapters listen on the same port' },
  NAF_SPEC_WITH_UNKNOWN_PARAM: { severity: 'warning', summary: 'a `with` key names no parameter of the call (unused)' },
  NAF_SPEC_WITH_VALUE: { severity: 'error', summary: 'a `with` value is a malformed reference or template' },
  NAF_SPEC_WITH_LITERAL: { severity: 'warning', summary: 'a `with` literal looks like a reference' },
  NAF_SPEC_PATH_PLACEHOLDER: { severity: 'error', summary: 'a consumed path placeholder gets no value' },
  NAF_SPEC_TOOL_NAME: { severity: 'error', summary: 'an MCP tool name is invalid' },
  NAF_SPEC_TOOL_DUPLICATE: { severity: 'error', summary: 'two MCP tools of one adapter share a name' },
  NAF_SPEC_ROUTE_CONFLICT: { severity: 'error', summary: 'two REST operations have the same method and path' },
  NAF_SPEC_IMPORT_FILE: { severity: 'error', summary: 'an imported consumes file cannot be loaded' },
  NAF_SPEC_IMPORT_NAMESPACE: { severity: 'error', summary: 'an imported namespace is not in the imported file' },
  NAF_SPEC_BIND_KEY: { severity: 'error', summary: 'a bind variable name is malformed' },
  NAF_SPEC_BIND_UNDECLARED: { severity: 'error', summary: 'an auth template names no declared bind variable' },
  NAF_SPEC_BASEURI_SLASH: { severity: 'error', summary: 'a baseUri ends with `/`' },
  NAF_SPEC_PATH_QUERY: { severity: 'warning', summary: 'a resource path contains a query string' },
  NAF_SPEC_PATH_TRAILING_SLASH: { severity: 'warning', summary: 'an exposed REST path ends with `/`' },
  NAF_SPEC_STDIO_AUTH: { severity: 'warning', summary: 'authentication on a stdio MCP server (never applied)' },
  NAF_SPEC_CONTROL_DUPLICATE: { severity: 'error', summary: 'more than one control adapter' },
  NAF_SPEC_CONTROL_ADDRESS: { severity: 'warning', summary: 'a control adapter bound to a non-loopback address' },
  NAF_SPEC_MARKUP_SCRIPT: { severity: 'warning', summary: 'a description or label contains `<script` or `eval(`' },
  NAF_SPEC_SEMANTICS_HINTS: {
    severity: 'warning',
    summary: 'hints or method contradict the `ref`d function semantics',
  },
  NAF_SPEC_SKILL_DUPLICATE: {
    severity: 'error',
    summary: 'two skills of an adapter, or two tools of a skill, share a name',
  },
  NAF_SPEC_SKILL_FROM_NAMESPACE: { severity: 'error', summary: 'a skill tool `from` names no rest/mcp adapter' },
  NAF_SPEC_SKILL_FROM_ACTION: { severity: 'error', summary: 'a skill tool `from.action` names no operation/tool' },
  NAF_SPEC_SKILL_LOCATION: { severity: 'warning', summary: 'a skill `location` folder does not exist (yet)' },
  NAF_SPEC_SKILL_LOCATION_SECRETS: { severity: 'error', summary: 'a skill folder holds a binds (secrets) file' },
  NAF_SPEC_SKILL_INSTRUCTION_LOCATION: {
    severity: 'error',
    summary: 'an instruction tool in a skill without location',
  },
  NAF_SPEC_SKILL_INSTRUCTION_PATH: { severity: 'error', summary: 'an instruction path leaves the skill folder' },
  NAF_SPEC_SKILL_INSTRUCTION_MISSING: { severity: 'error', summary: 'an instruction file does not exist' },
  NAF_SPEC_UNSUPPORTED_SCRIPT: { severity: 'warning', summary: 'a script step this runtime cannot run' },
  NAF_SPEC_UNSUPPORTED_FORMAT: { severity: 'warning', summary: 'an outputRawFormat this runtime cannot decode' },
  NAF_DIALECT_REST_DESCRIPTION: { severity: 'warning', summary: 'description on a rest exposes entry' },
  NAF_DIALECT_CONSUMED_PARAM_META: { severity: 'warning', summary: 'type/description/required on a consumed param' },
  NAF_DIALECT_IDENTITY_OUTPUT: { severity: 'warning', summary: 'object output without properties (identity)' },
  NAF_DIALECT_WITH_ALIAS: { severity: 'warning', summary: '`rest.`/`tools.`/`mcp.` alias reference in `with`' },
  NAF_DIALECT_INFERRED_INPUTS: { severity: 'warning', summary: 'exposed inputs inferred from `with` and paths' },
  NAF_DIALECT_IMPLICIT_BODY: { severity: 'warning', summary: '`in: body` param without a `body:` template' },
  NAF_DIALECT_SINGLE_BRACE_PATH: { severity: 'warning', summary: 'single-brace `{x}` placeholder in a consumed path' },
  NAF_DIALECT_BASEURI_VARIABLE: { severity: 'warning', summary: '`[name]` variable in a baseUri' },
  NAF_DIALECT_QUALIFIED_BIND: { severity: 'warning', summary: '`{{ns.VAR}}` qualified bind reference' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;
