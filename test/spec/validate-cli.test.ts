// `runtime validate`, run in-process with a fake CliIO: exit codes, text and JSON output, usage errors.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { validateCommand } from '../../src/cli/validate.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEED = 'capabilities/logto-one-time-tokens.yaml';
const BAD = 'test/fixtures/invalid';

async function run(argv: string[], cwd = ROOT) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: {},
    isTTY: false,
    cwd,
  };
  const code = await validateCommand(argv, io);
  return { code, stdout, stderr, lines: stdout.trimEnd().split('\n') };
}

describe('runtime validate', () => {
  it('exits 0 for the seed and prints its warnings then a summary', async () => {
    const { code, lines, stderr } = await run([SEED]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(lines[0]).toMatch(
      /^capabilities\/logto-one-time-tokens\.yaml:19:14: warning NAF_DIALECT_BASEURI_VARIABLE: baseUri '/,
    );
    expect(lines).toHaveLength(54);
    expect(lines.at(-1)).toBe('✓ capability valid (53 warnings)');
  });

  it('exits 1 in strict mode, warnings counted as errors', async () => {
    const { code, lines } = await run([SEED, '--strict']);
    expect(code).toBe(1);
    expect(lines[0]).toContain(': error NAF_DIALECT_BASEURI_VARIABLE: ');
    expect(lines.at(-1)).toBe('✗ 53 errors, 0 warnings');
  });

  it('exits 1 for an invalid file, one file:line:col line per diagnostic', async () => {
    const { code, lines } = await run([`${BAD}/port-conflict.yaml`]);
    expect(code).toBe(1);
    expect(lines).toEqual([
      `${BAD}/port-conflict.yaml:33:13: error NAF_SPEC_PORT_CONFLICT: port 8080 is already used by the rest adapter 'api-rest' (line 20); give each adapter its own port`,
      '✗ 1 error, 0 warnings',
    ]);
  });

  it('prints {valid, diagnostics} with --format json', async () => {
    const { code, stdout } = await run(['--format', 'json', `${BAD}/with-literal.yaml`]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { valid: boolean; diagnostics: Array<Record<string, unknown>> };
    expect(report.valid).toBe(true);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'NAF_SPEC_WITH_LITERAL',
        file: `${BAD}/with-literal.yaml`,
        line: 43,
        col: 17,
        pointer: '/capability/exposes/1/tools/0/with/id',
      }),
    ]);
  });

  it('reports a missing file as invalid, not as a usage error', async () => {
    const { code, lines } = await run(['nope.yaml']);
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^nope\.yaml:0:0: error NAF_SPEC_READ: /);
  });

  it('resolves the file against io.cwd', async () => {
    const { code, lines } = await run(['import-as.yaml'], `${ROOT}test/spec/fixtures/good`);
    expect(code).toBe(0);
    expect(lines).toEqual(['✓ capability valid (0 warnings)']);
  });

  it.each([
    [[], 'expects exactly one capability file'],
    [['a.yaml', 'b.yaml'], 'expects exactly one capability file'],
    [[SEED, '--format', 'xml'], "--format must be text or json, got 'xml'"],
    [[SEED, '--colour'], 'unknown flag --colour'],
  ])('exits 2 on usage errors: %j', async (argv, message) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: runtime validate <file>');
  });

  it('prints usage with --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: runtime validate <file> [--strict] [--format text|json]');
  });
});
