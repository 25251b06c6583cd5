// Helpers shared by command option parsers. Each names where a bad value came from (a flag or an environment
// variable) in a one-line UsageError.

import { UsageError } from './io.js';

/** `["a=1", "b=2"]` → `{a: "1", b: "2"}`; the flag name goes into the error. */
export function pairs(values: readonly string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} expects name=value, got '${v}'`);
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

export function port(value: string | undefined, flag: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`${flag} expects a port number (0-65535), got '${value}'`);
  return n;
}

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0)
    throw new UsageError(`${flag} expects a positive whole number, got '${value}'`);
  return n;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Milliseconds: `1500`, `1500ms`, `30s` or `2m`. */
export function duration(value: string | undefined, flag: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  const ms = m ? Math.round(Number(m[1]) * (UNIT_MS[m[2] ?? 'ms'] as number)) : NaN;
  if (!Number.isSafeInteger(ms) || ms <= 0)
    throw new UsageError(`${flag} expects a duration in milliseconds (e.g. 30000, 30s, 2m), got '${value}'`);
  return ms;
}

/** One of a closed set of words. */
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined || value === '') return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join('|')}, got '${value}'`);
}

export function oneFile(positionals: readonly string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`expects exactly one capability file (runtime ${command} <file>)`);
  return positionals[0] as string;
}

/** Collects the UsageErrors of independent checks, so all of them are reported in one go. */
export class Problems {
  readonly list: string[] = [];

  /** The check's result, or undefined after recording its problem. */
  take<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      this.list.push(...err.message.split('\n'));
      return undefined;
    }
  }

  /** Throws every problem recorded so far as one UsageError (one line each). */
  throwIfAny(): void {
    if (this.list.length) throw new UsageError(this.list.join('\n'));
  }
}

/** A setting's value and its name as the user wrote it: the flag when given, else the environment variable. */
export function fromFlagOrEnv(
  values: Readonly<Record<string, unknown>>,
  flag: string,
  env: NodeJS.ProcessEnv,
  envName?: string,
): [string | undefined, string] {
  const given = values[flag];
  if (typeof given === 'string') return [given, `--${flag}`];
  if (envName && env[envName] !== undefined && env[envName] !== '') return [env[envName], envName];
  return [undefined, `--${flag}`];
}
