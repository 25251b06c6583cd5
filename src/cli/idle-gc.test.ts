import { describe, expect, it } from 'vitest';
import { fullGc } from '../limits/reclaim.js';
import { IDLE_GC, IDLE_GC_START, idleGcStep, type IdleGcState } from './idle-gc.js';

describe('idleGcStep', () => {
  const run = (cpu: number[]) => {
    let state: IdleGcState = IDLE_GC_START;
    return cpu.map((cpuMs) => {
      const step = idleGcStep(state, cpuMs);
      state = step;
      return step.collect;
    });
  };

  it('collects once after two idle intervals that follow a busy spell, and not again until the next one', () => {
    expect(run([5, 400, 900, 100, 3, 2, 1, 1, 300, 10, 10])).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
      false,
      false,
      false,
      false,
      true,
    ]);
  });

  it('a short pause between bursts is not the end of a load', () => {
    expect(run([400, 3, 400, 3, 400, 3])).toEqual([false, false, false, false, false, false]);
  });

  it('a moderately used interval neither counts as busy nor as idle', () => {
    expect(run([IDLE_GC.busyCpuMs - 1, 1, 1])).toEqual([false, false, false]);
    expect(run([400, 1, IDLE_GC.idleCpuMs, 1])).toEqual([false, false, false, false]);
  });
});

describe('fullGc', () => {
  it("is V8's collector, and frees what is no longer reachable", async () => {
    const gc = fullGc();
    expect(typeof gc).toBe('function');
    const ref = new WeakRef(Array.from({ length: 200 }, () => new Array<number>(10_000).fill(1)));
    // A WeakRef's target lives at least until the current job ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc?.();
    expect(ref.deref()).toBeUndefined();
  });
});
