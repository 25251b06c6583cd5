// Script steps end to end through the sandbox: the reference engine's JavaScript scenarios as facts
// (ikanos v1.0.0-alpha2 src/test/java/io/naftiko/engine/scripting/ScriptStepExecutorTest.java, with its scripts
// in test/fixtures/engine/scripts), then what our sandbox adds: limits, no host objects, isolation, recovery.

import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { isRuntimeError, type RuntimeError } from '../errors.js';
import { compileScript, type CompiledScript } from './compile.js';
import { closeScriptHosts } from './host.js';
import { scriptingSettings, type ScriptingSettings } from './settings.js';

const ENGINE = fileURLToPath(new URL('../../test/fixtures/engine/', import.meta.url));
const OURS = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const DEFAULTS = scriptingSettings({});

function compile(
  file: string,
  extra: Record<string, unknown> = {},
  settings: Partial<ScriptingSettings> = {},
  baseDir = ENGINE,
): CompiledScript {
  const step = { type: 'script', name: 'step', language: 'javascript', location: 'file:///./scripts', file, ...extra };
  const compiled = compileScript(step, { baseDir, settings: { ...DEFAULTS, ...settings } });
  if ('refused' in compiled) throw new Error(`refused: ${compiled.refused}`);
  return compiled;
}

const ours = (file: string, settings: Partial<ScriptingSettings> = {}): CompiledScript =>
  compile(file, {}, settings, OURS);

async function failure(promise: Promise<unknown>): Promise<RuntimeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isRuntimeError(err)) throw new Error(`expected a RuntimeError, got ${String(err)}`);
  return err;
}

const MEMBERS = [
  { login: 'alice', id: 1, type: 'User' },
  { login: 'bot-ci', id: 2, type: 'Bot' },
  { login: 'bob', id: 3, type: 'User' },
];

afterAll(async () => {
  await closeScriptHosts();
});

describe('the engine scenarios (JavaScript)', () => {
  it('simple-transform.js returns its object literal', async () => {
    expect(await compile('simple-transform.js').run({})).toEqual({ greeting: 'hello', count: 42, flag: true });
  });

  it("filter-active.js filters an earlier step's array, read as context['list-members']", async () => {
    expect(await compile('filter-active.js').run({ 'list-members': MEMBERS })).toEqual([
      { login: 'alice', id: 1 },
      { login: 'bob', id: 3 },
    ]);
  });

  it('compute-totals.js derives numbers', async () => {
    const orders = [{ amount: 10.5 }, { amount: 20.0 }, { amount: 30.0 }];
    expect(await compile('compute-totals.js').run({ 'get-orders': orders })).toEqual({
      totalAmount: 60.5,
      orderCount: 3,
    });
  });

  it("filter-by-threshold.js reads a `with` value rendered from the caller's parameters", async () => {
    const items = [
      { name: 'Widget', stock: 5 },
      { name: 'Gadget', stock: 15 },
      { name: 'Gizmo', stock: 3 },
    ];
    const script = compile('filter-by-threshold.js', { with: { threshold: '{{minStock}}' } });
    expect(await script.run({ minStock: 10, 'fetch-items': items })).toEqual([
      { name: 'Widget', stock: 5 },
      { name: 'Gizmo', stock: 3 },
    ]);
  });

  it('no-result.js, which never assigns result, yields undefined (the step stores nothing)', async () => {
    expect(await compile('no-result.js').run({ 'some-step': { key: 'value' } })).toBeUndefined();
  });

  it('active-members.js uses helpers from its dependency lib/array-utils.js, evaluated first', async () => {
    const script = compile('active-members.js', { dependencies: ['lib/array-utils.js'] });
    expect(await script.run({ 'list-members': MEMBERS })).toEqual([
      { login: 'alice', id: 1 },
      { login: 'bob', id: 3 },
    ]);
  });

  it('host-access.js finds no Java (or any) host object: a script error naming the file', async () => {
    const err = await failure(compile('host-access.js').run({}));
    expect(err.code).toBe('NAF_ERR_SCRIPT_FAILED');
    expect(err.message).toBe(
      "Script step 'step' (host-access.js) failed: ReferenceError: 'java' is not defined (at host-access.js:2:10)",
    );
  });

  it('infinite-loop.js with statementLimit 10 ends with the statement limit', async () => {
    const err = await failure(compile('infinite-loop.js', {}, { statementLimit: 10 }).run({}));
    expect(err.code).toBe('NAF_ERR_SCRIPT_LIMIT');
    expect(err.message).toBe("Script step 'step' (infinite-loop.js) exceeded the statement limit (10)");
  });

  it('takes location and language from the scripting defaults when the step leaves them out', async () => {
    const step = { type: 'script', name: 'transform', file: 'simple-transform.js' };
    const settings = { ...DEFAULTS, defaultLocation: 'file:///./scripts', defaultLanguage: 'javascript' };
    const compiled = compileScript(step, { baseDir: ENGINE, settings });
    expect('refused' in compiled).toBe(false);
    if (!('refused' in compiled)) expect(await compiled.run({})).toEqual({ greeting: 'hello', count: 42, flag: true });
  });

  it("prefers the step's own location to the default", async () => {
    const script = compile('simple-transform.js', {}, { defaultLocation: 'file:///./nonexistent' });
    expect(await script.run({})).toEqual({ greeting: 'hello', count: 42, flag: true });
  });
});

describe('limits, and the process carries on', () => {
  it('a loop that never ends stops at the CPU time limit, and the next script runs normally', async () => {
    const loop = compile('infinite-loop.js', {}, { timeoutMs: 300, statementLimit: Number.MAX_SAFE_INTEGER });
    const started = Date.now();
    const err = await failure(loop.run({}));
    expect(err.code).toBe('NAF_ERR_SCRIPT_LIMIT');
    expect(err.message).toBe("Script step 'step' (infinite-loop.js) exceeded its time limit (300 ms)");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await compile('simple-transform.js').run({})).toEqual({ greeting: 'hello', count: 42, flag: true });
  });

  it('an allocation bomb stops at the memory limit, and the next script runs normally', async () => {
    const err = await failure(ours('allocation-bomb.js', { memoryLimitBytes: 16 * 1024 * 1024 }).run({}));
    expect(err.code).toBe('NAF_ERR_SCRIPT_LIMIT');
    expect(err.message).toBe("Script step 'step' (allocation-bomb.js) exceeded its memory limit (16 MiB)");
    expect(await compile('filter-active.js').run({ 'list-members': MEMBERS })).toHaveLength(2);
  });

  it('unbounded recursion stops at the stack limit', async () => {
    const err = await failure(ours('deep-recursion.js').run({}));
    expect(err.code).toBe('NAF_ERR_SCRIPT_LIMIT');
    expect(err.message).toMatch(
      /^Script step 'step' \(deep-recursion\.js\) exceeded the stack limit: InternalError: stack overflow \(at deep-recursion\.js:\d+:\d+\)$/,
    );
  });

  it('a result over the size limit is refused without being copied out', async () => {
    const script = ours('big-result.js', { maxResultChars: 1000 });
    expect(await script.run({ size: 500 })).toBe('x'.repeat(500));
    const err = await failure(script.run({ size: 5000 }));
    expect(err.code).toBe('NAF_ERR_SCRIPT_LIMIT');
    expect(err.message).toBe(
      "Script step 'step' (big-result.js) returned 5002 characters of JSON, over the limit of 1000",
    );
  });

  it('runs off the event loop: timers fire and a short script finishes while another one spins', async () => {
    const loop = compile('infinite-loop.js', {}, { timeoutMs: 1_500, statementLimit: Number.MAX_SAFE_INTEGER });
    const spinning = failure(loop.run({}));
    const tick = await new Promise<number>((resolve) => {
      const at = Date.now();
      setTimeout(() => resolve(Date.now() - at), 20);
    });
    expect(tick).toBeLessThan(1_000);
    expect(await compile('simple-transform.js').run({})).toEqual({ greeting: 'hello', count: 42, flag: true });
    expect((await spinning).code).toBe('NAF_ERR_SCRIPT_LIMIT');
  });

  it('a cancelled call stops its script', async () => {
    const loop = compile('infinite-loop.js', {}, { timeoutMs: 30_000, statementLimit: Number.MAX_SAFE_INTEGER });
    const controller = new AbortController();
    const started = Date.now();
    const running = failure(loop.run({}, controller.signal));
    setTimeout(() => controller.abort(), 100);
    const err = await running;
    expect(err.code).toBe('NAF_ERR_CANCELLED');
    expect(err.message).toBe("Script step 'step' (infinite-loop.js) was cancelled: the caller went away");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await compile('simple-transform.js').run({})).toEqual({ greeting: 'hello', count: 42, flag: true });
  });
});

describe('the sandbox', () => {
  it('offers no host capability: no require, process, network, timers, console or WebAssembly', async () => {
    const probe = (await ours('probe-globals.js').run({ a: 1, b: 2 })) as {
      seen: Record<string, string>;
      viaFunction: string;
      contextKeys: string[];
    };
    expect(Object.entries(probe.seen).filter(([, type]) => type !== 'undefined')).toEqual([]);
    expect(probe.viaFunction).toBe('undefined');
    expect(probe.contextKeys).toEqual(['a', 'b']);
  });

  it('gives each call a fresh global scope and a copy of its context', async () => {
    const context = { items: ['one'] };
    expect(await ours('leak-write.js').run(context)).toBe(2);
    expect(context.items).toEqual(['one']);
    expect(await ours('leak-read.js').run(context)).toEqual({ leftBehind: 'undefined', items: ['one'] });
  });

  it('passes values in and out as JSON: a top-level let works, dates become strings, undefined drops', async () => {
    expect(await ours('let-result.js').run({})).toEqual({
      when: '1970-01-01T00:00:00.000Z',
      nan: null,
      list: [1, null],
    });
  });

  it("reports the script's own error with its file, line and column", async () => {
    const err = await failure(ours('throws.js').run({ items: [{ name: 'a' }, {}] }));
    expect(err.code).toBe('NAF_ERR_SCRIPT_FAILED');
    expect(err.message).toMatch(
      /^Script step 'step' \(throws\.js\) failed: TypeError: cannot read property 'toUpperCase' of undefined \(at throws\.js:4:\d+\)$/,
    );
    expect(err.message).not.toMatch(/node_modules|worker|quickjs/i);
  });

  it('refuses a result JSON cannot represent', async () => {
    const err = await failure(ours('circular.js').run({}));
    expect(err.code).toBe('NAF_ERR_SCRIPT_FAILED');
    expect(err.message).toMatch(/^Script step 'step' \(circular\.js\) failed: TypeError: circular reference/);
  });

  it('refuses a context JSON cannot represent, before the sandbox', async () => {
    const err = await failure(compile('simple-transform.js').run({ big: 1n }));
    expect(err.code).toBe('NAF_ERR_SCRIPT_FAILED');
    expect(err.message).toMatch(/^Script step 'step' \(simple-transform\.js\) failed: its context is not JSON/);
  });
});
