// Scenarios from the reference engine's ControlServerAdapterTest (isMetricsEnabled / isTracesEnabled)
// and ControlServerSpecTest (defaults, logs in both forms, scripting), ikanos v1.0.0-alpha2.
import { describe, expect, it } from 'vitest';
import { controlRoutes, controlSettings } from './settings.js';

const entry = (extra: Record<string, unknown> = {}) => ({ type: 'control', port: 9100, ...extra });

describe('controlSettings', () => {
  it('defaults: health on, info off, metrics and traces on with a buffer of 100, no scripting', () => {
    const s = controlSettings(entry());
    expect(s).toEqual({
      health: true,
      info: false,
      metrics: true,
      traces: { enabled: true, bufferSize: 100, sampling: 1 },
      scripting: false,
      unsupported: [],
    });
    expect(controlRoutes(s)).toEqual(['/health/live', '/health/ready', '/metrics', '/traces', '/traces/{id}']);
  });

  it.each([
    [{}, true, true],
    [{ enabled: true }, true, true],
    [{ enabled: false }, false, false],
    [{ metrics: { local: { enabled: false } } }, false, true],
    [{ traces: { local: { enabled: false } } }, true, false],
    [{ enabled: false, metrics: { local: { enabled: true } } }, false, false],
  ])('observability %j → metrics %s, traces %s', (observability, metrics, traces) => {
    const s = controlSettings(entry({ observability }));
    expect(s.metrics).toBe(metrics);
    expect(s.traces.enabled).toBe(traces);
  });

  it('reads info, health, buffer-size and sampling', () => {
    const s = controlSettings(
      entry({
        management: { health: false, info: true },
        observability: { traces: { sampling: 0.5, local: { enabled: true, 'buffer-size': 200 } } },
      }),
    );
    expect(s).toMatchObject({ health: false, info: true, traces: { enabled: true, bufferSize: 200, sampling: 0.5 } });
    expect(controlRoutes(s)).toEqual(['/status', '/metrics', '/traces', '/traces/{id}']);
  });

  it('a scripting block turns /scripting on', () => {
    expect(controlSettings(entry({ management: { scripting: { enabled: true } } })).scripting).toBe(true);
    expect(controlSettings(entry({ management: { health: true } })).scripting).toBe(false);
  });

  it('names what it does not serve: reload, validate, logs (true or an object with level control or stream), OTLP, propagation', () => {
    const s = controlSettings(
      entry({
        management: { reload: true, validate: true, logs: { stream: true, 'max-subscribers': 10 } },
        observability: { traces: { propagation: 'b3' }, exporters: { otlp: { endpoint: 'http://c:4317' } } },
      }),
    );
    expect(s.unsupported.map((u) => u.split(' ')[0])).toEqual([
      'management.reload',
      'management.validate',
      'management.logs',
      'observability.exporters.otlp:',
      'observability.traces.propagation:',
    ]);
    expect(controlSettings(entry({ management: { logs: true } })).unsupported).toHaveLength(1);
    expect(controlSettings(entry({ management: { logs: false } })).unsupported).toEqual([]);
    expect(
      controlSettings(entry({ management: { logs: { 'level-control': false, stream: false } } })).unsupported,
    ).toEqual([]);
    expect(controlSettings(entry({ management: { reload: false, validate: false } })).unsupported).toEqual([]);
  });
});
