// The bodies of /health/ready and /status, in the reference engine's shape (HealthReadyResource,
// StatusResource) plus what this runtime knows besides: each adapter's URL and binding count.

import { readFileSync } from 'node:fs';
import type { BindingTable, ExposeSpec } from '../../binding/table.js';
import type { AdapterMetrics } from '../metrics.js';

/** One adapter of the running capability, as the control adapter sees it. */
export interface AdapterView {
  readonly spec: ExposeSpec;
  /** Where it listens once started (`stdio` for MCP over stdio); undefined before. */
  readonly url?: string;
  readonly bindings: number;
  readonly metrics?: AdapterMetrics;
}

interface AdapterState {
  readonly type: string;
  readonly namespace?: string;
  readonly port?: number;
  readonly url?: string;
  readonly transport: 'http' | 'stdio';
  readonly bindings?: number;
  readonly state: 'started' | 'stopped';
}

function adapterState(a: AdapterView): AdapterState {
  const { spec } = a;
  const port = a.url && a.url !== 'stdio' ? Number(new URL(a.url).port) : spec.port;
  return {
    type: spec.kind,
    // A control entry has no namespace in the spec; the engine leaves it out.
    ...(spec.kind !== 'control' ? { namespace: spec.namespace } : {}),
    ...(port ? { port } : {}),
    ...(a.url ? { url: a.url } : {}),
    transport: spec.transport,
    ...(spec.kind !== 'control' ? { bindings: a.bindings } : {}),
    state: a.url ? 'started' : 'stopped',
  };
}

/** Ready when the runtime finished starting and every adapter but control itself is started. */
export function readiness(
  adapters: readonly AdapterView[],
  runtimeReady: boolean,
): { ready: boolean; body: { status: 'UP' | 'DEGRADED'; adapters: AdapterState[] } } {
  const states = adapters.map(adapterState);
  const ready = runtimeReady && states.every((s) => s.type === 'control' || s.state === 'started');
  return { ready, body: { status: ready ? 'UP' : 'DEGRADED', adapters: states } };
}

export function status(table: BindingTable, adapters: readonly AdapterView[], startedAt: number): object {
  return {
    capability: {
      label: table.capability.label,
      specVersion: '1.0.0-alpha2',
      ...(table.capability.version ? { version: table.capability.version } : {}),
      bindings: table.bindings.length,
    },
    engine: { name: 'naftiko-runtime', version: packageVersion(), node: process.version },
    uptime: isoDuration(Date.now() - startedAt),
    startedAt: new Date(startedAt).toISOString(),
    // No OpenTelemetry SDK runs in this runtime: metrics and traces are its own (see docs/control.md).
    otel: { status: 'inactive' },
    adapters: adapters.map(adapterState),
  };
}

/** `PT1H2M3.456S`, as java.time.Duration prints it (the engine's uptime format). */
export function isoDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = (total % 60_000) / 1000;
  const parts = `${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
  return `PT${parts}`;
}

let version: string | undefined;
function packageVersion(): string {
  // src/expose/control/ and dist/expose/control/ are both three levels below the package root.
  version ??= (
    JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return version;
}
