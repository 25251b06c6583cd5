// OTEL_* environment → tracing settings: off by default, the OTLP spec's endpoint rules, refusals that name
// the variable.

import { describe, expect, it } from 'vitest';
import { telemetrySettings } from '../../src/telemetry/settings.js';

describe('telemetrySettings', () => {
  it.each([
    ['nothing set', {}],
    ['OTEL_TRACES_EXPORTER=none', { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }],
    ['OTEL_SDK_DISABLED=true', { OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }],
  ])('is off with %s', (_name, env) => {
    expect(telemetrySettings(env).settings).toBeUndefined();
  });

  it('otlp: the general endpoint gets /v1/traces, the traces endpoint is used as given', () => {
    expect(telemetrySettings({ OTEL_TRACES_EXPORTER: 'otlp' }).settings?.url).toBe('http://localhost:4318/v1/traces');
    expect(
      telemetrySettings({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://c.example:4318/' })
        .settings?.url,
    ).toBe('https://c.example:4318/v1/traces');
    expect(
      telemetrySettings({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:9999/custom',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x',
      }).settings?.url,
    ).toBe('http://c:9999/custom');
  });

  it('reads service name, resource attributes, headers and the sampler', () => {
    const { settings } = telemetrySettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-resource,team=id%20p',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    expect(settings).toMatchObject({
      serviceName: 'from-resource',
      resource: { team: 'id p' },
      headers: { 'x-api-key': 'abc=' },
      sampler: 'parentbased_traceidratio',
      ratio: 0.25,
    });
    expect(telemetrySettings({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SERVICE_NAME: 'svc' }).settings?.serviceName).toBe(
      'svc',
    );
    expect(telemetrySettings({ OTEL_TRACES_EXPORTER: 'otlp' }).settings?.serviceName).toBe('naftiko-runtime');
  });

  it('warns about what it does not do instead of failing silently', () => {
    expect(telemetrySettings({ OTEL_TRACES_EXPORTER: 'zipkin' })).toEqual({
      warnings: ['OTEL_TRACES_EXPORTER: zipkin not supported (only otlp over HTTP): ignored'],
    });
    const json = telemetrySettings({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    expect(json.settings).toBeDefined();
    expect(json.warnings[0]).toMatch(/http\/json: spans are sent as http\/protobuf/);
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, /grpc is not supported: use http\/protobuf/],
    [{ OTEL_TRACES_SAMPLER: 'sometimes' }, /OTEL_TRACES_SAMPLER must be one of/],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' }, /OTEL_TRACES_SAMPLER_ARG must be a ratio/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://c' }, /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/],
    [{ OTEL_EXPORTER_OTLP_HEADERS: 'novalue' }, /OTEL_EXPORTER_OTLP_HEADERS: 'novalue' is not key=value/],
  ])('refuses %o', (env, message) => {
    expect(() => telemetrySettings({ OTEL_TRACES_EXPORTER: 'otlp', ...env })).toThrow(message);
  });
});
