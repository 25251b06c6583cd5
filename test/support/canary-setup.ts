// Runs in every test file: watches fetch responses for secret canaries and fails the file if one leaked.

import { afterAll, expect } from 'vitest';
import { canaryCount, leaksSoFar, scanResponse } from './canary.js';

const original = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  const res = await original(input, init);
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  scanResponse(`response of ${init?.method ?? (input instanceof Request ? input.method : 'GET')} ${url}`, res);
  return res;
};

afterAll(async () => {
  if (canaryCount() === 0) return;
  expect(await leaksSoFar(), 'secret canaries seen in responses or logs').toEqual([]);
});
