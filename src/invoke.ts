// The one pipeline every adapter calls: validate → run the binding's plan → outcome.
// Protocol-neutral: it knows bindings and the consumer, not fastify or MCP.

import type { Binding, ValidationIssue } from './binding/table.js';
import type { Consumer } from './consume/http.js';
import { RuntimeError } from './errors.js';
import type { InvokeContext, InvokeOutcome } from './invoke-types.js';
import type { ByteBudget } from './limits/budget.js';
import type { Gate } from './limits/gate.js';
import { createPlanRunner } from './run-plan.js';

export type { InvokeContext, InvokeOutcome } from './invoke-types.js';
export type Invoke = (binding: Binding, raw: Record<string, unknown>, ctx: InvokeContext) => Promise<InvokeOutcome>;

export function createInvoke(
  consumer: Consumer,
  vars: Readonly<Record<string, string>>,
  limits: { readonly gate?: Gate; readonly budget?: ByteBudget } = consumer.limits,
): Invoke {
  const run = createPlanRunner(consumer, vars);
  const { gate, budget } = limits;
  const invoke: Invoke = async (binding, raw, ctx) => {
    const checked = binding.input.validate(raw);
    if (!checked.ok) throw inputError(checked.issues);
    // The parameter map of this call: its own copy, so `with` and step outputs never leak between calls.
    const call = () => run(binding.plan, { ...checked.value }, ctx);
    // A mock calls no upstream and holds nothing: it needs no slot.
    if (binding.plan.kind === 'mock' || !gate) return budget ? budget.run(call) : call();
    // Every call takes a slot, however it arrived (one of a JSON-RPC batch counts as one): a hung upstream
    // queues at most the gate's queue and sheds the rest at once (NAF_ERR_OVERLOADED, 503 / tool error).
    const release = await gate.call(ctx.signal);
    try {
      return await (budget ? budget.run(call) : call());
    } finally {
      release();
    }
  };
  // One span per call when OpenTelemetry is on; the bare pipeline otherwise (no cost).
  return consumer.tracer ? consumer.tracer.wrap(invoke) : invoke;
}

export function inputError(issues: readonly ValidationIssue[]): RuntimeError {
  const first = issues[0];
  const missing = issues.length === 1 && first?.message === 'is required';
  const text = issues.map((i) => (i.argument ? `'${i.argument}' ${i.message}` : i.message)).join('; ');
  return new RuntimeError(
    missing ? 'NAF_ERR_MISSING_ARGUMENT' : 'NAF_ERR_INVALID_ARGUMENT',
    `Invalid arguments: ${text}`,
    {
      ...(first?.argument ? { argument: first.argument } : {}),
      issues,
    },
  );
}
