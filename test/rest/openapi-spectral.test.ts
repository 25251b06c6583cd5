// The served /openapi.json passes Spectral's spectral:oas ruleset with no errors.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.js';
import { spectralLint } from '../support/spectral.js';

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
  const results = await spectralLint(doc);
  expect(results.filter((r) => r.severity === 0)).toEqual([]);
}, 60_000);
