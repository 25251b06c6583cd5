// The one pipeline every adapter calls: validate → run the binding's plan → outcome.
// Protocol-neutral: it knows bindings and the consumer, not fastify or MCP.

import type { Binding, ValidationIssue } from './binding/table.js';
import type { Consumer } from './consume/http.js';
import { RuntimeError } from './errors.js';
import type { InvokeContext, InvokeOutcome } from './invoke-types.js';
import { createPlanRunner } from './run-plan.js';

export type { InvokeContext, InvokeOutcome } from './invoke-types.js';
export type Invoke = (binding: Binding, raw: Record<string, unknown>, ctx: InvokeContext) => Promise<InvokeOutcome>;

export function createInvoke(consumer: Consumer, vars: Readonly<Record<string, string>>): Invoke {
  const run = createPlanRunner(consumer, vars);
  return async (binding, raw, ctx) => {
    const checked = binding.input.validate(raw);
    if (!checked.ok) throw inputError(checked.issues);
    // The parameter map of this call: its own copy, so `with` and step outputs never leak between calls.
    return run(binding.plan, { ...checked.value }, ctx);
  };
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
