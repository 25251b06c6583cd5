// A global budget of upstream response bytes held in memory. Each call draws from it as the bytes of its
// answers arrive and gives them back when it ends; a chunk the budget cannot cover sheds that call
// (NAF_ERR_OVERLOADED) and drops its upstream body, so N concurrent large answers cost at most the budget,
// not N × the per-response limit.

import { AsyncLocalStorage } from 'node:async_hooks';
import { pipeline, Readable, Transform } from 'node:stream';
import { overloaded } from './gate.js';
import { reclaimWhenIdle } from './reclaim.js';
import { currentResponse } from './server.js';

/** A burst that held this much (or half the budget) is followed by a collection once it is empty (reclaim.ts). */
const RECLAIM_AFTER_BYTES = 32 * 1024 * 1024;

export class Lease {
  #held = 0;
  #closed = false;

  constructor(readonly budget: ByteBudget) {}

  get held(): number {
    return this.#held;
  }

  /** False when the budget cannot cover `bytes` (nothing is taken then). */
  take(bytes: number): boolean {
    if (!this.budget.reserve(bytes)) return false;
    if (this.#closed) {
      // A straggling chunk after the call ended: give it straight back.
      this.budget.free(bytes);
      return true;
    }
    this.#held += bytes;
    return true;
  }

  release(): void {
    this.#closed = true;
    this.budget.free(this.#held);
    this.#held = 0;
  }
}

export class ByteBudget {
  #used = 0;
  /** The most held since the budget was last empty: a burst worth reclaiming after. */
  #highWater = 0;
  readonly #scope = new AsyncLocalStorage<Lease>();

  constructor(readonly limit: number) {}

  get used(): number {
    return this.#used;
  }

  reserve(bytes: number): boolean {
    if (this.#used + bytes > this.limit) return false;
    this.#used += bytes;
    this.#highWater = Math.max(this.#highWater, this.#used);
    return true;
  }

  free(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
    if (this.#used > 0 || this.#highWater < Math.min(RECLAIM_AFTER_BYTES, this.limit / 2)) return;
    this.#highWater = 0;
    reclaimWhenIdle(() => this.#used > 0);
  }

  /** Runs one call with its own lease, released once its HTTP answer is out (or when it settles, elsewhere). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const lease = new Lease(this);
    try {
      return await this.#scope.run(lease, fn);
    } finally {
      const res = currentResponse();
      if (res && !res.destroyed && !res.writableFinished) res.once('close', () => lease.release());
      else lease.release();
    }
  }

  /** The running call's lease; outside `run`, a fresh one the caller must release. */
  lease(): { lease: Lease; own: boolean } {
    const current = this.#scope.getStore();
    return current ? { lease: current, own: false } : { lease: new Lease(this), own: true };
  }

  /**
   * The body with its bytes drawn from `lease`: a declared length all at once, before any byte is read (so
   * concurrent large answers are admitted whole or shed at once, never all starved halfway), else chunk by
   * chunk. Past the budget it fails with NAF_ERR_OVERLOADED and the source is destroyed (its connection
   * dropped), like a body over the per-response limit.
   */
  meter(
    res: { readonly headers: Record<string, unknown>; readonly body: Readable },
    lease: Lease,
    upstream: string,
    max: number,
  ): Readable {
    const refusal = () =>
      overloaded(`the ${this.limit}-byte budget for buffered upstream answers is used up, reading '${upstream}'`);
    const declared = Number(res.headers['content-length']);
    // Over the per-response limit: the reader refuses it as too large before reading a byte.
    if (declared > max) return res.body;
    const whole = Number.isSafeInteger(declared) && declared >= 0;
    if (whole && !lease.take(declared)) {
      res.body.destroy();
      const failed = new Readable({ read() {} });
      failed.destroy(refusal());
      return failed;
    }
    if (whole) return res.body;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        if (lease.take(chunk.length)) done(null, chunk);
        else done(refusal());
      },
    });
    return pipeline(res.body, counter, () => {});
  }
}
