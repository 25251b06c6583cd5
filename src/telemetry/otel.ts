// The OpenTelemetry SDK behind CallTracer: a SERVER span per call, a CLIENT span per upstream request, W3C
// trace context in and out, OTLP/HTTP (protobuf) export. Imported only when tracing is on (settings.ts).
// The provider is not registered globally: nothing else in the process is traced through it by accident.

import { AsyncLocalStorage } from 'node:async_hooks';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_SERVICE_NAME,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import type { Binding, McpExposure, RestExposure } from '../binding/table.js';
import { httpStatusOf, isRuntimeError } from '../errors.js';
import type { InvokeOutcome } from '../invoke-types.js';
import type { SamplerName, TelemetrySettings } from './settings.js';
import type { CallTracer, InboundTrace } from './types.js';

/** Our own attributes (no semantic convention covers them). */
export const ATTR = {
  binding: 'naftiko.binding.id',
  upstreamStatus: 'naftiko.upstream.status_code',
  upstreamNamespace: 'naftiko.upstream.namespace',
  errorCode: 'naftiko.error.code',
} as const;

const getter: TextMapGetter<InboundTrace> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => (key === 'traceparent' || key === 'tracestate' ? carrier[key] : undefined),
};
const setter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

export function createTracer(settings: TelemetrySettings): CallTracer {
  const exporter = new OTLPTraceExporter({
    url: settings.url,
    headers: { ...settings.headers },
    ...(settings.timeoutMs ? { timeoutMillis: settings.timeoutMs } : {}),
  });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ ...settings.resource, [ATTR_SERVICE_NAME]: settings.serviceName }),
    sampler: samplerOf(settings.sampler, settings.ratio),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('naftiko-runtime');
  const propagator = new W3CTraceContextPropagator();
  // The call span's context, for the upstream requests the call makes (however deep in the plan runner).
  const current = new AsyncLocalStorage<Context>();

  return {
    wrap: (invoke) => async (binding, raw, ctx) => {
      const parent = ctx.trace?.traceparent ? propagator.extract(ROOT_CONTEXT, ctx.trace, getter) : ROOT_CONTEXT;
      const span = tracer.startSpan(
        callName(binding),
        { kind: SpanKind.SERVER, attributes: callAttributes(binding) },
        parent,
      );
      try {
        const outcome = await current.run(trace.setSpan(parent, span), () => invoke(binding, raw, ctx));
        settle(span, binding, outcome);
        return outcome;
      } catch (err) {
        fail(span, binding, err);
        throw err;
      } finally {
        span.end();
      }
    },
    upstream: async (exchange, send) => {
      const parent = current.getStore() ?? ROOT_CONTEXT;
      const url = new URL(exchange.url);
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const span = tracer.startSpan(
        exchange.method,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            [ATTR_HTTP_REQUEST_METHOD]: exchange.method,
            [ATTR_SERVER_ADDRESS]: url.hostname,
            [ATTR_SERVER_PORT]: port,
            [ATTR_URL_FULL]: url.href,
            [ATTR.upstreamNamespace]: exchange.namespace,
            ...(exchange.attempt > 1 ? { [ATTR_HTTP_REQUEST_RESEND_COUNT]: exchange.attempt - 1 } : {}),
          },
        },
        parent,
      );
      const headers: Record<string, string> = {};
      propagator.inject(trace.setSpan(parent, span), headers, setter);
      try {
        const res = await send(headers);
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.status);
        if (res.status >= 400) {
          span.setAttribute(ATTR_ERROR_TYPE, String(res.status));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        return res;
      } catch (err) {
        // Before the consumer classifies it: undici's code (UND_ERR_*), a socket's (ECONNREFUSED) or the abort.
        const e = err as { code?: unknown; name?: unknown };
        const type = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Error';
        span.setAttribute(ATTR_ERROR_TYPE, type);
        span.setStatus({ code: SpanStatusCode.ERROR, message: type });
        throw err;
      } finally {
        span.end();
      }
    },
    shutdown: () => provider.shutdown(),
  };
}

/** HTTP server span names are `{method} {route}`; MCP's are `{mcp.method.name} {tool or resource}`. */
function callName(b: Binding): string {
  if (b.expose.kind === 'rest') return `${(b.expose as RestExposure).method} ${(b.expose as RestExposure).path}`;
  if (b.expose.kind === 'mcp') return `${mcpMethod(b)} ${(b.expose as McpExposure).name}`;
  return b.id;
}

/** A dynamic MCP resource runs a plan like a tool; its binding id says which it is (binding/mcp-items.ts). */
function mcpMethod(b: Binding): 'tools/call' | 'resources/read' {
  return b.id === `${b.expose.namespace}.resource.${(b.expose as McpExposure).name}` ? 'resources/read' : 'tools/call';
}

function callAttributes(b: Binding): Attributes {
  if (b.expose.kind === 'rest') {
    const e = b.expose as RestExposure;
    return { [ATTR.binding]: b.id, [ATTR_HTTP_REQUEST_METHOD]: e.method, [ATTR_HTTP_ROUTE]: e.path };
  }
  if (b.expose.kind === 'mcp') {
    const name = (b.expose as McpExposure).name;
    const method = mcpMethod(b);
    // The MCP and GenAI semantic conventions (development status): method, tool name, operation.
    return method === 'tools/call'
      ? {
          [ATTR.binding]: b.id,
          'mcp.method.name': method,
          'gen_ai.tool.name': name,
          'gen_ai.operation.name': 'execute_tool',
        }
      : { [ATTR.binding]: b.id, 'mcp.method.name': method };
  }
  return { [ATTR.binding]: b.id };
}

function settle(span: Span, b: Binding, outcome: InvokeOutcome): void {
  if (outcome.upstreamStatus !== undefined) span.setAttribute(ATTR.upstreamStatus, outcome.upstreamStatus);
  if (b.expose.kind === 'rest') span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, outcome.status);
  // A server span is an error for a 5xx only: a 4xx is the caller's (or the upstream's verdict on it).
  if (outcome.status >= 500) {
    span.setAttribute(ATTR_ERROR_TYPE, String(outcome.status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

function fail(span: Span, b: Binding, err: unknown): void {
  const code = isRuntimeError(err) ? err.code : 'NAF_ERR_INTERNAL';
  span.setAttributes({ [ATTR.errorCode]: code, [ATTR_ERROR_TYPE]: code });
  const status = isRuntimeError(err) ? httpStatusOf(err) : 500;
  if (b.expose.kind === 'rest') span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
  // The code, not the message: a message may quote an argument value (an e-mail).
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}

function samplerOf(name: SamplerName, ratio: number): Sampler {
  const root: Record<SamplerName, () => Sampler> = {
    always_on: () => new AlwaysOnSampler(),
    always_off: () => new AlwaysOffSampler(),
    traceidratio: () => new TraceIdRatioBasedSampler(ratio),
    parentbased_always_on: () => new ParentBasedSampler({ root: new AlwaysOnSampler() }),
    parentbased_always_off: () => new ParentBasedSampler({ root: new AlwaysOffSampler() }),
    parentbased_traceidratio: () => new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
  };
  return root[name]();
}
