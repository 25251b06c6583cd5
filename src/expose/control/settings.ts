// The control adapter's settings, read once from its exposes entry with the reference engine's defaults
// (ControlManagementSpec, ObservabilitySpec): health on, info off, metrics and traces on unless
// `observability.enabled: false` or their `local.enabled: false`, a trace buffer of 100.
// What the file asks for and this runtime does not do is listed, so start-up can warn about each.

export interface ControlSettings {
  /** `/health/live` and `/health/ready`. */
  readonly health: boolean;
  /** `/status`. */
  readonly info: boolean;
  /** `/metrics`. */
  readonly metrics: boolean;
  /** `/traces` and `/traces/{id}`: the last `bufferSize` calls, each kept with probability `sampling`. */
  readonly traces: { readonly enabled: boolean; readonly bufferSize: number; readonly sampling: number };
  /** `/scripting`: only when the entry has a `management.scripting` block, as in the engine. */
  readonly scripting: boolean;
  /** Settings written in the file that are not served, each naming the field and why. */
  readonly unsupported: readonly string[];
}

export const DEFAULT_TRACE_BUFFER = 100;

type Rec = Record<string, unknown>;

export function controlSettings(entry: Readonly<Rec>): ControlSettings {
  const management = rec(entry['management']);
  const observability = rec(entry['observability']);
  const on = observability?.['enabled'] !== false;
  const metricsLocal = rec(rec(observability?.['metrics'])?.['local']);
  const traces = rec(observability?.['traces']);
  const tracesLocal = rec(traces?.['local']);
  const bufferSize = tracesLocal?.['buffer-size'];
  const sampling = traces?.['sampling'];
  return {
    health: management?.['health'] !== false,
    info: management?.['info'] === true,
    metrics: on && metricsLocal?.['enabled'] !== false,
    traces: {
      enabled: on && tracesLocal?.['enabled'] !== false,
      bufferSize:
        typeof bufferSize === 'number' && Number.isInteger(bufferSize) && bufferSize >= 1
          ? bufferSize
          : DEFAULT_TRACE_BUFFER,
      sampling: typeof sampling === 'number' && sampling >= 0 && sampling <= 1 ? sampling : 1,
    },
    scripting: rec(management?.['scripting']) !== undefined,
    unsupported: unsupported(management, observability),
  };
}

function unsupported(management: Rec | undefined, observability: Rec | undefined): string[] {
  const out: string[] = [];
  if (management?.['reload'] === true)
    out.push('management.reload (POST /config/reload): send SIGHUP or start with --watch to reload (docs/reload.md)');
  if (management?.['validate'] === true)
    out.push('management.validate (POST /config/validate): use `runtime validate <file>`');
  const logs = management?.['logs'];
  if (logs === true || (rec(logs) && (rec(logs)?.['level-control'] !== false || rec(logs)?.['stream'] === true)))
    out.push('management.logs (/logs level control and streaming): set the level with --log-level or LOG_LEVEL');
  if (rec(observability?.['exporters'])?.['otlp'] !== undefined)
    out.push(
      'observability.exporters.otlp: the file does not configure export; the OTEL_* variables do (docs/telemetry.md)',
    );
  if (rec(observability?.['traces'])?.['propagation'] !== undefined)
    out.push(
      'observability.traces.propagation: not read; W3C trace context goes upstream when OTEL_* turns tracing on (docs/telemetry.md)',
    );
  return out;
}

/** The routes a control adapter with these settings serves, for the banner and the 404 hint. */
export function controlRoutes(s: ControlSettings): string[] {
  return [
    ...(s.health ? ['/health/live', '/health/ready'] : []),
    ...(s.info ? ['/status'] : []),
    ...(s.metrics ? ['/metrics'] : []),
    ...(s.traces.enabled ? ['/traces', '/traces/{id}'] : []),
    ...(s.scripting ? ['/scripting'] : []),
  ];
}

function rec(value: unknown): Rec | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Rec) : undefined;
}
