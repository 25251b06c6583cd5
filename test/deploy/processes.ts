// Child processes for the deployment tests (npm, npx, the runtime from a copy, nginx): each in its own process
// group so that killing it also ends what it started (npx → node), output kept for assertions, all of them
// ended after each test file.

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { afterAll } from 'vitest';
import { watch } from '../support/canary.js';

export const ROOT = resolve(import.meta.dirname, '../..');

/** PATH with the running Node first, so that npm, npx and `#!/usr/bin/env node` use the Node under test. */
export const NODE_PATH = `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`;

/**
 * The machine's environment (CA bundles, proxies, HOME: what npm needs to reach its cache and registry) without
 * what `npm exec`/`npm test` put there for vitest itself, and without credentials a test could leak.
 */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && !/^(npm_|NODE_OPTIONS$|VITEST|LOGTO_|RUNTIME_|OTEL_|TENANT_ID$|NAFTIKO_)/i.test(k))
      env[k] = v;
  return env;
}

export interface Proc {
  readonly child: ChildProcess;
  readonly exit: Promise<number | null>;
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
  out(): string;
  err(): string;
  stop(): Promise<void>;
}

const running: Proc[] = [];
afterAll(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

export interface SpawnOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Replaces the environment entirely (PATH included) instead of adding to the machine's. */
  exactEnv?: boolean;
  /** Scan the output for secret canaries (default); off for the sandbox, whose banner prints its own token. */
  watch?: boolean;
}

export function start(cmd: string, args: readonly string[], o: SpawnOptions): Proc {
  const env = o.exactEnv ? (o.env ?? {}) : { ...baseEnv(), PATH: NODE_PATH, NO_COLOR: '1', ...o.env };
  const child = spawn(cmd, args, { cwd: o.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const label = `${cmd} ${args.join(' ')}`.slice(0, 120);
  if (o.watch !== false) {
    watch(`stdout of ${label}`, () => out);
    watch(`stderr of ${label}`, () => err);
  }
  const exit = new Promise<number | null>((done) => {
    child.on('error', (e) => {
      err += String(e);
      done(null);
    });
    child.on('exit', (code) => done(code));
  });
  const waitFor = async (pattern: RegExp, ms = 30_000) => {
    const until = Date.now() + ms;
    let ended = false;
    void exit.then(() => (ended = true));
    while (Date.now() < until) {
      const m = pattern.exec(out) ?? pattern.exec(err);
      if (m) return m;
      if (ended) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${label}: no ${pattern} (${ended ? 'it exited' : 'timed out'}); stdout:\n${out}\nstderr:\n${err}`);
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const t = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 10_000);
    await exit;
    clearTimeout(t);
  };
  const p: Proc = { child, exit, waitFor, out: () => out, err: () => err, stop };
  running.push(p);
  return p;
}

/** Runs to completion; rejects with both streams when the exit code is not 0. */
export async function run(cmd: string, args: readonly string[], o: SpawnOptions): Promise<string> {
  const p = start(cmd, args, o);
  const code = await p.exit;
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}\nstdout:\n${p.out()}\nstderr:\n${p.err()}`);
  return p.out();
}

/** A port that was free a moment ago (for processes whose port must be known before they start). */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

/** The one-time-token walk every deployment test makes: create → get → verify → revoke. */
export async function restWalk(base: string, email: string): Promise<void> {
  const json = { 'content-type': 'application/json' };
  const created = await fetch(`${base}/v1/api/one-time-tokens`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email }),
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const token = (await created.json()) as { id: string; token: string };
  const got = await fetch(`${base}/v1/api/one-time-tokens/${token.id}`);
  if (got.status !== 200) throw new Error(`get: ${got.status} ${await got.text()}`);
  const verified = await fetch(`${base}/v1/api/one-time-tokens/verify`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ token: token.token, email }),
  });
  if (verified.status !== 200) throw new Error(`verify: ${verified.status} ${await verified.text()}`);
  const revoked = await fetch(`${base}/v1/api/one-time-tokens/${token.id}/status`, {
    method: 'PUT',
    headers: json,
    body: JSON.stringify({ status: 'revoked' }),
  });
  if (revoked.status !== 200) throw new Error(`revoke: ${revoked.status} ${await revoked.text()}`);
  const after = (await revoked.json()) as { status: string };
  if (after.status !== 'revoked') throw new Error(`revoke: status ${after.status}`);
}
