// ImportedApi → alpha2 documents: a consumes file (one shared `consumes` entry), or a starter capability
// that serves every imported operation over REST and MCP.

import type { ImportedApi, ImportedAuth, ImportedOperation, ImportedParam } from './model.js';

type Doc = Record<string, unknown>;
const VERSION = '1.0.0-alpha2';
/** The bind namespace auth templates read from (`{{env.X}}`), as the bundled Logto capability does. */
const BIND_NAMESPACE = 'env';

export function consumesDocument(api: ImportedApi): Doc {
  return {
    naftiko: VERSION,
    info: { label: api.label, description: api.description },
    ...bindsOf(api.auth),
    consumes: [consumesEntry(api)],
  };
}

export function starterCapability(api: ImportedApi): Doc {
  const { binds } = bindsOf(api.auth);
  return {
    naftiko: VERSION,
    info: { label: api.label, description: api.description },
    ...(binds ? { binds } : {}),
    capability: {
      consumes: [consumesEntry(api)],
      exposes: [restAdapter(api), mcpAdapter(api)],
    },
  };
}

function consumesEntry(api: ImportedApi): Doc {
  return {
    type: 'http',
    namespace: api.namespace,
    description: api.description,
    baseUri: api.baseUri,
    ...(api.auth ? { authentication: authentication(api.auth) } : {}),
    resources: api.resources.map((r) => ({
      name: r.name,
      path: r.path,
      operations: r.operations.map(consumedOperation),
    })),
  };
}

function consumedOperation(op: ImportedOperation): Doc {
  const fieldTemplate = op.body === 'template' ? op.params.find((p) => p.in === 'body') : undefined;
  return {
    name: op.name,
    method: op.method,
    ...(op.label ? { label: op.label } : {}),
    ...(op.description ? { description: op.description } : {}),
    ...(op.params.length ? { inputParameters: op.params.map(consumedParam) } : {}),
    // A lone `in: body` parameter would be the whole body; a template keeps it a field of an object.
    ...(fieldTemplate ? { body: { type: 'json', data: { [fieldTemplate.name]: `{{${fieldTemplate.name}}}` } } } : {}),
    ...(op.json ? { outputRawFormat: 'json' } : {}),
    ...(op.json && op.outputs.length ? { outputParameters: op.outputs.map((o) => ({ ...o })) } : {}),
  };
}

function consumedParam(p: ImportedParam): Doc {
  return {
    name: p.name,
    in: p.in,
    type: p.type,
    ...(p.description ? { description: p.description } : {}),
    required: p.required,
  };
}

function authentication(auth: ImportedAuth): Doc {
  const ref = (v: string) => `{{${v}}}`;
  switch (auth.type) {
    case 'apikey':
      return { type: 'apikey', key: auth.key, value: ref(auth.variable), placement: auth.placement };
    case 'bearer':
      return { type: 'bearer', token: ref(auth.variable) };
    case 'basic':
    case 'digest':
      return { type: auth.type, username: ref(auth.variables[0]), password: ref(auth.variables[1]) };
  }
}

function bindsOf(auth: ImportedAuth | undefined): { binds?: Doc[] } {
  if (!auth) return {};
  const vars = 'variable' in auth ? [auth.variable] : [...auth.variables];
  return { binds: [{ namespace: BIND_NAMESPACE, keys: Object.fromEntries(vars.map((v) => [v, v])) }] };
}

function restAdapter(api: ImportedApi): Doc {
  return {
    type: 'rest',
    namespace: `${api.namespace}-rest`,
    port: 8080,
    description: `REST API for ${api.label}: one operation per imported upstream operation.`,
    resources: api.resources.map((r) => ({
      path: r.path,
      name: r.name,
      operations: r.operations.map((op) => ({
        method: op.method,
        name: op.name,
        ...(op.label ? { label: op.label } : {}),
        description: describe(op),
        call: `${api.namespace}.${op.name}`,
        ...inputs(op, 'rest'),
        ...outputs(op),
      })),
    })),
  };
}

function mcpAdapter(api: ImportedApi): Doc {
  return {
    type: 'mcp',
    namespace: `${api.namespace}-mcp`,
    port: 9090,
    transport: 'http',
    description: `Tools for ${api.label}. ${api.description}`,
    tools: api.resources.flatMap((r) =>
      r.operations.map((op) => ({
        name: op.name,
        ...(op.label ? { label: op.label } : {}),
        description: describe(op),
        call: `${api.namespace}.${op.name}`,
        ...inputs(op, 'mcp'),
        ...outputs(op),
      })),
    ),
  };
}

function describe(op: ImportedOperation): string {
  return op.description ?? op.label ?? `${op.method} ${op.name}`;
}

/**
 * Declared inputs carry the type and description to callers. A whole-body `body` parameter is fed with `with`
 * instead: an argument inferred from it is the whole request body (a declared one would be a field of it).
 */
function inputs(op: ImportedOperation, adapter: 'rest' | 'mcp'): Doc {
  const whole = op.body === 'whole';
  const declared = op.params.filter((p) => !(whole && p.in === 'body'));
  const described = (p: ImportedParam) => p.description ?? `The ${p.in} parameter '${p.name}'.`;
  const inputParameters = declared.map((p) =>
    adapter === 'rest'
      ? // alpha2 REST inputs have no `required`: the consumed parameter's own `required` is enforced instead.
        { name: p.name, in: p.in, type: p.type, description: described(p) }
      : { name: p.name, type: p.type, description: described(p), required: p.required },
  );
  return {
    ...(inputParameters.length ? { inputParameters } : {}),
    ...(whole ? { with: { body: `${adapter === 'rest' ? 'rest' : 'tools'}.body` } } : {}),
  };
}

function outputs(op: ImportedOperation): Doc {
  return op.json ? { outputParameters: [{ type: 'object', mapping: '$.' }] } : {};
}
