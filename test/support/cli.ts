// The CLI as a user runs it: `node dist/cli.js …` in a child process (needs `npm run build`), with its
// output watched for secret canaries and every child killed after each test.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach } from 'vitest';
import { watch } from './canary.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = resolve(ROOT, 'dist/cli.js');
/** The seed capability, relative to ROOT (the children's working directory). */
export const SEED_PATH = 'capabilities/logto-one-time-tokens.yaml';

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** The exit code (null when killed by a signal). */
  readonly exit: Promise<number | null>;
  /** Resolves with the first match of `pattern` in stdout; rejects after `ms` with both streams. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
  out(): string;
  err(): string;
}

/** Spawns the CLI with only PATH, JSON logs and `env` in its environment (no proxies, no stray keys). */
export function runCli(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', LOG_FORMAT: 'json', ...env },
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  watch(`stdout of runtime ${args.join(' ')}`, () => out);
  watch(`stderr of runtime ${args.join(' ')}`, () => err);
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const waitFor = async (pattern: RegExp, ms = 10_000) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const m = pattern.exec(out);
      if (m) return m;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${pattern}; stdout:\n${out}\nstderr:\n${err}`);
  };
  return { child, exit, waitFor, out: () => out, err: () => err };
}

/** Every JSON log line the process wrote to `text`. */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
