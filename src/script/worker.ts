// The code a sandbox worker thread runs. It is shipped to the worker as text (`workerSource()`), so the same
// code runs from `src/` under vitest and from `dist/` in production without a loader: `sandboxWorker` must not
// use anything from this module's scope — only its parameters (type imports are erased, so they are fine).
//
// Inside, each call gets a fresh QuickJS runtime and context (nothing survives from one call to the next), with
// a memory limit, a stack limit, and an interrupt handler that ends the script when its CPU time or statement
// budget runs out or the caller cancels. QuickJS has no I/O, no modules loader, no timers: a script sees the
// ECMAScript built-ins, `context`, and nothing of the host.

import type { QuickJSContext, QuickJSHandle, QuickJSWASMModule } from 'quickjs-emscripten-core';
import type { Failure, HostMessage, RunMessage, WorkerMessage } from './protocol.js';

export interface WorkerData {
  readonly corePath: string;
  readonly variantPath: string;
  /** One Int32 cell: the number of the call the host wants cancelled. */
  readonly abort: Int32Array;
  /** What one call may allocate; also caps the worker's WASM memory (see below). */
  readonly memoryLimitBytes: number;
}

interface Port {
  postMessage(message: WorkerMessage): void;
  on(event: 'message', listener: (message: HostMessage) => void): void;
}

type Require = (id: string) => unknown;

export function sandboxWorker(require: Require, data: WorkerData, port: Port): void {
  const STACK_BYTES = 512 * 1024;
  const scripts = new Map<number, ReadonlyArray<{ name: string; source: string }>>();
  const PAGE = 64 * 1024;
  const INITIAL_BYTES = 16 * 1024 * 1024; // the variant's own initial memory
  const core = require(data.corePath) as {
    newQuickJSWASMModuleFromVariant(v: unknown): Promise<QuickJSWASMModule>;
    newVariant(v: unknown, options: { wasmMemory: unknown }): unknown;
  };
  // ES2023's lib has no WebAssembly types; this is the one constructor used.
  const Wasm = (
    globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => unknown } }
  ).WebAssembly;
  const variant = (require(data.variantPath) as { default: unknown }).default;
  // QuickJS's own malloc limit undercounts in this build (no malloc_usable_size: many small or regrown blocks
  // pass it), so the WASM memory itself gets a maximum: past it malloc fails and QuickJS throws 'out of memory'.
  const wasmMemory = new Wasm.Memory({
    initial: INITIAL_BYTES / PAGE,
    maximum: Math.ceil((INITIAL_BYTES + data.memoryLimitBytes) / PAGE),
  });
  const ready = core.newQuickJSWASMModuleFromVariant(core.newVariant(variant, { wasmMemory }));
  let queue = Promise.resolve();

  port.on('message', (message) => {
    if (message.type === 'load') {
      scripts.set(message.script, message.files);
      return;
    }
    // One call at a time, in arrival order; the engine's module is loaded once per worker.
    queue = queue.then(async () => {
      const quickjs = await ready;
      try {
        port.postMessage(run(quickjs, message));
      } catch {
        // The WASM instance itself failed (not the script): answer, then end so the host starts a fresh worker.
        port.postMessage({ type: 'error', call: message.call, failure: 'failed', message: 'the sandbox failed' });
        process.exit(1);
      }
    });
  });
  void ready.then(() => port.postMessage({ type: 'ready' }));

  function run(quickjs: QuickJSWASMModule, m: RunMessage): WorkerMessage {
    const files = scripts.get(m.script);
    if (!files) return { type: 'error', call: m.call, failure: 'failed', message: 'script not loaded' };
    const runtime = quickjs.newRuntime();
    runtime.setMemoryLimit(m.memoryLimitBytes);
    runtime.setMaxStackSize(STACK_BYTES);
    const deadline = Date.now() + m.timeoutMs;
    let polls = 0;
    // Why the interrupt handler stopped the script, if it did: the error QuickJS raises only says 'interrupted'.
    const state: { stop?: Failure } = {};
    runtime.setInterruptHandler(() => {
      polls += 1;
      if (Atomics.load(data.abort, 0) === m.call) state.stop = 'cancelled';
      else if (Date.now() > deadline) state.stop = 'timeout';
      else if (polls > m.pollBudget) state.stop = 'statements';
      return state.stop !== undefined;
    });
    const ctx = runtime.newContext();
    try {
      const input = ctx.newString(m.contextJson);
      ctx.setProp(ctx.global, '__naftikoContext', input);
      input.dispose();
      const setup = evaluate(
        ctx,
        'var context = JSON.parse(__naftikoContext); delete globalThis.__naftikoContext;',
        'context',
      );
      if (setup) return failure(m.call, setup, state.stop);
      for (const file of files) {
        const problem = evaluate(ctx, file.source, file.name);
        if (problem) return failure(m.call, problem, state.stop);
      }
      // `result` may be a global var, an implicit global or a top-level let/const: read it by name.
      const read = ctx.evalCode(
        "typeof result === 'undefined' ? undefined : (JSON.stringify(result) ?? 'null')",
        'result',
      );
      if (read.error) return failure(m.call, describe(ctx, read.error, 'result'), state.stop);
      const json = read.value;
      try {
        if (ctx.typeof(json) !== 'string') return { type: 'result', call: m.call };
        // Measure inside the sandbox first, so an oversized result is never copied out.
        const length = ctx.getProp(json, 'length');
        const chars = ctx.getNumber(length);
        length.dispose();
        if (chars > m.maxResultChars)
          return {
            type: 'error',
            call: m.call,
            failure: 'result_size',
            message: `returned ${chars} characters of JSON, over the limit of ${m.maxResultChars}`,
          };
        return { type: 'result', call: m.call, json: ctx.getString(json) };
      } finally {
        json.dispose();
      }
    } finally {
      ctx.dispose();
      runtime.dispose();
    }
  }

  /** Evaluates one file in the shared global scope; a problem is described, never thrown. */
  function evaluate(ctx: QuickJSContext, source: string, name: string): string | undefined {
    const result = ctx.evalCode(source, name, { type: 'global' });
    if (result.error) return describe(ctx, result.error, name);
    result.value.dispose();
    return undefined;
  }

  /** `TypeError: x is not a function (at filter.js:3:7)` — the script's own first frame, never ours. */
  function describe(ctx: QuickJSContext, error: QuickJSHandle, name: string): string {
    let value: unknown;
    try {
      value = ctx.dump(error);
    } catch {
      value = undefined;
    } finally {
      error.dispose();
    }
    if (typeof value !== 'object' || value === null) return `threw ${JSON.stringify(value) ?? String(value)}`;
    const e = value as { name?: unknown; message?: unknown; stack?: unknown };
    const head = `${typeof e.name === 'string' ? e.name : 'Error'}: ${typeof e.message === 'string' ? e.message : ''}`;
    const frame = typeof e.stack === 'string' ? /\(([^()]+:\d+(?::\d+)?)\)/.exec(e.stack)?.[1] : undefined;
    return frame ? `${head} (at ${frame})` : `${head} (in ${name})`;
  }

  function failure(call: number, message: string, stop: Failure | undefined): WorkerMessage {
    if (stop) return { type: 'error', call, failure: stop, message };
    if (/^InternalError: out of memory/.test(message)) return { type: 'error', call, failure: 'memory', message };
    if (/^InternalError: stack overflow/.test(message)) return { type: 'error', call, failure: 'stack', message };
    return { type: 'error', call, failure: 'failed', message };
  }
}

/** The text a worker evaluates: the function above, called with the worker's own require, data and port. */
export function workerSource(): string {
  return `const { workerData, parentPort } = require('node:worker_threads');\n(${sandboxWorker.toString()})(require, workerData, parentPort);\n`;
}
