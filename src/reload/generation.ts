// A generation: one compiled table and everything built from it (consumer, adapter apps). A reload builds
// the next one beside the running one, swaps it in, and retires the old one once its calls are done.

import type { Logger } from 'pino';
import type { CompiledTable } from '../binding/compile.js';
import { ConfigError } from '../config.js';
import type { Consumer } from '../consume/http.js';
import type { FastifyInstance } from '../expose/http-app.js';
import type { Secrets } from '../secrets.js';
import { formatDiagnostic, SpecError } from '../spec/diagnostics.js';

export interface Generation<S extends { readonly app: FastifyInstance }> {
  readonly table: CompiledTable;
  readonly consumer: Consumer;
  readonly served: readonly S[];
}

export type ReloadOutcome =
  | {
      readonly ok: true;
      readonly bindings: number;
      readonly added: readonly string[];
      readonly removed: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

/**
 * One reload at a time: a SIGHUP during a reload (or a burst of file events) waits its turn. `idle()` resolves
 * once the queue is empty (a stop waits for a reload in progress, so no generation is built after it).
 */
export function serialize<T>(run: () => Promise<T>): (() => Promise<T>) & { idle(): Promise<void> } {
  let last: Promise<unknown> = Promise.resolve();
  const queued = () => {
    const next = last.then(run, run);
    last = next.catch(() => undefined);
    return next;
  };
  return Object.assign(queued, { idle: () => last.then(() => undefined) });
}

/** Closes a generation that never served (a reload refused after building it). */
export async function discard(gen: Generation<{ readonly app: FastifyInstance }>): Promise<void> {
  await Promise.all(gen.served.map((s) => s.app.close()));
  await gen.consumer.close();
}

/** Waits for the old generation's calls (at most `graceMs`), then closes its apps and upstream pools. */
export async function retire(
  gen: Generation<{ readonly app: FastifyInstance }>,
  drained: readonly Promise<void>[],
  graceMs: number,
  log: Logger,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((done) => {
    timer = setTimeout(() => done(false), graceMs);
    timer.unref();
  });
  const done = await Promise.race([Promise.all(drained).then(() => true), late]);
  clearTimeout(timer);
  if (!done) log.warn({ graceMs }, 'reload: calls on the previous table still running after the grace period');
  await discard(gen);
}

/** Logs why the new file is not served (every diagnostic with file:line:col) and says the old table stays. */
export function refusal(err: unknown, file: string, log: Logger, secrets: Secrets): ReloadOutcome {
  if (err instanceof SpecError) {
    const errors = err.diagnostics.filter((d) => d.severity === 'error');
    for (const d of errors) log.error({ code: d.code, at: `${d.file}:${d.line}:${d.col}` }, formatDiagnostic(d));
    return refused(log, `${file} is not a valid capability (${errors.length} error${errors.length === 1 ? '' : 's'})`);
  }
  if (err instanceof ConfigError) return refused(log, secrets.redact(err.message));
  const e = err as { code?: string; message?: string };
  return refused(log, secrets.redact(`${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`));
}

export function refused(log: Logger, reason: string): ReloadOutcome {
  log.error({ reload: 'refused' }, `reload refused: ${reason}; still serving the previous table`);
  return { ok: false, reason };
}
