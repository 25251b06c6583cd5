// Gives memory back after a burst of large answers. V8 collects garbage when something allocates; once the
// load stops nothing does, so the hundreds of MiB the burst left as garbage would stay resident until the next
// traffic. When the byte budget has been busy and then stays empty for a moment, one full collection runs.
// Node exposes no collector call without `--expose-gc`; the flag can be set at run time and `gc` read from a
// fresh context (the documented V8 behaviour of the flag), which costs nothing until used.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  } catch {
    collect = null;
  }
  return collect;
}

/** Schedules one full collection `delayMs` from now, unless `busy()` says load came back meanwhile. */
export function reclaimWhenIdle(busy: () => boolean, delayMs = 1000): void {
  const timer = setTimeout(() => {
    if (!busy()) collector()?.();
  }, delayMs);
  timer.unref();
}
