// Secret canaries: values a test hands to the runtime as secrets (API keys, client secrets, inbound
// tokens) that must never come back to a caller or reach a log line. Every fetch response and every
// watched text (captured logs, a child's output) is scanned; `test/support/canary-setup.ts` fails the
// test file at its end if a canary was seen. The registry is per test file (vitest isolates files).

import { randomBytes } from 'node:crypto';

const canaries = new Set<string>();
const watched: Array<{ where: string; read: () => string | readonly string[] }> = [];
const leaks = new Set<string>();
const pending = new Set<Promise<void>>();

/** A fresh secret value, registered as a canary: `canary-<label>-<12 hex>`. */
export function canary(label: string): string {
  const value = `canary-${label}-${randomBytes(6).toString('hex')}`;
  canaries.add(value);
  return value;
}

/** Scan `read()` at the end of the file, e.g. a captured log array or a child's stderr. */
export function watch(where: string, read: () => string | readonly string[]): void {
  watched.push({ where, read });
}

export function scan(where: string, text: string): void {
  for (const c of canaries) if (text.includes(c)) leaks.add(`${c} in ${where}`);
}

/** Scan a response's headers and a copy of its body without consuming the caller's. */
export function scanResponse(where: string, res: Response): void {
  if (canaries.size === 0) return;
  scan(`${where} (headers)`, [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n'));
  if (!res.body) return;
  const read = res
    .clone()
    .text()
    .then(
      (text) => scan(where, text),
      () => undefined, // the caller aborted or the stream broke: nothing was delivered to scan
    )
    .finally(() => pending.delete(read));
  pending.add(read);
}

/** Every leak seen in this file, once bodies still being read have been scanned. */
export async function leaksSoFar(): Promise<string[]> {
  await Promise.all([...pending]);
  for (const { where, read } of watched) {
    const value = read();
    scan(where, typeof value === 'string' ? value : value.join('\n'));
  }
  return [...leaks];
}

export function canaryCount(): number {
  return canaries.size;
}
