// naftiko-aggregate-semantics-consistency as a load-time warning. Scenarios from the engine's
// NaftikoSpectralRulesetTest (ikanos v1.0.0-alpha2) on its fixtures rules/spectral-semantics-{in,}consistent.yaml:
// the inconsistent file warns about readOnly=false, destructive=true and DELETE against safe=true; the consistent
// one does not warn.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCapability } from '../../src/spec/load.js';
import { ENGINE_DIR } from '../support/engine-corpus.js';

const warnings = async (name: string) =>
  (await loadCapability(join(ENGINE_DIR, name))).diagnostics.filter((d) => d.code === 'NAF_SPEC_SEMANTICS_HINTS');

describe('aggregate semantics vs hints and methods', () => {
  it('warns at each contradicting hint and method, and still loads', async () => {
    const result = await loadCapability(join(ENGINE_DIR, 'rules/spectral-semantics-inconsistent.yaml'));
    expect(result.ok).toBe(true);
    const found = result.diagnostics.filter((d) => d.code === 'NAF_SPEC_SEMANTICS_HINTS');
    expect(found.map((d) => `${d.severity} ${d.line}:${d.col} ${d.pointer}`)).toEqual([
      'warning 49:23 /capability/exposes/0/tools/0/hints/readOnly',
      'warning 50:26 /capability/exposes/0/tools/0/hints/destructive',
      'warning 59:23 /capability/exposes/1/resources/0/operations/0/method',
    ]);
    expect(found[0]?.message).toContain('readOnly=false');
    expect(found[1]?.message).toContain('destructive=true');
    expect(found[2]?.message).toContain('DELETE');
    for (const d of found) expect(d.message).toContain("'weather.get-forecast'");
  });

  it('is silent when the hints and method agree with the semantics', async () => {
    expect(await warnings('rules/spectral-semantics-consistent.yaml')).toEqual([]);
  });

  it('flags a POST on a safe, idempotent function twice (safe → GET; idempotent → not POST)', async () => {
    const found = await warnings('aggregates/aggregate-basic.yaml');
    expect(found.map((d) => `${d.line}:${d.col}`)).toEqual(['68:23', '68:23']);
    expect(found.map((d) => d.message.split(': ')[1])).toEqual([
      'it is safe=true, so the operation should use GET',
      'it is idempotent=true, and POST is not idempotent by convention',
    ]);
  });
});
