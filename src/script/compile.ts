// `type: script` steps: compiled once at load (files read and checked, sources sent to the sandbox workers),
// then run per call with a JSON copy of the step context. What a script sees and returns is in docs/scripts.md.

import { RuntimeError } from '../errors.js';
import { compileTemplate, lookup, soleTag, type Context } from '../binding/template.js';
import { scriptHost, type RunOutcome } from './host.js';
import { resolveScript, type Refused, type ResolveOptions } from './resolve.js';
import type { ScriptingSettings } from './settings.js';

export type { Refused } from './resolve.js';
export { scriptingSettings, type ScriptingSettings } from './settings.js';
export { closeScriptHosts } from './host.js';

export interface CompiledScript {
  /** The step's `name`: a plan stores a defined result under it. */
  readonly step: string;
  /** The main file, as the step wrote it. */
  readonly file: string;
  readonly language: 'javascript';
  /**
   * Runs the script with `context` (plus the step's own `with` values) as its `context` global. Resolves to the
   * value the script left in `result` (a fresh JSON value), or `undefined` when it assigned none.
   */
  run(context: Context, signal?: AbortSignal): Promise<unknown>;
}

/** QuickJS polls its interrupt handler about once per 10 000 branches and calls. */
const TICKS_PER_POLL = 10_000;

export function compileScript(step: unknown, options: ResolveOptions): CompiledScript | Refused {
  const resolved = resolveScript(step, options);
  if ('refused' in resolved) return resolved;
  const { settings } = options;
  const host = scriptHost(settings.memoryLimitBytes);
  const script = host.register(resolved.files);
  const withValues = compileWith(resolved.with);
  const label = `Script step '${resolved.step}' (${resolved.main})`;
  const request = {
    timeoutMs: settings.timeoutMs,
    pollBudget: Math.max(1, Math.ceil(settings.statementLimit / TICKS_PER_POLL)),
    memoryLimitBytes: settings.memoryLimitBytes,
    maxResultChars: settings.maxResultChars,
  };

  return {
    step: resolved.step,
    file: resolved.main,
    language: 'javascript',
    async run(context, signal) {
      let contextJson: string;
      try {
        contextJson = JSON.stringify(withValues(context));
      } catch (err) {
        throw new RuntimeError(
          'NAF_ERR_SCRIPT_FAILED',
          `${label} failed: its context is not JSON (${(err as Error).message})`,
        );
      }
      const outcome = await host.run(script, { contextJson, ...request }, signal);
      if (outcome.ok) return outcome.json === undefined ? undefined : (JSON.parse(outcome.json) as unknown);
      throw failureError(label, outcome, settings);
    },
  };
}

/** The step's `with` over the context: a lone `{{x}}` keeps its JSON type, other strings are templates. */
function compileWith(values: Readonly<Record<string, unknown>> | undefined): (ctx: Context) => Context {
  if (!values) return (ctx) => ctx;
  const entries = Object.entries(values).map(([key, value]): [string, (ctx: Context) => unknown] => {
    if (typeof value !== 'string') return [key, () => value];
    const sole = soleTag(value);
    if (sole) return [key, (ctx) => lookup(ctx, sole)];
    const render = compileTemplate(value);
    return [key, (ctx) => render(ctx)];
  });
  return (ctx) => {
    const out: Record<string, unknown> = { ...ctx };
    for (const [key, value] of entries) out[key] = value(out);
    return out;
  };
}

function failureError(label: string, outcome: RunOutcome & { ok: false }, settings: ScriptingSettings): RuntimeError {
  switch (outcome.failure) {
    case 'cancelled':
      return new RuntimeError('NAF_ERR_CANCELLED', `${label} was cancelled: the caller went away`);
    case 'timeout':
      return new RuntimeError('NAF_ERR_SCRIPT_LIMIT', `${label} exceeded its time limit (${settings.timeoutMs} ms)`);
    case 'statements':
      return new RuntimeError(
        'NAF_ERR_SCRIPT_LIMIT',
        `${label} exceeded the statement limit (${settings.statementLimit})`,
      );
    case 'memory':
      return new RuntimeError(
        'NAF_ERR_SCRIPT_LIMIT',
        `${label} exceeded its memory limit (${Math.round(settings.memoryLimitBytes / 1024 / 1024)} MiB)`,
      );
    case 'stack':
      return new RuntimeError('NAF_ERR_SCRIPT_LIMIT', `${label} exceeded the stack limit: ${outcome.message}`);
    case 'result_size':
      return new RuntimeError('NAF_ERR_SCRIPT_LIMIT', `${label} ${outcome.message}`);
    case 'failed':
      return new RuntimeError('NAF_ERR_SCRIPT_FAILED', `${label} failed: ${outcome.message}`);
  }
}
