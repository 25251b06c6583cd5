// One full garbage collection when the server goes idle after a busy spell, so that its memory comes back down.
// Under load V8 grows the heap (young generation up to 32 MB, old generation well past what is live) and keeps
// it until its memory reducer happens to run: after a REST load, RSS stayed at ~145 MB past the 30 s mark in some
// runs and fell to ~95 MB in others; with this collection it is ~95 MB every time (issue 14's target: under
// 100 MB 30 s after load). It runs only after 10 s with almost no CPU use, so no caller is waiting; it pauses the
// process for a few tens of ms (more on a loaded machine).

import { fullGc, type Gc } from '../limits/reclaim.js';

export interface IdleGcOptions {
  /** How often the CPU use is sampled. */
  readonly intervalMs: number;
  /** CPU time within one interval below which the process counts as idle. */
  readonly idleCpuMs: number;
  /** CPU time within one interval above which it counts as busy (and a collection is due once idle again). */
  readonly busyCpuMs: number;
  /** Idle intervals in a row before collecting: a pause between two bursts of calls is not the end of a load. */
  readonly idleIntervals: number;
}

export const IDLE_GC: IdleGcOptions = { intervalMs: 5000, idleCpuMs: 25, busyCpuMs: 250, idleIntervals: 2 };

export interface IdleGcState {
  readonly busySinceGc: boolean;
  readonly idleInARow: number;
}

export const IDLE_GC_START: IdleGcState = { busySinceGc: false, idleInARow: 0 };

/** Collect when idle for `idleIntervals` after having been busy since the last collection. */
export function idleGcStep(
  state: IdleGcState,
  cpuMs: number,
  options: IdleGcOptions = IDLE_GC,
): IdleGcState & { collect: boolean } {
  if (cpuMs >= options.busyCpuMs) return { busySinceGc: true, idleInARow: 0, collect: false };
  if (cpuMs >= options.idleCpuMs) return { ...state, idleInARow: 0, collect: false };
  const idleInARow = state.idleInARow + 1;
  if (state.busySinceGc && idleInARow >= options.idleIntervals)
    return { busySinceGc: false, idleInARow, collect: true };
  return { busySinceGc: state.busySinceGc, idleInARow, collect: false };
}

/** Starts the sampling timer (unref'd: it never keeps the process alive); returns its stop. */
export function startIdleGc(options: IdleGcOptions = IDLE_GC): () => void {
  let gc: Gc | undefined | null = null;
  let state: IdleGcState = IDLE_GC_START;
  let last = process.cpuUsage();
  const timer = setInterval(() => {
    const used = process.cpuUsage(last);
    last = process.cpuUsage();
    const step = idleGcStep(state, (used.user + used.system) / 1000, options);
    state = step;
    if (!step.collect) return;
    if (gc === null) gc = fullGc();
    // 'last-resort': V8 collects until nothing more is freed and returns the emptied pages to the system (a
    // plain full collection keeps them pooled for reuse, and RSS stays where the load left it).
    gc?.({ type: 'major', flavor: 'last-resort' });
    // The collection's own CPU is not the callers'.
    last = process.cpuUsage();
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
