// A newcomer's mistakes on the command line: each is one line naming the flag (with the nearest known one),
// every problem of a run is reported together, and nothing starts (exit 2). In-process: no server is started.

import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { ROOT, SEED_PATH } from '../support/cli.js';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env, isTTY: false, cwd: ROOT };
  const code = await main(argv, io);
  return { code, out, err, lines: err.trim().split('\n') };
}

describe('runtime start: flags checked up front', () => {
  it('an unknown flag gets a suggestion, not parseArgs text', async () => {
    const r = await run(['start', SEED_PATH, '--rest-prot', '8080', '--sandbox']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('runtime start: unknown flag --rest-prot (did you mean --rest-port?)');
    expect(r.err).not.toMatch(/ERR_PARSE_ARGS|To specify a positional|at .*\.js:\d+/);
    // The stray 8080 is taken as the mistyped flag's value, not as a second file.
    expect(r.err).not.toContain('exactly one capability file');
  });

  it('--log-level loud and --log-format x: one line each, no stack trace', async () => {
    const r = await run(['start', SEED_PATH, '--sandbox', '--log-level', 'loud', '--log-format', 'x']);
    expect(r.code).toBe(2);
    expect(r.lines).toContain(
      "runtime start: --log-level must be one of trace|debug|info|warn|error|fatal|silent, got 'loud'",
    );
    expect(r.lines).toContain("runtime start: --log-format must be one of json|pretty, got 'x'");
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('environment values are checked too and named by their variable', async () => {
    const r = await run(['start', SEED_PATH, '--sandbox'], { LOG_LEVEL: 'verbose', REST_PORT: 'eighty' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('LOG_LEVEL must be one of');
    expect(r.err).toContain("REST_PORT expects a port number (0-65535), got 'eighty'");
  });

  it('ports, numbers and durations: every bad value in one run', async () => {
    const r = await run([
      'start',
      SEED_PATH,
      '--sandbox',
      '--rest-port',
      '70000',
      '--mcp-port',
      '-1',
      '--body-limit',
      '1.5',
      '--call-timeout',
      'soon',
      '--shutdown-grace',
      '0',
      '--var',
      'novalue',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--rest-port expects a port number (0-65535), got '70000'");
    // `--mcp-port -1`: '-1' reads as a flag, so the value is missing.
    expect(r.err).toMatch(/--mcp-port|unknown flag -1/);
    expect(r.err).toContain("--body-limit expects a positive whole number, got '1.5'");
    expect(r.err).toContain("--call-timeout expects a duration in milliseconds (e.g. 30000, 30s, 2m), got 'soon'");
    expect(r.err).toContain('--shutdown-grace expects a duration');
    expect(r.err).toContain("--var expects name=value, got 'novalue'");
  });

  it('allow-list entries: a host name is not a URL, an origin has no path', async () => {
    const r = await run([
      'start',
      SEED_PATH,
      '--sandbox',
      '--allowed-host',
      'https://proxy.example.com',
      '--allowed-origin',
      'app.example.com',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "--allowed-host expects a host name (optionally :port), not a URL, got 'https://proxy.example.com'",
    );
    expect(r.err).toContain("--allowed-origin expects an origin like https://app.example.com, got 'app.example.com'");
    const { startSettings } = await import('../../src/cli/start-options.js');
    expect(
      startSettings({ 'allowed-host': ['proxy.example.com:443'], 'allowed-origin': ['https://app.example.com'] }, {}),
    ).toMatchObject({
      allowedHosts: ['proxy.example.com:443'],
      allowedOrigins: ['https://app.example.com'],
    });
  });

  it('a flag without its value and a switch with one', async () => {
    const r = await run(['start', SEED_PATH, '--sandbox=yes', '--host', '--rest-port', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--sandbox is a switch and takes no value');
    expect(r.err).toContain('--host needs a value');
  });

  it('bad flags and what they mean for the file are reported together: unknown --var/--base-uri names, missing key', async () => {
    const r = await run([
      'start',
      SEED_PATH,
      '--log-level',
      'loud',
      '--var',
      'tenantid=acme',
      '--base-uri',
      'logto=https://auth.example.com',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--log-level must be one of');
    expect(r.err).toMatch(
      /--var tenantid=…: the capability has no base URI variable 'tenantid' \(did you mean --var tenant_id=…\?\)/,
    );
    expect(r.err).toMatch(
      /--base-uri logto=…: the capability has no consumed namespace 'logto' \(did you mean --base-uri logto-one-time-tokens=…\?\)/,
    );
    expect(r.err).toContain('LOGTO_API_KEY');
  });

  it('a missing key and an unset tenant are reported in one run (exit 1: the flags were fine)', async () => {
    const r = await run(['start', SEED_PATH, '--rest-port', '0', '--mcp-port', '0'], { LOG_LEVEL: 'silent' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('LOGTO_API_KEY');
    expect(r.err).toContain('--var tenant_id=');
    for (const line of r.lines) expect(line).toMatch(/^runtime start: /);
  });

  it('durations take units', async () => {
    const { startSettings } = await import('../../src/cli/start-options.js');
    const s = startSettings({ 'call-timeout': '2s', 'shutdown-grace': '1m', 'connect-timeout': '250ms' }, {});
    expect(s.timeouts).toEqual({ callTimeoutMs: 2000, connectTimeoutMs: 250 });
    expect(s.shutdownGraceMs).toBe(60_000);
  });
});

describe('commands', () => {
  it('an unknown command gets a suggestion in one line', async () => {
    const r = await run(['strat', SEED_PATH]);
    expect(r.code).toBe(2);
    expect(r.lines[0]).toMatch(/^runtime: unknown command 'strat' \(did you mean 'start'\?\); commands: start, /);
  });

  it('other commands refuse unknown flags the same way', async () => {
    const v = await run(['validate', SEED_PATH, '--stric']);
    expect(v.code).toBe(2);
    expect(v.err).toContain('unknown flag --stric (did you mean --strict?)');
    const i = await run(['inspect', SEED_PATH, '--fromat', 'json']);
    expect(i.code).toBe(2);
    expect(i.err).toContain('unknown flag --fromat (did you mean --format?)');
  });

  it('start --help lists every flag module', async () => {
    const r = await run(['start', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--rest-port');
    expect(r.out).toContain('--oauth-client-id');
    expect(r.out).toContain('docs/configuration.md');
  });
});
