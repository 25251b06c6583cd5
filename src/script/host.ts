// The main-thread side of the script sandbox: a small pool of worker threads, each running QuickJS (WASM).
// Scripts run off the event loop, so a slow script never stalls REST/MCP traffic or health checks; each call
// is bounded inside the sandbox (CPU time, statements, memory, stack) and, as a last resort, by a watchdog
// here that terminates a worker which does not answer in time and starts a fresh one for the next call.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Failure, HostMessage, WorkerMessage } from './protocol.js';
import { workerSource, type WorkerData } from './worker.js';

export interface RunRequest {
  readonly contextJson: string;
  readonly timeoutMs: number;
  readonly pollBudget: number;
  readonly memoryLimitBytes: number;
  readonly maxResultChars: number;
}

export type RunOutcome =
  | { readonly ok: true; readonly json?: string }
  | { readonly ok: false; readonly failure: Failure; readonly message: string };

/** Time a worker gets beyond the script's own CPU limit (start-up, copying JSON) before it is terminated. */
const WATCHDOG_GRACE_MS = 5_000;
const POOL_SIZE = 2;

const require = createRequire(import.meta.url);
const paths = {
  corePath: require.resolve('quickjs-emscripten-core'),
  variantPath: require.resolve('@jitl/quickjs-wasmfile-release-sync'),
};

interface Job {
  readonly script: number;
  readonly request: RunRequest;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (outcome: RunOutcome) => void;
}

class Slot {
  #worker: Worker | undefined;
  #abort = new Int32Array(new SharedArrayBuffer(4));
  #loaded = new Set<number>();
  #current: { call: number; job: Job; timer: NodeJS.Timeout; onAbort: () => void } | undefined;

  constructor(
    private readonly scripts: ReadonlyMap<number, HostMessage & { type: 'load' }>,
    private readonly memoryLimitBytes: number,
    private readonly done: () => void,
  ) {}

  get idle(): boolean {
    return this.#current === undefined;
  }

  /** Starts the worker ahead of the first call, so that call does not pay for loading the WASM module. */
  warm(): void {
    this.#ensure();
  }

  load(message: HostMessage & { type: 'load' }): void {
    if (!this.#worker) return;
    this.#worker.postMessage(message);
    this.#loaded.add(message.script);
  }

  start(call: number, job: Job): void {
    const worker = this.#ensure();
    const script = this.scripts.get(job.script);
    if (script && !this.#loaded.has(job.script)) this.load(script);
    const onAbort = (): void => {
      Atomics.store(this.#abort, 0, call);
    };
    job.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => this.#kill(call), job.request.timeoutMs + WATCHDOG_GRACE_MS);
    this.#current = { call, job, timer, onAbort };
    worker.postMessage({ type: 'run', call, script: job.script, ...job.request } satisfies HostMessage);
  }

  terminate(): Promise<unknown> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#finish({ ok: false, failure: 'failed', message: 'the script sandbox was shut down' });
    return worker ? worker.terminate() : Promise.resolve();
  }

  #ensure(): Worker {
    if (this.#worker) return this.#worker;
    this.#abort = new Int32Array(new SharedArrayBuffer(4));
    this.#loaded = new Set();
    const data: WorkerData = { ...paths, abort: this.#abort, memoryLimitBytes: this.memoryLimitBytes };
    const worker = new Worker(workerSource(), {
      eval: true,
      workerData: data,
      // The sandbox's own heap lives in WASM memory (bounded by QuickJS); this bounds the JSON copies around it.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
      // QuickJS has no console; should anything print anyway, it must not reach our stdout (MCP stdio).
      stdout: true,
      stderr: true,
    });
    worker.unref();
    worker.on('message', (m: WorkerMessage) => this.#onMessage(worker, m));
    // A crashed worker (e.g. a WASM abort) is replaced on the next call; the call it was running fails.
    const lost = (): void => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#finish({ ok: false, failure: 'failed', message: 'the script sandbox stopped unexpectedly' });
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    this.#worker = worker;
    for (const script of this.scripts.values()) this.load(script);
    return worker;
  }

  #onMessage(worker: Worker, m: WorkerMessage): void {
    if (worker !== this.#worker || m.type === 'ready' || m.call !== this.#current?.call) return;
    this.#finish(
      m.type === 'result'
        ? { ok: true, ...(m.json !== undefined ? { json: m.json } : {}) }
        : { ok: false, failure: m.failure, message: m.message },
    );
  }

  #kill(call: number): void {
    if (this.#current?.call !== call) return;
    const worker = this.#worker;
    this.#worker = undefined;
    const cancelled = this.#current.job.signal?.aborted === true;
    this.#finish(
      cancelled
        ? { ok: false, failure: 'cancelled', message: 'cancelled' }
        : { ok: false, failure: 'timeout', message: 'the sandbox did not answer in time and was restarted' },
    );
    void worker?.terminate();
  }

  #finish(outcome: RunOutcome): void {
    const current = this.#current;
    if (!current) return;
    this.#current = undefined;
    clearTimeout(current.timer);
    current.job.signal?.removeEventListener('abort', current.onAbort);
    current.job.resolve(outcome);
    this.done();
  }
}

/**
 * A pool of workers sharing one memory limit: scripts register once at load, calls queue for the next idle
 * worker. The limit belongs to the pool because it caps each worker's WASM memory when the worker starts.
 */
export class ScriptHost {
  readonly #scripts = new Map<number, HostMessage & { type: 'load' }>();
  readonly #queue: Job[] = [];
  readonly #slots: Slot[];
  #nextScript = 1;
  #nextCall = 1;

  constructor(
    readonly memoryLimitBytes: number,
    size = POOL_SIZE,
  ) {
    this.#slots = Array.from({ length: size }, () => new Slot(this.#scripts, memoryLimitBytes, () => this.#pump()));
  }

  /** Sends the script's files to the workers once; calls then only name it. */
  register(files: ReadonlyArray<{ name: string; source: string }>): number {
    const script = this.#nextScript++;
    const message = { type: 'load', script, files } as const;
    this.#scripts.set(script, message);
    this.#slots[0]?.warm();
    for (const slot of this.#slots) slot.load(message);
    return script;
  }

  run(script: number, request: RunRequest, signal?: AbortSignal): Promise<RunOutcome> {
    if (signal?.aborted) return Promise.resolve({ ok: false, failure: 'cancelled', message: 'cancelled' });
    return new Promise((resolve) => {
      const job: Job = { script, request, signal, resolve };
      this.#queue.push(job);
      signal?.addEventListener(
        'abort',
        () => {
          const i = this.#queue.indexOf(job);
          if (i >= 0) {
            this.#queue.splice(i, 1);
            resolve({ ok: false, failure: 'cancelled', message: 'cancelled' });
          }
        },
        { once: true },
      );
      this.#pump();
    });
  }

  /** Stops every worker; a later call starts fresh ones. */
  async close(): Promise<void> {
    await Promise.all(this.#slots.map((s) => s.terminate()));
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (!slot.idle) continue;
      const job = this.#queue.shift();
      if (!job) return;
      // 0 means "no call" in the shared abort cell; stay within Int32.
      const call = this.#nextCall;
      this.#nextCall = (this.#nextCall % 0x7ffffffe) + 1;
      slot.start(call, job);
    }
  }
}

// One pool per memory limit; a capability has one scripting block, so a process normally has one pool.
const pools = new Map<number, ScriptHost>();

export function scriptHost(memoryLimitBytes: number): ScriptHost {
  let pool = pools.get(memoryLimitBytes);
  if (!pool) {
    pool = new ScriptHost(memoryLimitBytes);
    pools.set(memoryLimitBytes, pool);
  }
  return pool;
}

/** Stops every sandbox worker (tests, shutdown); a later call starts fresh ones. */
export async function closeScriptHosts(): Promise<void> {
  await Promise.all([...pools.values()].map((p) => p.close()));
}
