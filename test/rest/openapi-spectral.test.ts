// The served /openapi.json passes Spectral's spectral:oas ruleset with no errors.

import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';

const SPECTRAL = resolve(import.meta.dirname, '../../node_modules/@stoplight/spectral-cli/dist/index.js');
let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ sandbox: true });
});
afterAll(async () => {
  await rt?.close();
});

it('spectral lint reports 0 errors on the served OpenAPI document', async () => {
  const res = await rt.rest('/openapi.json');
  expect(res.status).toBe(200);
  const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
  expect(doc.openapi).toBe('3.1.0');
  expect(Object.keys(doc.paths)).toHaveLength(4);
  const dir = await mkdtemp(join(tmpdir(), 'spectral-'));
  await writeFile(join(dir, 'openapi.json'), JSON.stringify(doc));
  await writeFile(join(dir, '.spectral.yaml'), 'extends: ["spectral:oas"]\n');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [SPECTRAL, 'lint', join(dir, 'openapi.json'), '-r', join(dir, '.spectral.yaml'), '-f', 'json', '-q'],
    { cwd: dir },
  ).catch((err: { stdout: string }) => ({ stdout: err.stdout }));
  const results = JSON.parse(stdout || '[]') as Array<{ severity: number; code: string; message: string }>;
  expect(results.filter((r) => r.severity === 0)).toEqual([]);
}, 60_000);
