// The one pipeline every adapter calls: validate → build → send → project.
// Protocol-neutral: it knows bindings and the consumer, not fastify or MCP.

import type { Binding, ValidationIssue } from './binding/table.js';
import type { Consumer } from './consume/http.js';
import { RuntimeError } from './errors.js';
import type { InvokeContext, InvokeOutcome } from './invoke-types.js';

export type { InvokeContext, InvokeOutcome } from './invoke-types.js';
export type Invoke = (binding: Binding, raw: Record<string, unknown>, ctx: InvokeContext) => Promise<InvokeOutcome>;

/** Upstream headers worth passing on; hop-by-hop and auth headers never are. */
const PASS_HEADERS = ['total-number', 'link', 'retry-after', 'etag'] as const;

export function createInvoke(consumer: Consumer, vars: Readonly<Record<string, string>>): Invoke {
  return async (binding, raw, ctx) => {
    const checked = binding.input.validate(raw);
    if (!checked.ok) throw inputError(checked.issues);
    const built = binding.request.build(checked.value, vars);
    const res = await consumer.send(binding.request.upstream, binding.request.method, built, {
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      requestId: ctx.requestId,
      idempotent: binding.idempotent,
    });
    const headers: Record<string, string> = {};
    for (const name of PASS_HEADERS) {
      const v = res.headers[name];
      if (v !== undefined) headers[name] = v;
    }
    // Projection applies to successes; an upstream error body (Logto's {code, message}) passes intact.
    const ok = res.status >= 200 && res.status < 300;
    const body = ok && res.body !== undefined ? binding.output(res.body) : res.body;
    return { status: res.status, headers, body };
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
