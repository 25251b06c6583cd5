// A global budget of upstream response bytes held in memory. Each call draws from it as the bytes of its
// answers arrive and gives them back when it ends; a chunk the budget cannot cover sheds that call
// (NAF_ERR_OVERLOADED) and drops its upstream body, so N concurrent large answers cost at most the budget,
// not N × the per-response limit.

import { AsyncLocalStorage } from 'node:async_hooks';
import { pipeline, Transform, type Readable } from 'node:stream';
import { overloaded } from './gate.js';

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
  readonly #scope = new AsyncLocalStorage<Lease>();

  constructor(readonly limit: number) {}

  get used(): number {
    return this.#used;
  }

  reserve(bytes: number): boolean {
    if (this.#used + bytes > this.limit) return false;
    this.#used += bytes;
    return true;
  }

  free(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
  }

  /** Runs one call with its own lease, released when the call settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const lease = new Lease(this);
    try {
      return await this.#scope.run(lease, fn);
    } finally {
      lease.release();
    }
  }

  /** The running call's lease; outside `run`, a fresh one the caller must release. */
  lease(): { lease: Lease; own: boolean } {
    const current = this.#scope.getStore();
    return current ? { lease: current, own: false } : { lease: new Lease(this), own: true };
  }

  /**
   * The body with every chunk drawn from `lease`; past the budget it fails with NAF_ERR_OVERLOADED and the
   * source is destroyed (its connection dropped), like a body over the per-response limit.
   */
  meter(body: Readable, lease: Lease, upstream: string): Readable {
    const limit = this.limit;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        if (lease.take(chunk.length)) done(null, chunk);
        else
          done(overloaded(`the ${limit}-byte budget for buffered upstream answers is used up, reading '${upstream}'`));
      },
    });
    return pipeline(body, counter, () => {});
  }
}
