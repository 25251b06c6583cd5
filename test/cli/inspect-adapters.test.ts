// `runtime inspect` shows what each adapter kind serves: a control adapter's routes follow its settings.

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileTable } from '../../src/binding/compile.js';
import { describeTable } from '../../src/cli/inspect.js';
import { loadCapabilityOrThrow } from '../../src/spec/load.js';

const ROOT = resolve(import.meta.dirname, '../..');

async function described(file: string) {
  const { doc } = await loadCapabilityOrThrow(resolve(ROOT, file));
  return describeTable(compileTable(doc));
}

describe('inspect: control adapters', () => {
  it('lists the routes the example control adapter serves', async () => {
    const d = await described('capabilities/examples/control.yaml');
    expect(d.adapters.find((a) => a.kind === 'control')).toMatchObject({
      routes: ['/health/live', '/health/ready', '/status', '/metrics', '/traces', '/traces/{id}'],
    });
  });

  it('drops the routes a setting switches off (observability disabled: no /metrics, no /traces)', async () => {
    const d = await described('test/fixtures/engine/control/control-observability-disabled.yaml');
    const routes = d.adapters.find((a) => a.kind === 'control')?.routes ?? [];
    expect(routes).not.toContain('/metrics');
    expect(routes).not.toContain('/traces');
    expect(routes).toContain('/health/live');
  });
});
