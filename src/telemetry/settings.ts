// OpenTelemetry configuration from the standard OTEL_* environment variables (docs/telemetry.md). Off unless
// OTEL_TRACES_EXPORTER names otlp (or is unset while an OTLP endpoint is set); then the SDK is imported,
// and only then: a runtime without tracing never loads it.

import { ConfigError } from '../config.js';
import type { CallTracer } from './types.js';

export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

export interface TelemetrySettings {
  /** The OTLP/HTTP traces endpoint, e.g. http://collector:4318/v1/traces. */
  readonly url: string;
  /** Sent with every export (a collector's API key): treated as secrets. */
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
  readonly resource: Readonly<Record<string, string>>;
  readonly sampler: SamplerName;
  /** traceidratio's ratio, 0..1. */
  readonly ratio: number;
  readonly timeoutMs?: number;
}

export interface TelemetryChoice {
  /** Absent: tracing is off. */
  readonly settings?: TelemetrySettings;
  /** To log once the logger exists. */
  readonly warnings: readonly string[];
}

export const DEFAULT_SERVICE_NAME = 'naftiko-runtime';

/** No settings when tracing is off; a ConfigError names the variable when a value is wrong. */
export function telemetrySettings(env: NodeJS.ProcessEnv): TelemetryChoice {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return { warnings: [] };
  const endpoint = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  const warnings: string[] = [];
  const exporters = list(env['OTEL_TRACES_EXPORTER']);
  if (exporters.length === 0 && !endpoint) return { warnings };
  const others = exporters.filter((e) => e !== 'otlp' && e !== 'none');
  if (others.length)
    warnings.push(`OTEL_TRACES_EXPORTER: ${others.join(', ')} not supported (only otlp over HTTP): ignored`);
  if (exporters.length && !exporters.includes('otlp')) return { warnings };
  const protocol = env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'] || env['OTEL_EXPORTER_OTLP_PROTOCOL'] || 'http/protobuf';
  if (protocol === 'grpc')
    throw new ConfigError(
      'OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported: use http/protobuf (a collector listens for it on port 4318)',
    );
  if (protocol === 'http/json')
    warnings.push(
      'OTEL_EXPORTER_OTLP_PROTOCOL=http/json: spans are sent as http/protobuf, which every OTLP/HTTP receiver accepts',
    );
  else if (protocol !== 'http/protobuf')
    throw new ConfigError(`OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf (or http/json), got '${protocol}'`);
  const sampler = (env['OTEL_TRACES_SAMPLER'] || 'parentbased_always_on') as SamplerName;
  if (!SAMPLERS.includes(sampler))
    throw new ConfigError(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}, got '${sampler}'`);
  const resource = keyValues(env['OTEL_RESOURCE_ATTRIBUTES'], 'OTEL_RESOURCE_ATTRIBUTES');
  const timeout = env['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT'] || env['OTEL_EXPORTER_OTLP_TIMEOUT'];
  const settings: TelemetrySettings = {
    url: tracesUrl(env),
    headers: {
      ...keyValues(env['OTEL_EXPORTER_OTLP_HEADERS'], 'OTEL_EXPORTER_OTLP_HEADERS'),
      ...keyValues(env['OTEL_EXPORTER_OTLP_TRACES_HEADERS'], 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'),
    },
    serviceName: env['OTEL_SERVICE_NAME'] || resource['service.name'] || DEFAULT_SERVICE_NAME,
    resource,
    sampler,
    ratio: ratioOf(env['OTEL_TRACES_SAMPLER_ARG'], sampler),
    ...(timeout ? { timeoutMs: positive(timeout, 'OTEL_EXPORTER_OTLP_TIMEOUT') } : {}),
  };
  return { settings, warnings };
}

/** Starts the tracer (importing the SDK) when the settings say so. */
export async function startTelemetry(settings: TelemetrySettings | undefined): Promise<CallTracer | undefined> {
  if (!settings) return undefined;
  const { createTracer } = await import('./otel.js');
  return createTracer(settings);
}

function tracesUrl(env: NodeJS.ProcessEnv): string {
  const own = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  // The signal-specific endpoint is used as given; the general one gets the signal's path (OTLP spec).
  const text = own || (base ? `${base.replace(/\/+$/, '')}/v1/traces` : 'http://localhost:4318/v1/traces');
  const name = own ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // reported below, with the variable's name
  }
  throw new ConfigError(`${name} must be an http(s) URL, got '${text}'`);
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/** `k1=v1,k2=v2` with percent-encoded values (the W3C Baggage form the OTel spec uses for these variables). */
function keyValues(value: string | undefined, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    if (!pair.trim()) continue;
    const at = pair.indexOf('=');
    if (at <= 0) throw new ConfigError(`${name}: '${pair.trim()}' is not key=value`);
    try {
      out[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      throw new ConfigError(`${name}: the value of '${pair.slice(0, at).trim()}' is not valid percent-encoding`);
    }
  }
  return out;
}

function ratioOf(arg: string | undefined, sampler: SamplerName): number {
  if (!sampler.endsWith('traceidratio')) return 1;
  if (arg === undefined || arg === '') return 1;
  const n = Number(arg);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new ConfigError(`OTEL_TRACES_SAMPLER_ARG must be a ratio between 0 and 1, got '${arg}'`);
  return n;
}

function positive(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(`${name} must be a positive number of milliseconds`);
  return n;
}
