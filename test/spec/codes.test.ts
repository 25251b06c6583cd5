// Every code in the catalogue is exercised: pinned by a bad fixture, by the seed's warnings, or by a unit test here.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/spec/codes.js';
import { loadCapability } from '../../src/spec/load.js';

const BAD = fileURLToPath(new URL('../fixtures/invalid/', import.meta.url));
const SEED = fileURLToPath(new URL('../../capabilities/logto-one-time-tokens.yaml', import.meta.url));

describe('diagnostic code catalogue', () => {
  it('uses NAF_SPEC_ / NAF_DIALECT_ names, dialect codes being warnings', () => {
    for (const [code, info] of Object.entries(CODES)) {
      expect(code).toMatch(/^NAF_(SPEC|DIALECT)_[A-Z_]+$/);
      if (code.startsWith('NAF_DIALECT_')) expect(info.severity).toBe('warning');
    }
  });

  it('has every code pinned by a fixture, the seed, or the missing-file case', async () => {
    const pinned = new Set(['NAF_SPEC_READ']);
    for (const name of readdirSync(BAD).filter((n) => n.endsWith('.yaml'))) {
      for (const m of readFileSync(join(BAD, name), 'utf8').matchAll(/^# expect: (\S+)/gm)) pinned.add(m[1] ?? '');
    }
    for (const d of (await loadCapability(SEED)).diagnostics) pinned.add(d.code);
    expect(Object.keys(CODES).filter((code) => !pinned.has(code))).toEqual([]);
  });
});
