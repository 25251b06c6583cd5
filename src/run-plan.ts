// Executes a binding's compiled plan: one call, ordered steps, or a mock. Every upstream request goes through
// the one consumer (timeouts, credentials, retries only when idempotent, the caller's AbortSignal).

import { isIdentity } from './binding/output.js';
import { lookupIn } from './binding/steps.js';
import type { CallStep, Params, Plan, Step } from './binding/table.js';
import type { Consumer, UpstreamResponse } from './consume/http.js';
import { isRuntimeError, RuntimeError } from './errors.js';
import type { InvokeContext, InvokeOutcome } from './invoke-types.js';

/** Upstream headers worth passing on; hop-by-hop and auth headers never are. */
const PASS_HEADERS = ['total-number', 'link', 'retry-after', 'etag'] as const;

type Vars = Readonly<Record<string, string>>;

export function createPlanRunner(consumer: Consumer, vars: Vars) {
  const send = (step: CallStep, params: Readonly<Params>, ctx: InvokeContext): Promise<UpstreamResponse> => {
    const built = step.request.build(params, vars);
    return consumer.send(step.request.upstream, step.request.method, built, {
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      requestId: ctx.requestId,
      idempotent: step.idempotent,
      ...(step.decode ? { decode: step.decode } : {}),
    });
  };

  const runSteps = async (plan: Extract<Plan, { kind: 'steps' }>, params: Params, ctx: InvokeContext) => {
    const outputs: Params = {};
    let last: UpstreamResponse | undefined;
    let lastOutput: unknown;
    for (const step of plan.steps) {
      if (ctx.signal?.aborted) throw new RuntimeError('NAF_ERR_CANCELLED', 'The caller went away');
      const out = await runStep(step, params, outputs, ctx);
      if (step.kind === 'call') last = out.response;
      // A step with no result (an unmatched lookup, a script that set nothing) leaves nothing to read.
      if (out.value === undefined || out.value === null) continue;
      outputs[step.name] = out.value;
      params[step.name] = out.value;
      lastOutput = out.value;
    }
    const mapped = plan.mappings?.(outputs);
    if (mapped !== undefined)
      return { status: 200, headers: {}, body: mapped, ...(last ? { upstreamStatus: last.status } : {}) };
    if (last) return outcome(last, plan.output);
    return {
      status: lastOutput === undefined ? 204 : 200,
      headers: {},
      body: lastOutput === undefined ? undefined : plan.output(lastOutput),
    };
  };

  const runStep = async (
    step: Step,
    params: Params,
    outputs: Readonly<Params>,
    ctx: InvokeContext,
  ): Promise<{ value: unknown; response?: UpstreamResponse }> => {
    switch (step.kind) {
      case 'call': {
        const own = { ...params };
        step.with(own, vars);
        const res = await named(step, () => send(step, own, ctx));
        ctx.log.debug({ step: step.name, call: step.call, upstreamStatus: res.status }, 'step done');
        if (res.status >= 400) throw stepFailed(step, res);
        return { value: res.body === undefined ? undefined : step.stepOutput(res.body), response: res };
      }
      case 'lookup': {
        const table = outputs[step.index];
        const wanted = step.lookupValue(outputs, params);
        if (table === undefined || wanted === undefined || wanted === null) return { value: undefined };
        if (!Array.isArray(wanted)) return { value: lookupIn(table, step.match, wanted, step.fields) };
        const found = wanted.map((v) => lookupIn(table, step.match, v, step.fields)).filter((v) => v !== undefined);
        return { value: found.length ? found : undefined };
      }
      case 'script': {
        const own = { ...params };
        step.with(own, vars);
        return { value: await named(step, () => step.run(own, ctx.signal)) };
      }
    }
  };

  return async (plan: Plan, params: Params, ctx: InvokeContext): Promise<InvokeOutcome> => {
    plan.with(params, vars);
    switch (plan.kind) {
      case 'mock': {
        const body = plan.render(params);
        return { status: body === undefined ? 204 : 200, headers: {}, body };
      }
      case 'call': {
        const res = await send(plan.step, params, ctx);
        if (refusedCredentials(res.status)) throw credentialsRefused(plan.step, res);
        return outcome(res, plan.output);
      }
      case 'steps':
        return runSteps(plan, params, ctx);
    }
  };
}

function outcome(res: UpstreamResponse, project: (body: unknown) => unknown): InvokeOutcome {
  const headers: Record<string, string> = {};
  for (const name of PASS_HEADERS) {
    const v = res.headers[name];
    if (v !== undefined) headers[name] = v;
  }
  // Projection applies to successes; an upstream error body (Logto's {code, message}) passes intact.
  const ok = res.status >= 200 && res.status < 300;
  // The identity of a body kept as bytes: the bytes go on, parsed only if an adapter reads `body`.
  if (ok && res.json && isIdentity(project)) {
    const { status, json } = res;
    return {
      status,
      headers,
      json,
      upstreamStatus: status,
      get body() {
        return res.body;
      },
    };
  }
  const body = ok && res.body !== undefined ? project(res.body) : res.body;
  return { status: res.status, headers, body, upstreamStatus: res.status };
}

/** A runtime error inside a step says which step it was. */
async function named<T>(step: Step, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!isRuntimeError(err) || err.code === 'NAF_ERR_CANCELLED') throw err;
    throw new RuntimeError(
      err.code,
      `Step '${step.name}': ${err.message}`,
      { ...err.details, step: step.name },
      { cause: err },
    );
  }
}

/** 401/403 from an upstream: only the runtime's own credentials go there, never the caller's. */
function refusedCredentials(status: number): boolean {
  return status === 401 || status === 403;
}

/**
 * Passed through, an upstream 401/403 would read as the caller's credentials being wrong (REST) or leave a
 * model retrying with other arguments (MCP): say whose credentials were refused, and keep what the upstream said.
 */
function credentialsRefused(step: CallStep, res: UpstreamResponse): RuntimeError {
  const ns = step.request.upstream;
  const said = upstreamSaid(res.body);
  const what =
    res.status === 401
      ? `it refused the runtime's own credentials for '${ns}' (missing, wrong or expired)`
      : `the runtime's own credentials for '${ns}' lack the permission for this operation`;
  return new RuntimeError(
    'NAF_ERR_UPSTREAM_CREDENTIALS_REFUSED',
    `Upstream '${ns}' answered HTTP ${res.status}${said ? ` (${said})` : ''}: ${what}. The fault is in the runtime's upstream configuration, not in the caller's credentials or arguments; retrying will not help until an operator fixes it`,
    { upstreamStatus: res.status },
  );
}

function upstreamSaid(body: unknown): string {
  const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  return [b['code'], b['message']].filter((x) => typeof x === 'string' || typeof x === 'number').join(' — ');
}

/**
 * An upstream error inside an orchestration ends the call: the caller learns the step, its operation and what
 * the upstream said. A 4xx the caller could have caused keeps its status; 401/403 (our credentials) and 5xx are 502.
 */
function stepFailed(step: CallStep, res: UpstreamResponse): RuntimeError {
  const said = upstreamSaid(res.body);
  const whose = refusedCredentials(res.status)
    ? " (the runtime's own credentials for it were refused, not the caller's)"
    : '';
  const status = res.status >= 500 || res.status === 401 || res.status === 403 || res.status === 407 ? 502 : res.status;
  return new RuntimeError(
    'NAF_ERR_STEP_FAILED',
    `Step '${step.name}' (${step.call}) failed: upstream answered HTTP ${res.status}${said ? `: ${said}` : ''}${whose}`,
    {
      step: step.name,
      upstreamStatus: res.status,
      status,
      ...(res.headers['retry-after'] ? { retryAfter: res.headers['retry-after'] } : {}),
    },
  );
}
