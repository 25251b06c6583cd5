// Bounded concurrency with shedding: a fixed number of slots and a bounded FIFO of waiters. A call past the
// queue is refused at once; a queued one is refused when its wait passes the queue timeout. Nothing waits
// unboundedly, so a hung upstream costs at most `limit + queue` pending calls, never memory without end.

import { RuntimeError } from '../errors.js';
import type { Limits } from './settings.js';

/** Frees the slot; a second call does nothing. */
export type Release = () => void;

interface Waiter {
  readonly grant: (release: Release) => void;
  /** Granted, timed out or abandoned: skipped by the queue. */
  done: boolean;
}

export class Slots {
  #busy = 0;
  #waiting: Waiter[] = [];
  #head = 0;

  constructor(
    readonly name: string,
    readonly limit: number,
    readonly queue: number,
    readonly queueTimeoutMs: number,
  ) {}

  get busy(): number {
    return this.#busy;
  }

  get queued(): number {
    return this.#waiting.length - this.#head;
  }

  /** A slot now, a slot after a bounded wait, or NAF_ERR_OVERLOADED. */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (this.#busy < this.limit && this.queued === 0) return Promise.resolve(this.#take());
    if (this.queued >= this.queue)
      return Promise.reject(overloaded(`${this.name}: ${this.limit} calls running and ${this.queue} waiting`));
    if (signal?.aborted) return Promise.reject(cancelled());
    return new Promise<Release>((grant, fail) => {
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        done: false,
        grant: (release) => {
          cleanup();
          grant(release);
        },
      };
      const giveUp = (err: unknown) => {
        if (waiter.done) return;
        waiter.done = true;
        cleanup();
        fail(err);
        this.#compact();
      };
      const timer = setTimeout(
        () => giveUp(overloaded(`${this.name}: no slot within ${this.queueTimeoutMs} ms`)),
        this.queueTimeoutMs,
      );
      timer.unref();
      const onAbort = () => giveUp(cancelled());
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  #take(): Release {
    this.#busy++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#busy--;
      this.#next();
    };
  }

  #next(): void {
    while (this.#busy < this.limit && this.#head < this.#waiting.length) {
      const w = this.#waiting[this.#head++] as Waiter;
      if (w.done) continue;
      w.done = true;
      w.grant(this.#take());
    }
    this.#compact();
  }

  /** Drops granted and abandoned waiters from the front, so the array does not grow under churn. */
  #compact(): void {
    while (this.#head < this.#waiting.length && (this.#waiting[this.#head] as Waiter).done) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#head);
      this.#head = 0;
    }
  }
}

/** The runtime's two levels: every call, and every upstream exchange per consumed namespace. */
export class Gate {
  readonly calls: Slots;
  readonly #upstreams = new Map<string, Slots>();
  readonly #limits: Limits;

  constructor(limits: Limits) {
    this.#limits = limits;
    this.calls = new Slots('calls in flight', limits.maxInflight, limits.maxQueue, limits.queueTimeoutMs);
  }

  call(signal?: AbortSignal): Promise<Release> {
    return this.calls.acquire(signal);
  }

  upstream(namespace: string, signal?: AbortSignal): Promise<Release> {
    let slots = this.#upstreams.get(namespace);
    if (!slots) {
      const l = this.#limits;
      slots = new Slots(`upstream '${namespace}'`, l.maxInflightPerUpstream, l.maxQueue, l.queueTimeoutMs);
      this.#upstreams.set(namespace, slots);
    }
    return slots.acquire(signal);
  }
}

/** Seconds a shed caller is told to wait before trying again. */
export const RETRY_AFTER_SECONDS = '1';

export function overloaded(what: string): RuntimeError {
  return new RuntimeError('NAF_ERR_OVERLOADED', `The runtime is at capacity (${what}); try again shortly`, {
    retryAfter: RETRY_AFTER_SECONDS,
  });
}

function cancelled(): RuntimeError {
  return new RuntimeError('NAF_ERR_CANCELLED', 'The caller cancelled the call while it waited for a slot');
}
