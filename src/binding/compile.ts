// Capability document → frozen BindingTable. Pure: no I/O, no protocol (formats and scripts come in through
// seams). Every exposed item compiles through one `compileCallable`: its inputs, its plan (a call, steps or a
// mock, after resolving a `ref`) and its output — once, at start-up.

import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsNs from 'ajv-formats';
import type {
  CapabilityDocument,
  ConsumesHttp,
  ExposedOperation,
  ExposedResource,
  ExposesMcp,
  ExposesRest,
  HttpMethod,
  McpTool,
  OutputParameter,
  ToolHints,
} from '../spec/types.js';
import { deriveHints, indexFunctions, type AggregateFunction } from './aggregates.js';
import { annotationsFor, titleFromName } from './annotations.js';
import { planArgs, type DeclaredParam } from './args.js';
import { collectBinds, exposeSpecs, upstreamSpecs } from './context.js';
import { compileInput } from './input.js';
import { usePrecompiledMetaSchema } from './meta-schema.js';
import { hasStaticValue, compileMock } from './mock.js';
import { compileOutput } from './output.js';
import { parseWithValue, type WithSource } from './references.js';
import { compileCallStep, compileMappings, compileSteps, isRefusal, type Refusal, type StepScope } from './steps.js';
import type {
  Binding,
  BindingInput,
  BindingResponse,
  BindingTable,
  McpExposure,
  Plan,
  RequestTemplate,
  RestExposure,
  Step,
  WithMerge,
} from './table.js';
import { indexTargets, type Target } from './targets.js';
import { compileWith, NO_WITH, stackWith, type WithEntries } from './with.js';
import { compileMcpItems } from './mcp-items.js';
import { compileForwards } from './forward.js';
import { compileSkills } from './skills.js';
import { applyContract, isIdentityOutput } from '../contracts/enrich.js';
import type { ContractIndex, OperationContract } from '../contracts/types.js';

/** An exposed item this runtime does not serve, and why (listed by validate/inspect, logged at start). */
export interface Unsupported {
  readonly where: string;
  readonly reason: string;
  /** JSON pointer of the item in the capability file, for line:col. */
  readonly ptr?: string;
}

export interface CompiledTable extends BindingTable {
  readonly unsupported: readonly Unsupported[];
}

/** The seams that need I/O or heavy libraries; the defaults refuse what they cannot do, with the reason. */
export interface CompileOptions {
  readonly decoderFor?: StepScope['decoderFor'];
  readonly scriptFor?: StepScope['scriptFor'];
  /** Upstream OpenAPI operations matched to consumed ones (src/contracts): typed bodies, parameters, responses. */
  readonly contracts?: ContractIndex;
}

/** Everything compiling one exposed item needs; built once per table. */
export interface CompileContext {
  readonly ajv: Ajv2020;
  readonly targets: ReadonlyMap<string, Target>;
  readonly functions: ReadonlyMap<string, AggregateFunction>;
  readonly options: Required<CompileOptions>;
}

/** One exposed item as written: a REST operation, an MCP tool, a dynamic MCP resource… */
export interface CallableSpec {
  readonly where: string;
  readonly ptr?: string;
  /** The namespace whose `<ns>.<param>` references read the caller's arguments. */
  readonly namespace: string;
  readonly adapter: 'rest' | 'mcp';
  readonly exposedPath?: string;
  readonly declared: readonly DeclaredParam[];
  readonly call?: string;
  readonly with?: WithEntries;
  readonly steps?: readonly unknown[];
  readonly mappings?: readonly unknown[];
  readonly outputParameters?: readonly OutputParameter[];
  readonly ref?: string;
  readonly hints?: ToolHints;
  /** REST only: when `call` names no consumed namespace and the outputs carry values, answer the mock. */
  readonly mockFallback?: boolean;
}

/** A compiled callable: what a Binding is made of, whatever exposes it. */
export interface Callable {
  readonly input: BindingInput;
  readonly plan: Plan;
  readonly request?: RequestTemplate;
  readonly idempotent: boolean;
  /** The method whose semantics describe the whole plan (for MCP annotation defaults). */
  readonly method: HttpMethod;
  /** Hints after `ref` resolution: the function's derived ones, then the written ones. */
  readonly hints?: ToolHints;
  /** The aggregate function a `ref` named. */
  readonly function?: AggregateFunction;
  /** The upstream contract's 2xx JSON response, when the output is the upstream body unchanged. */
  readonly response?: BindingResponse;
  /** The upstream contract's summary of the called operation (tool titles, MCP instructions). */
  readonly summary?: string;
  /** The upstream contract's description of what the operation's API is for (MCP instructions). */
  readonly topic?: string;
}

const DEFAULT_OPTIONS: Required<CompileOptions> = {
  decoderFor: (op) =>
    op.outputRawFormat && op.outputRawFormat !== 'json'
      ? { reason: `outputRawFormat '${op.outputRawFormat}' needs the runtime's format decoders` }
      : undefined,
  scriptFor: () => ({ reason: 'script steps need the runtime’s script engine' }),
  contracts: new Map(),
};

export function createCompileContext(doc: CapabilityDocument, options: CompileOptions = {}): CompileContext {
  // The meta-schema every input schema is checked against, precompiled (meta-schema.ts): start-up time.
  const ajv = usePrecompiledMetaSchema(new Ajv2020({ allErrors: true, strict: false }));
  addFormatsNs.default(ajv);
  return {
    ajv,
    targets: indexTargets(httpConsumes(doc)),
    functions: indexFunctions(doc),
    options: { ...DEFAULT_OPTIONS, ...options },
  };
}

export function compileTable(doc: CapabilityDocument, options: CompileOptions = {}): CompiledTable {
  const ctx = createCompileContext(doc, options);
  const bindings: Binding[] = [];
  const unsupported: Unsupported[] = [];
  const keep = (b: Binding | Unsupported) => ('reason' in b ? unsupported.push(b) : bindings.push(b));

  for (const [i, ex] of (doc.capability?.exposes ?? []).entries()) {
    const ptr = `/capability/exposes/${i}`;
    if (ex.type === 'rest') {
      const rest = ex as ExposesRest;
      for (const [j, res] of (rest.resources ?? []).entries()) {
        for (const [k, op] of (res.operations ?? []).entries())
          keep(restBinding(ctx, rest, res, op, `${ptr}/resources/${j}/operations/${k}`));
      }
    } else if (ex.type === 'mcp') {
      const mcp = ex as ExposesMcp;
      for (const [j, tool] of (mcp.tools ?? []).entries()) keep(toolBinding(ctx, mcp, tool, `${ptr}/tools/${j}`));
    }
  }

  return deepFreeze({
    capability: {
      label: doc.info?.label ?? 'capability',
      description: doc.info?.description ?? '',
      version: doc.info?.modified ?? doc.naftiko,
    },
    bindings,
    upstreams: upstreamSpecs(httpConsumes(doc)),
    exposes: exposeSpecs(doc.capability?.exposes ?? []),
    skills: compileSkills(exposeSpecs(doc.capability?.exposes ?? [])),
    forwards: compileForwards(doc, unsupported),
    binds: collectBinds(doc),
    ...compileMcpItems(doc, unsupported, ctx),
    unsupported,
  });
}

function httpConsumes(doc: CapabilityDocument): ConsumesHttp[] {
  return (doc.capability?.consumes ?? []).filter((c): c is ConsumesHttp => 'type' in c && c.type === 'http');
}

function restBinding(
  ctx: CompileContext,
  rest: ExposesRest,
  res: ExposedResource,
  op: ExposedOperation,
  ptr: string,
): Binding | Unsupported {
  const fn = op.ref ? ctx.functions.get(op.ref) : undefined;
  const name = op.name ?? fn?.name;
  const where = `${rest.namespace} ${op.method} ${res.path}`;
  const compiled = compileCallable(ctx, {
    where,
    ptr,
    namespace: rest.namespace,
    adapter: 'rest',
    exposedPath: res.path,
    declared: [...(res.inputParameters ?? []), ...(op.inputParameters ?? [])],
    ...callableParts(op),
    mockFallback: true,
  });
  if ('reason' in compiled) return compiled;
  const expose: RestExposure = {
    kind: 'rest',
    namespace: rest.namespace,
    method: op.method,
    path: res.path,
    ...(name ? { operationName: name } : {}),
    ...(res.name ? { resourceName: res.name } : {}),
  };
  const description = op.description ?? fn?.description ?? res.description;
  return binding(`${rest.namespace}.${name ?? `${op.method} ${res.path}`}`, expose, description, compiled);
}

function toolBinding(ctx: CompileContext, mcp: ExposesMcp, tool: McpTool, ptr: string): Binding | Unsupported {
  const fn = tool.ref ? ctx.functions.get(tool.ref) : undefined;
  const name = tool.name ?? fn?.name ?? 'tool';
  const compiled = compileCallable(ctx, {
    where: `${mcp.namespace} tool ${name}`,
    ptr,
    namespace: mcp.namespace,
    adapter: 'mcp',
    declared: tool.inputParameters ?? [],
    ...callableParts(tool),
  });
  if ('reason' in compiled) return compiled;
  const title = tool.label ?? titleFromName(name);
  const description = tool.description ?? fn?.description;
  const annotations = annotationsFor(compiled.method, compiled.hints, title);
  const expose: McpExposure = {
    kind: 'mcp',
    namespace: mcp.namespace,
    name,
    title,
    ...(description ? { description } : {}),
    // A mock calls nothing outside the capability.
    annotations:
      compiled.plan.kind === 'mock' ? { ...annotations, openWorldHint: tool.hints?.openWorld ?? false } : annotations,
  };
  return binding(`${mcp.namespace}.${name}`, expose, description, compiled);
}

function callableParts(item: ExposedOperation | McpTool): Partial<CallableSpec> {
  const raw = item as unknown as Record<string, unknown>;
  return {
    ...(item.call ? { call: item.call } : {}),
    ...(item.with ? { with: item.with } : {}),
    ...(item.steps ? { steps: item.steps } : {}),
    ...(Array.isArray(raw['mappings']) ? { mappings: raw['mappings'] as unknown[] } : {}),
    ...(item.outputParameters ? { outputParameters: item.outputParameters } : {}),
    ...(item.ref ? { ref: item.ref } : {}),
    ...(item.hints ? { hints: item.hints } : {}),
  };
}

function binding(
  id: string,
  expose: RestExposure | McpExposure,
  description: string | undefined,
  c: Callable,
): Binding {
  return {
    id,
    expose,
    ...(description ? { description } : {}),
    input: c.input,
    plan: c.plan,
    ...(c.request ? { request: c.request } : {}),
    idempotent: c.idempotent,
    ...(c.response ? { response: c.response } : {}),
    ...(c.summary ? { summary: c.summary } : {}),
    ...(c.topic ? { topic: c.topic } : {}),
  };
}

/**
 * One exposed item → its inputs and plan. A `ref` inlines the function: its call/steps/mock, its inputs when the
 * item declares none, its `with` under the item's own, its outputs when the item has none, and hints derived
 * from its semantics.
 */
export function compileCallable(ctx: CompileContext, spec: CallableSpec): Callable | Unsupported {
  const fail = (reason: string): Unsupported => ({ where: spec.where, reason, ...(spec.ptr ? { ptr: spec.ptr } : {}) });
  let fn: AggregateFunction | undefined;
  let s = spec;
  if (spec.ref) {
    fn = ctx.functions.get(spec.ref);
    if (!fn) return fail(`ref '${spec.ref}' names no aggregate function`);
    s = inlineFunction(spec, fn);
  }
  const hints = deriveHints(fn, spec.hints);
  const fnWith = fn?.with ? compileWith(fn.with, fn.namespace, spec.adapter) : NO_WITH;
  const constants = constantInputs(s.declared);
  const exposedWith = stackWith(constants, fnWith, compileWith(s.with, s.namespace, s.adapter));
  const scope: StepScope = {
    targets: ctx.targets,
    namespace: fn?.namespace ?? s.namespace,
    adapter: s.adapter,
    ...(hints?.idempotent !== undefined ? { idempotentHint: hints.idempotent } : {}),
    decoderFor: ctx.options.decoderFor,
    scriptFor: ctx.options.scriptFor,
  };
  const withSources = withSourcesOf(s, fn);

  if (s.steps?.length) {
    const steps = compileSteps(s.steps, scope);
    if (isRefusal(steps)) return fail(steps.reason);
    const calls = steps.filter((st): st is Extract<Step, { kind: 'call' }> => st.kind === 'call');
    const mappings = compileMappings(s.mappings);
    const plan: Plan = {
      kind: 'steps',
      with: exposedWith,
      steps,
      ...(mappings ? { mappings } : {}),
      output: compileOutput(s.outputParameters as OutputParameter[] | undefined),
    };
    const consumed = calls.flatMap((c) => ctx.targets.get(c.call)?.params ?? []);
    return {
      input: inputs(ctx, s, withSources, consumed, ''),
      plan,
      idempotent: calls.every((c) => c.idempotent),
      method: riskiest(calls.map((c) => ctx.targets.get(c.call)?.operation.method ?? 'GET')),
      ...(hints ? { hints } : {}),
      ...(fn ? { function: fn } : {}),
    };
  }

  const target = s.call ? ctx.targets.get(s.call) : undefined;
  const mockable = hasStaticValue(s.outputParameters);
  if (!s.call || (!target && s.mockFallback && mockable && !ctx.targets.has(s.call) && !namespaceKnown(ctx, s.call))) {
    if (!mockable) return fail('no `call`, `steps` or `ref`, and no output `value` to answer as a mock');
    return {
      input: inputs(ctx, s, withSources, [], ''),
      plan: { kind: 'mock', with: exposedWith, render: compileMock(s.outputParameters) },
      idempotent: true,
      method: 'GET',
      ...(hints ? { hints } : {}),
      ...(fn ? { function: fn } : {}),
    };
  }
  const step = compileCallStep(s.call, s.call, undefined, scope);
  if (isRefusal(step)) return fail(step.reason);
  const t = ctx.targets.get(s.call) as Target;
  const contract = ctx.options.contracts.get(s.call);
  return {
    input: inputs(ctx, s, withSources, t.params, t.path, contract),
    plan: { kind: 'call', with: exposedWith, step, output: compileOutput(s.outputParameters as OutputParameter[]) },
    request: step.request,
    idempotent: step.idempotent,
    method: t.operation.method,
    ...(contract?.response && isIdentityOutput(s.outputParameters)
      ? { response: { status: contract.response.status, schema: contract.response.schema } }
      : {}),
    ...(contract?.summary ? { summary: contract.summary } : {}),
    ...(contract?.topic ? { topic: contract.topic } : {}),
    ...(hints ? { hints } : {}),
    ...(fn ? { function: fn } : {}),
  };
}

function inlineFunction(spec: CallableSpec, fn: AggregateFunction): CallableSpec {
  const { call: _c, steps: _s, mappings: _m, ...rest } = spec;
  return {
    ...rest,
    declared: spec.declared.length ? spec.declared : (fn.inputParameters ?? []),
    ...(fn.call ? { call: fn.call } : {}),
    ...(fn.steps ? { steps: fn.steps } : {}),
    ...(fn.mappings ? { mappings: fn.mappings } : {}),
    ...(fn.outputParameters?.length
      ? { outputParameters: fn.outputParameters }
      : spec.outputParameters
        ? { outputParameters: spec.outputParameters }
        : {}),
    mockFallback: false,
  };
}

function namespaceKnown(ctx: CompileContext, call: string): boolean {
  const ns = call.split('.')[0];
  return [...ctx.targets.values()].some((t) => t.consumes.namespace === ns);
}

/** Exposed inputs with a constant `value` (not a `$…` body path) are set before any `with`. */
function constantInputs(declared: readonly DeclaredParam[]): WithMerge {
  const constants = declared.filter((d) => typeof d.value === 'string' && !d.value.trim().startsWith('$'));
  if (constants.length === 0) return NO_WITH;
  return (params) => {
    for (const d of constants) params[d.name] = d.value;
  };
}

/** Every `with` reference to a caller argument, at every level, for inferring undeclared inputs. */
function withSourcesOf(s: CallableSpec, fn: AggregateFunction | undefined): Map<string, WithSource> {
  const sources = new Map<string, WithSource>();
  const add = (entries: WithEntries, namespace: string) => {
    for (const [k, v] of Object.entries(entries ?? {})) {
      const w = parseWithValue(v, namespace, s.adapter);
      if (!sources.has(k) || w.kind === 'argument') sources.set(k, w);
    }
  };
  for (const step of s.steps ?? []) add((step as { with?: WithEntries })?.with, fn?.namespace ?? s.namespace);
  if (fn) add(fn.with, fn.namespace);
  add(s.with, s.namespace);
  return sources;
}

function inputs(
  ctx: CompileContext,
  s: CallableSpec,
  withSources: ReadonlyMap<string, WithSource>,
  consumedParams: Target['params'],
  consumedPath: string,
  contract?: OperationContract,
): BindingInput {
  const planned = planArgs({
    adapter: s.adapter,
    ...(s.exposedPath ? { exposedPath: s.exposedPath } : {}),
    declared: s.declared.filter((d) => !(typeof d.value === 'string' && !d.value.trim().startsWith('$'))),
    withSources,
    consumedParams,
    consumedPath,
  });
  if (!contract) return compileInput(ctx.ajv, planned);
  const fedBy = new Map<string, string>();
  for (const [key, w] of withSources) if (w.kind === 'argument' && !fedBy.has(w.name)) fedBy.set(w.name, key);
  return compileInput(ctx.ajv, applyContract(planned, contract, fedBy));
}

const RISK: Record<HttpMethod, number> = { GET: 0, PUT: 1, PATCH: 2, POST: 3, DELETE: 4 };

/** The method whose MCP defaults describe a plan of several calls: the riskiest one. */
function riskiest(methods: readonly HttpMethod[]): HttpMethod {
  return methods.reduce<HttpMethod>((a, m) => (RISK[m] > RISK[a] ? m : a), 'GET');
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) if (typeof v === 'object') deepFreeze(v);
  }
  return value;
}

export type { Refusal };
