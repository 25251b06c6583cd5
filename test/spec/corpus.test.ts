// The upstream tutorial capabilities (copied from the alpha2 corpus, shared/ layout kept) load with no errors,
// their shared consumes files validate as consumes documents, and imports are resolved into the document.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCapability, loadCapabilityOrThrow } from '../../src/spec/load.js';
import type { ConsumesHttp } from '../../src/spec/types.js';

const CORPUS = fileURLToPath(new URL('./fixtures/corpus/', import.meta.url));
const GOOD = fileURLToPath(new URL('./fixtures/good/', import.meta.url));
const tutorials = readdirSync(CORPUS).filter((n) => n.endsWith('.yml'));
// secrets.yaml is a bind source (plain key/value), not a Naftiko document.
const shared = readdirSync(join(CORPUS, 'shared')).filter((n) => /\.ya?ml$/.test(n) && n !== 'secrets.yaml');

describe('alpha2 tutorial corpus', () => {
  it('has the 11 tutorial capabilities and 6 shared consumes files', () => {
    expect(tutorials).toHaveLength(11);
    expect(shared).toHaveLength(6);
  });

  it.each(tutorials)('%s loads with no errors', async (name) => {
    const result = await loadCapability(join(CORPUS, name));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.doc?.capability).toBeDefined();
  });

  it.each(shared)('shared/%s validates as a consumes document', async (name) => {
    const result = await loadCapability(join(CORPUS, 'shared', name));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.doc?.capability).toBeUndefined();
    expect(result.doc?.consumes?.length).toBeGreaterThan(0);
  });

  it('rejects shared/secrets.yaml, which is not a Naftiko document', async () => {
    const result = await loadCapability(join(CORPUS, 'shared', 'secrets.yaml'));
    expect(result.ok).toBe(false);
  });
});

describe('imported consumes', () => {
  it('replaces each import by the entry it names, relative to the capability file', async () => {
    const { doc } = await loadCapabilityOrThrow(join(CORPUS, 'step-10-shipyard-rest-adapter.yml'));
    const consumes = doc.capability?.consumes as ConsumesHttp[];
    expect(consumes.map((c) => [c.type, c.namespace])).toEqual([
      ['http', 'registry'],
      ['http', 'legacy'],
    ]);
    expect(consumes[0]?.baseUri).toBe(
      'https://mocks.naftiko.net/rest/naftiko-shipyard-maritime-registry-api/1.0.0-alpha2',
    );
    expect(consumes[1]?.authentication).toMatchObject({ type: 'apikey', key: 'X-Dock-Key' });
  });

  it('renames the imported namespace to `as`', async () => {
    const result = await loadCapability(join(GOOD, 'import-as.yaml'));
    expect(result.diagnostics).toEqual([]);
    const consumes = result.doc?.capability?.consumes as ConsumesHttp[];
    expect(consumes).toHaveLength(1);
    expect(consumes[0]).toMatchObject({
      type: 'http',
      namespace: 'ships-api',
      baseUri: 'https://registry.example.com',
    });
  });
});

// The live upstream corpus beside the project: a file added there is covered without touching this test.
const LIVE = fileURLToPath(new URL('../../../shared/reference/corpus/tutorial/', import.meta.url));
const live = existsSync(LIVE) ? readdirSync(LIVE).filter((n) => /\.ya?ml$/.test(n)) : [];
describe.skipIf(live.length === 0)('../shared/reference/corpus/tutorial', () => {
  it.each(live)('%s loads with no errors', async (name) => {
    const result = await loadCapability(join(LIVE, name));
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
