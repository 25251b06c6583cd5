// Signals against the real CLI with a call in flight (issue 13, "SIGHUP and SIGUSR2 kill the process
// instantly"): SIGUSR2 and SIGQUIT drain like SIGTERM (the call is answered, exit 0, a log line names the
// signal); SIGHUP and SIGUSR1 never end the process, and SIGUSR1 does not open the inspector. And after a
// stop begins, a request on an already open keep-alive connection is answered 503 with
// `Connection: close`, as docs/safety.md says, instead of finding the socket closed.
// Needs `npm run build`.

import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { canary } from '../support/canary.js';
import { jsonLines, runCli, SEED_PATH } from '../support/cli.js';
import { startTestRuntime } from '../support/runtime.js';

const API_KEY = canary('logto-api-key');
const NAMESPACE = 'logto-one-time-tokens';
const TOKENS = '/v1/api/one-time-tokens';

let up: RecordingUpstream;
beforeAll(async () => {
  up = await startRecordingUpstream();
});
afterEach(() => up.reset());
afterAll(async () => up?.close());

function startCli() {
  const cli = runCli(
    ['start', SEED_PATH, '--base-uri', `${NAMESPACE}=${up.url}`, '--rest-port', '0', '--mcp-port', '0'],
    { LOGTO_API_KEY: API_KEY },
  );
  const rest = async () =>
    (await cli.waitFor(/REST adapter '[^']+' listening on (http:\/\/127\.0\.0\.1:\d+)/))[1] ?? '';
  return { ...cli, rest };
}

describe('drain signals', () => {
  for (const signal of ['SIGUSR2', 'SIGQUIT'] as const) {
    it(`${signal} finishes the call in flight and exits 0`, async () => {
      up.respond(() => ({ delayMs: 800, body: [{ id: 'tok_1' }] }));
      const cli = startCli();
      const rest = await cli.rest();
      const call = fetch(`${rest}${TOKENS}`).then(async (r) => ({ status: r.status, body: await r.json() }));
      await up.waitForRequests(1);
      cli.child.kill(signal);
      expect(await call).toEqual({ status: 200, body: [{ id: 'tok_1' }] });
      expect(await cli.exit).toBe(0);
      const lines = jsonLines(cli.out());
      expect(lines).toContainEqual(expect.objectContaining({ signal, msg: 'stopping: finishing in-flight calls' }));
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'stopped' }));
      expect(up.requests.filter((r) => r.aborted)).toHaveLength(0);
    });
  }
});

describe('signals that must not end the process', () => {
  it('SIGHUP and SIGUSR1 are logged; the process keeps serving; no inspector opens', async () => {
    up.respond(() => ({ body: [] }));
    const cli = startCli();
    const rest = await cli.rest();
    cli.child.kill('SIGUSR1');
    await cli.waitFor(/"signal":"SIGUSR1".*SIGUSR1 ignored/);
    cli.child.kill('SIGHUP');
    await cli.waitFor(/"signal":"SIGHUP"/);
    expect((await fetch(`${rest}${TOKENS}`)).status).toBe(200);
    expect(cli.child.exitCode).toBeNull();
    expect(cli.err()).not.toMatch(/Debugger listening/);
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
  });
});

/** One raw HTTP/1.1 exchange on `socket`: resolves with the head and body text once a whole response is in. */
function exchange(socket: Socket, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      if (end >= 0 && length !== undefined && text.length >= end + 4 + Number(length)) done(text);
    };
    const onEnd = () => done(text || 'EOF');
    const done = (result: string) => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', reject);
      resolve(result);
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
  });
}

describe('a keep-alive connection open when the stop begins', () => {
  it('gets 503 with Connection: close for its next request, while a call still drains', async () => {
    up.respond(() => ({ delayMs: 1_000, body: [{ id: 'slow' }] }));
    const rt = await startTestRuntime({ env: { LOGTO_API_KEY: API_KEY }, baseUris: { [NAMESPACE]: up.url } });
    const { port } = new URL(rt.restUrl);
    const socket = connect(Number(port), '127.0.0.1');
    try {
      await new Promise((r) => socket.once('connect', r));
      expect(await exchange(socket, '/health/live')).toMatch(/^HTTP\/1\.1 200/);
      const slow = rt.rest(TOKENS).then((r) => r.status);
      await up.waitForRequests(1);
      const closing = rt.close();
      // The listener has stopped accepting; our connection was idle at that moment.
      await new Promise<void>((resolve, reject) => {
        const probe = connect(Number(port), '127.0.0.1');
        probe.once('connect', () => reject(new Error('still accepting connections')));
        probe.once('error', () => resolve());
      });
      const answer = await exchange(socket, '/health/live');
      expect(answer).toMatch(/^HTTP\/1\.1 503/);
      expect(answer).toMatch(/\r\nconnection: close\r\n/i);
      expect(answer).toContain('NAF_ERR_NOT_READY');
      expect(await slow).toBe(200);
      await closing;
    } finally {
      socket.destroy();
    }
  });
});
