import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, httpStatusOf, RuntimeError, type ErrorCode } from './errors.js';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
const rows = new Map(
  [...doc.matchAll(/^\| `(NAF_ERR_\w+)` \| (\w+) \| (\d+) \|/gm)].map((m) => [
    m[1],
    { kind: m[2], status: Number(m[3]) },
  ]),
);

describe('error catalogue', () => {
  it('documents every code with its kind and REST status, and nothing else', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(ERRORS).sort());
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      const e = new RuntimeError(code, 'x');
      expect(rows.get(code), code).toEqual({ kind: e.kind, status: httpStatusOf(e) });
    }
  });
});
