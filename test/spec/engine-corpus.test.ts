// Every capability of the reference engine's own tests (test/fixtures/engine, ikanos v1.0.0-alpha2
// src/test/resources and the spec examples) that the engine's schema accepts loads with no errors here, except
// the two the engine refuses in code at load, which we refuse with the same meaning and a line:col.
// Upstream: AggregateIntegrationTest (aggregate-invalid-ref), BaseUriTrailingSlashIntegrationTest (trailing slash).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCapability } from '../../src/spec/load.js';
import { ENGINE_DIR, ENGINE_NEGATIVES, engineCapabilities, engineYamlFiles } from '../support/engine-corpus.js';

const all = engineYamlFiles();
const capabilities = engineCapabilities();
const negatives = new Set<string>(Object.keys(ENGINE_NEGATIVES));
const positives = capabilities.filter((name) => !negatives.has(name));

describe('engine test corpus', () => {
  it('finds the engine capabilities, and leaves out only the non-capability files', () => {
    expect(positives.length).toBeGreaterThanOrEqual(30);
    for (const name of negatives) expect(capabilities).toContain(name);
    // Left out by the engine's schema: an alpha1 example and a YAML data file read by a format test.
    expect(all.filter((name) => !capabilities.includes(name))).toEqual([
      'examples/capability-example.yml',
      'schemas/sample-users.yaml',
    ]);
  });

  it.each(positives)('%s loads with no errors', async (name) => {
    const result = await loadCapability(join(ENGINE_DIR, name));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.doc?.capability).toBeDefined();
  });

  it('refuses the unknown aggregate ref at the ref', async () => {
    const file = join(ENGINE_DIR, 'aggregates/aggregate-invalid-ref.yaml');
    const result = await loadCapability(file);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.col} ${d.pointer}`)).toEqual([
      'error NAF_SPEC_REF_TARGET 32:16 /capability/exposes/0/tools/0/ref',
    ]);
    expect(result.diagnostics[0]?.message).toContain("'unknown.nonexistent'");
  });

  it('refuses the baseUri with a trailing slash at the baseUri', async () => {
    const file = join(ENGINE_DIR, 'baseuri-trailing-slash-capability.yaml');
    const result = await loadCapability(file);
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.col} ${d.pointer}`)).toEqual([
      'error NAF_SPEC_BASEURI_SLASH 26:16 /capability/consumes/0/baseUri',
    ]);
  });

  it('warns, and still loads, when a `with` key feeds nothing (the engine ignores such a key)', async () => {
    // aggregate-basic.yaml: `with: {location: …}` on a consumed operation with no parameters or placeholders.
    const result = await loadCapability(join(ENGINE_DIR, 'aggregates/aggregate-basic.yaml'));
    expect(result.ok).toBe(true);
    const unused = result.diagnostics.filter((d) => d.code === 'NAF_SPEC_WITH_UNKNOWN_PARAM');
    expect(unused.map((d) => `${d.severity} ${d.line}:${d.col}`)).toEqual(['warning 29:13']);
  });
});
