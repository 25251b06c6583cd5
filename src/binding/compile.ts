// Capability document → frozen BindingTable. Pure: no I/O, no protocol. Everything a request
// needs (schemas, validators, templates, JSONPath) is compiled here, once.

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsNs from 'ajv-formats';
import type {
  CapabilityDocument,
  ConsumedInputParameter,
  ConsumedOperation,
  ConsumesHttp,
  ExposedOperation,
  ExposedResource,
  ExposesMcp,
  ExposesRest,
  McpTool,
} from '../spec/types.js';
import { annotationsFor, isIdempotent, titleFromName } from './annotations.js';
import { planArgs, type DeclaredParam } from './args.js';
import { collectBinds, exposeSpecs, upstreamSpecs } from './context.js';
import { compileInput } from './input.js';
import { compileOutput } from './output.js';
import { parseWithValue, type WithSource } from './references.js';
import { compileRequest } from './request.js';
import type { Binding, BindingTable, McpExposure, RestExposure } from './table.js';

interface Target {
  readonly consumes: ConsumesHttp;
  readonly path: string;
  readonly operation: ConsumedOperation;
  readonly params: readonly ConsumedInputParameter[];
}

/** Exposed operations this runtime cannot serve yet (orchestration steps, aggregates, mocks, forward). */
export interface Unsupported {
  readonly where: string;
  readonly reason: string;
}

export interface CompiledTable extends BindingTable {
  readonly unsupported: readonly Unsupported[];
}

export function compileTable(doc: CapabilityDocument): CompiledTable {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormatsNs.default(ajv);
  const consumes = (doc.capability?.consumes ?? []).filter((c): c is ConsumesHttp => 'type' in c && c.type === 'http');
  const targets = indexTargets(consumes);
  const bindings: Binding[] = [];
  const unsupported: Unsupported[] = [];

  for (const ex of doc.capability?.exposes ?? []) {
    if (ex.type === 'rest') {
      const rest = ex as ExposesRest;
      for (const res of rest.resources ?? []) {
        if (res.forward && !res.operations?.length)
          unsupported.push({ where: `${rest.namespace} ${res.path}`, reason: 'forward resources are not served yet' });
        for (const op of res.operations ?? []) {
          const b = restBinding(ajv, rest, res, op, targets);
          if ('reason' in b) unsupported.push(b);
          else bindings.push(b);
        }
      }
    } else if (ex.type === 'mcp') {
      const mcp = ex as ExposesMcp;
      for (const tool of mcp.tools ?? []) {
        const b = toolBinding(ajv, mcp, tool, targets);
        if ('reason' in b) unsupported.push(b);
        else bindings.push(b);
      }
    }
  }

  return deepFreeze({
    capability: {
      label: doc.info?.label ?? 'capability',
      description: doc.info?.description ?? '',
      version: doc.info?.modified ?? doc.naftiko,
    },
    bindings,
    upstreams: upstreamSpecs(consumes),
    exposes: exposeSpecs(doc.capability?.exposes ?? []),
    binds: collectBinds(doc),
    unsupported,
  });
}

function indexTargets(consumes: readonly ConsumesHttp[]): Map<string, Target> {
  const targets = new Map<string, Target>();
  for (const c of consumes) {
    for (const r of c.resources ?? []) {
      for (const op of r.operations ?? []) {
        const key = `${c.namespace}.${op.name}`;
        // The reference engine searches all resources and keeps the first match.
        if (targets.has(key)) continue;
        const params = mergeParams(c.inputParameters, r.inputParameters, op.inputParameters);
        targets.set(key, { consumes: c, path: r.path, operation: op, params });
      }
    }
  }
  return targets;
}

function mergeParams(...levels: Array<readonly ConsumedInputParameter[] | undefined>): ConsumedInputParameter[] {
  const byName = new Map<string, ConsumedInputParameter>();
  for (const level of levels) for (const p of level ?? []) byName.set(p.name, p);
  return [...byName.values()];
}

/** The consumed operation a `call` names, or why the entry is not served. */
function targetOf(
  call: string | undefined,
  targets: Map<string, Target>,
  where: string,
  what: 'operations' | 'tools',
): Target | Unsupported {
  const target = call ? targets.get(call) : undefined;
  if (target) return target;
  return {
    where,
    reason: call
      ? `call '${call}' names no consumed operation`
      : `only simple \`call\` ${what} are served (steps, ref and mocks are not yet)`,
  };
}

function restBinding(
  ajv: Ajv2020,
  rest: ExposesRest,
  res: ExposedResource,
  op: ExposedOperation,
  targets: Map<string, Target>,
): Binding | Unsupported {
  const target = targetOf(op.call, targets, `${rest.namespace} ${op.method} ${res.path}`, 'operations');
  if ('reason' in target) return target;
  const declared: DeclaredParam[] = [...(res.inputParameters ?? []), ...(op.inputParameters ?? [])];
  const expose: RestExposure = {
    kind: 'rest',
    namespace: rest.namespace,
    method: op.method,
    path: res.path,
    ...(op.name ? { operationName: op.name } : {}),
    ...(res.name ? { resourceName: res.name } : {}),
  };
  const id = `${rest.namespace}.${op.name ?? `${op.method} ${res.path}`}`;
  return bind(ajv, {
    id,
    expose,
    adapter: 'rest',
    exposedPath: res.path,
    declared,
    with: op.with,
    target,
    description: op.description ?? res.description,
    output: op.outputParameters,
    idempotent: isIdempotent(target.operation.method, op.hints),
  });
}

function toolBinding(
  ajv: Ajv2020,
  mcp: ExposesMcp,
  tool: McpTool,
  targets: Map<string, Target>,
): Binding | Unsupported {
  const target = targetOf(tool.call, targets, `${mcp.namespace} tool ${tool.name}`, 'tools');
  if ('reason' in target) return target;
  const title = tool.label ?? titleFromName(tool.name);
  const expose: McpExposure = {
    kind: 'mcp',
    namespace: mcp.namespace,
    name: tool.name,
    title,
    ...(tool.description ? { description: tool.description } : {}),
    annotations: annotationsFor(target.operation.method, tool.hints, title),
  };
  return bind(ajv, {
    id: `${mcp.namespace}.${tool.name}`,
    expose,
    adapter: 'mcp',
    declared: tool.inputParameters ?? [],
    with: tool.with,
    target,
    description: tool.description,
    output: tool.outputParameters,
    idempotent: isIdempotent(target.operation.method, tool.hints),
  });
}

interface BindPlan {
  id: string;
  expose: RestExposure | McpExposure;
  adapter: 'rest' | 'mcp';
  exposedPath?: string;
  declared: readonly DeclaredParam[];
  with: Record<string, string | number> | undefined;
  target: Target;
  description: string | undefined;
  output: ExposedOperation['outputParameters'];
  idempotent: boolean;
}

function bind(ajv: Ajv2020, p: BindPlan): Binding {
  const withSources = new Map<string, WithSource>(
    Object.entries(p.with ?? {}).map(([k, v]) => [k, parseWithValue(v, p.expose.namespace, p.adapter)]),
  );
  const args = planArgs({
    adapter: p.adapter,
    ...(p.exposedPath ? { exposedPath: p.exposedPath } : {}),
    declared: p.declared,
    withSources,
    consumedParams: p.target.params,
    consumedPath: p.target.path,
  });
  const request = compileRequest({
    upstream: p.target.consumes.namespace,
    path: p.target.path,
    operation: p.target.operation,
    params: p.target.params,
    withSources,
    argNames: new Set(args.map((a) => a.name)),
  });
  return {
    id: p.id,
    expose: p.expose,
    ...(p.description ? { description: p.description } : {}),
    input: compileInput(ajv, args),
    request,
    output: compileOutput(p.output),
    idempotent: p.idempotent,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) if (typeof v === 'object') deepFreeze(v);
  }
  return value;
}
