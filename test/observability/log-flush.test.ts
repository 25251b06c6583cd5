// JSON log lines are buffered and written asynchronously (src/log.ts): none may be lost on a pipe when the
// process ends — an uncaught exception, process.exit, the drain after SIGTERM — a line must not wait for more
// traffic to be written, and a reader that closes the pipe (EPIPE) must not crash the process.
// Needs `npm run build` (the children run dist/).

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, ROOT, runCli, SEED_PATH as SEED } from '../support/cli.js';

const LINES = 2000; // ~300 KB: far more than one buffer, so some are still buffered or in flight at the end

/** A child that logs LINES lines and a fatal one through the real logger, then ends as `end` says. */
function child(end: string) {
  const script = `
    const { createLogger } = await import(${JSON.stringify(resolve(ROOT, 'dist/log.js'))});
    const { Secrets } = await import(${JSON.stringify(resolve(ROOT, 'dist/secrets.js'))});
    const log = createLogger({ secrets: new Secrets() });
    for (let i = 0; i < ${LINES}; i++) log.info({ i, pad: 'x'.repeat(100) }, 'line');
    log.fatal({ last: true }, 'fatal: giving up');
    ${end}
  `;
  const p = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
  let out = '';
  let err = '';
  p.stdout.on('data', (d: Buffer) => (out += d.toString()));
  p.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const closed = new Promise<number | null>((done) => p.on('close', (code) => done(code)));
  return { p, closed, out: () => out, err: () => err };
}

function expectEveryLine(out: string): void {
  const lines = jsonLines(out); // throws on a line cut short
  expect(lines).toHaveLength(LINES + 1);
  expect(lines.slice(0, LINES).map((l) => l['i'])).toEqual([...Array(LINES).keys()]);
  expect(lines[LINES]).toMatchObject({ level: 60, last: true, msg: 'fatal: giving up' });
}

describe('asynchronous log destination on a pipe', () => {
  it('an uncaught exception right after the lines: every line, the fatal one last', async () => {
    const c = child(`throw new Error('boom');`);
    expect(await c.closed).toBe(1);
    expect(c.err()).toContain('boom');
    expectEveryLine(c.out());
  });

  it('process.exit right after the lines: every line', async () => {
    const c = child(`process.exit(3);`);
    expect(await c.closed).toBe(3);
    expectEveryLine(c.out());
  });

  it('a reader that closes the pipe (EPIPE): the process goes on logging and exits normally', async () => {
    const c = child(`
      await new Promise((r) => setTimeout(r, 300));
      for (let i = 0; i < 1000; i++) log.info({ i, pad: 'x'.repeat(100) }, 'after the reader left');
      await new Promise((r) => setTimeout(r, 300));
      process.stderr.write('still alive\\n');
    `);
    c.p.stdout.destroy();
    expect(await c.closed).toBe(0);
    expect(c.err()).toBe('still alive\n');
  });

  it('runtime start: an access line shows up without more traffic; SIGTERM drain lines in full', async () => {
    const p = runCli(['start', SEED, '--sandbox', '--rest-port', '0', '--mcp-port', '0']);
    const url = (await p.waitFor(/REST adapter '[^']+' listening on (http:\/\/127\.0\.0\.1:\d+)/))[1] as string;
    await p.waitFor(/embedded Logto sandbox/);
    const res = await fetch(`${url}/health/live`);
    await res.arrayBuffer();
    const ok = await fetch(`${url}/openapi.json`);
    await ok.arrayBuffer();
    // One request, then nothing: its line must come from the periodic flush, well within the 10 s wait.
    await p.waitFor(/"msg":"request"[^\n]*\n/);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(0);
    const lines = jsonLines(p.out()); // every line whole
    const msgs = lines.map((l) => l['msg']);
    expect(msgs).toContain('stopping: finishing in-flight calls');
    expect(msgs.at(-1)).toBe('stopped');
  });
});
