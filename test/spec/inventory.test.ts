// Nothing exposed is dropped quietly: every item of every capability we ship tests with is either served by the
// compiled table or reported (named in table.unsupported, by the control/skill adapters, or by a not-served load
// warning); `silent` must be empty. The item kinds come from the schema, so a new kind fails here first.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compileTable } from '../../src/binding/compile.js';
import { classify, inventoryOf, ROLES, unclassifiedProperties, type ItemKind } from '../../src/binding/inventory.js';
import { closeCompileResources, compileOptionsFor } from '../../src/compile-options.js';
import { loadCapability } from '../../src/spec/load.js';
import { schemaValidator } from '../../src/spec/schema-check.js';
import { ENGINE_DIR, ENGINE_NEGATIVES, engineCapabilities, UPSTREAM_SCHEMA } from '../support/engine-corpus.js';
import { runCli } from '../support/cli.js';

const schema = schemaValidator().schema;
const upstream = JSON.parse(readFileSync(UPSTREAM_SCHEMA, 'utf8')) as Record<string, unknown>;
const CORPUS = fileURLToPath(new URL('./fixtures/corpus/', import.meta.url));
const LIVE = fileURLToPath(new URL('../../../shared/reference/corpus/tutorial/', import.meta.url));
const EVERY = fileURLToPath(new URL('../fixtures/capabilities/every-construct.yaml', import.meta.url));

const yml = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)) : []);
const negatives = new Set<string>(Object.keys(ENGINE_NEGATIVES));
const files = [
  ...engineCapabilities()
    .filter((n) => !negatives.has(n))
    .map((n) => join(ENGINE_DIR, n)),
  ...yml(CORPUS).map((n) => join(CORPUS, n)),
  ...yml(LIVE).map((n) => join(LIVE, n)),
  EVERY,
];

async function classified(file: string) {
  const loaded = await loadCapability(file);
  if (!loaded.doc) throw new Error(`${file} does not load`);
  const table = compileTable(loaded.doc, await compileOptionsFor(loaded.file, loaded.doc));
  return classify(inventoryOf(loaded.doc, schema), table, loaded.diagnostics);
}

afterAll(closeCompileResources);

describe('inventory of exposed items', () => {
  it('classifies every property of every adapter kind of both schemas (a new kind or list fails here)', () => {
    expect(unclassifiedProperties(upstream)).toEqual([]);
    expect(unclassifiedProperties(schema)).toEqual([]);
  });

  it.each(files)('%s: every item is served or reported, none silent', async (file) => {
    const items = await classified(file);
    expect(items.length).toBeGreaterThan(0);
    expect(items.filter((i) => i.status === 'silent').map((i) => `${i.kind} ${i.name} ${i.ptr}`)).toEqual([]);
    for (const i of items.filter((x) => x.status === 'reported')) expect(i.reasons.length).toBeGreaterThan(0);
  });

  it('every-construct.yaml has an item of every kind the schema has, each with its pointer', async () => {
    const items = await classified(EVERY);
    const kinds = new Set(
      Object.values(ROLES)
        .flatMap((roles) => Object.values(roles))
        .flatMap((r) => (typeof r === 'object' && 'item' in r ? [r.item] : [])),
    );
    const expected: ItemKind[] = [
      ...kinds,
      'skill.adapter',
      'control.adapter',
      'control.setting',
      'aggregate.function',
    ];
    for (const kind of expected)
      expect(
        items.some((i) => i.kind === kind),
        kind,
      ).toBe(true);
    expect(items.map((i) => `${i.status} ${i.kind} ${i.ptr} ${i.name}`)).toEqual([
      'served rest.operation /capability/exposes/0/resources/0/operations/0 api-rest GET /items/{{id}}',
      'served rest.forward /capability/exposes/0/resources/1/forward api-rest forward /raw/{{path}} → api',
      'served mcp.tool /capability/exposes/1/tools/0 api-mcp tool get-item',
      'served mcp.resource /capability/exposes/1/resources/0 api-mcp resource item (items://{id})',
      'served mcp.prompt /capability/exposes/1/prompts/0 api-mcp prompt summarize',
      'served skill.adapter /capability/exposes/2 api-skills skill adapter',
      'served skill.skill /capability/exposes/2/skills/0 api-skills skill items',
      'served skill.tool /capability/exposes/2/skills/0/tools/0 api-skills skill items tool get-item',
      'served control.adapter /capability/exposes/3 control :9200 control adapter',
      'served control.setting /capability/exposes/3/management/health management.health',
      'served control.setting /capability/exposes/3/management/info management.info',
      'served control.setting /capability/exposes/3/observability/metrics/local observability.metrics.local',
      'served aggregate.function /capability/aggregates/0/functions/0 function items.get-item',
    ]);
  });

  it('an unknown adapter kind (a future schema) is an item that nothing serves: silent, so this test would fail', async () => {
    const loaded = await loadCapability(EVERY);
    if (!loaded.doc) throw new Error('every-construct.yaml does not load');
    const doc = structuredClone(loaded.doc);
    (doc.capability?.exposes as unknown[]).push({ type: 'grpc', namespace: 'api-grpc', port: 7000 });
    const table = compileTable(doc, await compileOptionsFor(loaded.file, doc));
    const items = classify(inventoryOf(doc, schema), table, loaded.diagnostics);
    expect(items.filter((i) => i.status === 'silent').map((i) => `${i.kind} ${i.ptr}`)).toEqual([
      'unknown /capability/exposes/4',
    ]);
  });
});

describe('runtime validate lists what is not served', () => {
  it('warns NAF_UNSUPPORTED_CONSTRUCT at the item, and --strict makes it an error', async () => {
    const file = join(ENGINE_DIR, 'observability/observability-capability.yaml');
    const plain = runCli(['validate', file]);
    expect(await plain.exit).toBe(0);
    expect(plain.out()).toContain(
      'observability-capability.yaml:24:13: warning NAF_UNSUPPORTED_CONSTRUCT: observability.exporters.otlp is not served: the file does not configure export; the OTEL_* variables do',
    );
    const strict = runCli(['validate', '--strict', file]);
    expect(await strict.exit).toBe(1);
    expect(strict.out()).toContain('observability-capability.yaml:24:13: error NAF_UNSUPPORTED_CONSTRUCT');
  });
});
