// Helpers shared by command option parsers.

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
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UsageError(`${flag} expects a port number (0-65535), got '${value}'`);
  return n;
}

export function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} expects a positive whole number, got '${value}'`);
  return n;
}

export function oneFile(positionals: readonly string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`expects exactly one capability file (runtime ${command} <file>)`);
  return positionals[0] as string;
}
