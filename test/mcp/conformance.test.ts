// `npm run conformance` in CI: the official MCP conformance suite against the runtime started by the CLI,
// at both spec revisions, judged against the checked-in baselines (scripts/conformance/). The script
// starts and stops its own runtime; it needs `npm run build` (and builds when dist/ is missing).

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { watch } from '../support/canary.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = resolve(ROOT, 'scripts/conformance.mjs');
const TMP = mkdtempSync(join(tmpdir(), 'conformance-'));

afterAll(() => rmSync(TMP, { recursive: true, force: true }));

function conformance(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [SCRIPT, ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: TMP },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  watch('conformance output', () => out);
  return new Promise((done) => child.once('exit', (code) => done({ code, out })));
}

const CLEAN = /0 unexpected, 0 stale$/;

describe('npm run conformance', () => {
  it('passes at 2025-11-25 and 2026-07-28 with nothing but baselined failures', async () => {
    const { code, out } = await conformance(['--out', join(TMP, 'results')]);
    expect(code, out).toBe(0);
    for (const revision of ['2025-11-25', '2026-07-28']) {
      const block = out.slice(out.indexOf(`conformance ${revision} `));
      const [head, scored, unscored] = block.split('\n');
      expect(head).toMatch(new RegExp(`^conformance ${revision} against http://127\\.0\\.0\\.1:\\d+/mcp: ok$`));
      expect(scored).toMatch(
        /^ {2}scored +\d+ scenarios: \d+ passed, \d+ failing as expected, 0 unexpected \| checks: /,
      );
      expect(scored).toMatch(CLEAN);
      expect(unscored).toMatch(/^ {2}not scored +\d+ scenarios: /);
      expect(unscored).toMatch(CLEAN);
    }
    expect(out).toMatch(/^conformance: PASS \(2025-11-25, 2026-07-28\) in [\d.]+ s; results in /m);
  });

  it('fails on a failure missing from the baseline and on a baseline entry that now passes', async () => {
    const dir = join(TMP, 'baselines');
    const original = readFileSync(resolve(ROOT, 'scripts/conformance/expected-failures-2025-11-25.yml'), 'utf8');
    const edited =
      original.replace(/^ {2}- prompts-get-with-image:prompts-get-with-image .*\n/m, '') +
      '  - tools-list:tools-list\n';
    expect(edited).not.toContain('prompts-get-with-image:prompts-get-with-image');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'expected-failures-2025-11-25.yml'), edited);

    const { code, out } = await conformance([
      '--revision',
      '2025-11-25',
      '--baselines',
      dir,
      '--out',
      join(TMP, 'bad'),
    ]);
    expect(code, out).toBe(1);
    expect(out).toContain('  unexpected failure: prompts-get-with-image:prompts-get-with-image');
    expect(out).toContain('  stale baseline entry (now passes): tools-list:tools-list');
    expect(out).toMatch(/the suite exited with 1/);
    expect(out).toMatch(/^conformance: FAIL \(2025-11-25\)/m);
  });
});
