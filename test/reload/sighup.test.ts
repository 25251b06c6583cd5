// SIGHUP on the real CLI (needs `npm run build`): the process keeps running, serves the new file's routes on
// the same port, and refuses a broken file with its diagnostics while the old table keeps serving.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { runCli, type CliProcess } from '../support/cli.js';
import { capabilityYaml, tempCapability, type TempCapability } from './capability.js';

let up: RecordingUpstream;
let cap: TempCapability | undefined;
let cli: CliProcess | undefined;

beforeAll(async () => {
  up = await startRecordingUpstream();
  up.respond((r) => ({ body: { path: r.path } }));
});
afterEach(async () => {
  if (cli?.child.exitCode === null) cli.child.kill('SIGKILL');
  await cap?.remove();
});
afterAll(async () => up.close());

/** Resolves when stdout holds `count` lines matching `pattern`. */
async function lines(c: CliProcess, pattern: RegExp, count: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (
    c
      .out()
      .split('\n')
      .filter((l) => pattern.test(l)).length < count
  ) {
    if (Date.now() > deadline) throw new Error(`waited for ${count}× ${pattern}; stdout:\n${c.out()}\n${c.err()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('SIGHUP', () => {
  it('reloads a changed file on the same port; a broken one is refused and the process keeps serving', async () => {
    cap = await tempCapability(capabilityYaml({ upstream: up.url, ops: [{ name: 'list-items', path: '/items' }] }));
    cli = runCli(['start', cap.file, '--rest-port', '0', '--mcp-port', '0']);
    const rest = (await cli.waitFor(/REST adapter 'api' listening on (http:\/\/127\.0\.0\.1:\d+)/))[1] ?? '';
    expect((await fetch(`${rest}/items`)).status).toBe(200);

    await cap.write(capabilityYaml({ upstream: up.url, ops: [{ name: 'list-things', path: '/things' }] }));
    cli.child.kill('SIGHUP');
    await lines(cli, /"msg":"reloaded /, 1);
    expect((await fetch(`${rest}/things`)).status).toBe(200);
    expect((await fetch(`${rest}/items`)).status).toBe(404);

    await cap.write(
      capabilityYaml({ upstream: up.url, ops: [{ name: 'list-items', path: '/items' }] }).replace(
        'call: up.list-items',
        'call: up.missing',
      ),
    );
    cli.child.kill('SIGHUP');
    await lines(cli, /"msg":"reload refused: /, 1);
    expect(cli.out()).toMatch(new RegExp(`"at":"${cap.file}:\\d+:\\d+"`));
    expect((await fetch(`${rest}/things`)).status).toBe(200);
    expect(cli.child.exitCode).toBeNull();

    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
  });
});
