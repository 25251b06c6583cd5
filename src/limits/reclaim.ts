// Gives memory back after a burst of large answers. V8 collects garbage when something allocates; once the
// load stops nothing does, so the hundreds of MiB the burst left as garbage would stay resident until the next
// traffic. When the byte budget has been busy and then stays empty for a moment, one full collection runs.
// Node exposes no collector call without `--expose-gc`; the flag can be set at run time and `gc` read from a
// fresh context (the documented V8 behaviour of the flag), which costs nothing until used.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's collector as `--expose-gc` installs it; `last-resort` also returns the emptied pages to the system. */
export type Gc = (options?: { type?: 'major' | 'minor'; flavor?: 'regular' | 'last-resort' }) => void;

let collect: Gc | null | undefined;

/** `gc` when node runs with --expose-gc, else the one a fresh context gets once the flag is set; null: none. */
export function fullGc(): Gc | undefined {
  if (collect === undefined) {
    const own = (globalThis as { gc?: unknown }).gc;
    try {
      if (typeof own === 'function') collect = own as Gc;
      else {
        setFlagsFromString('--expose-gc');
        const gc = runInNewContext('gc') as unknown;
        collect = typeof gc === 'function' ? (gc as Gc) : null;
      }
    } catch {
      collect = null;
    }
  }
  return collect ?? undefined;
}

/** Schedules one full collection `delayMs` from now, unless `busy()` says load came back meanwhile. */
export function reclaimWhenIdle(busy: () => boolean, delayMs = 1000): void {
  const timer = setTimeout(() => {
    if (!busy()) fullGc()?.();
  }, delayMs);
  timer.unref();
}
