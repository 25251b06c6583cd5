// A local OTLP/HTTP traces receiver: POST /v1/traces with an http/protobuf ExportTraceServiceRequest,
// decoded with protobufjs from the fields of opentelemetry-proto (trace/v1, common/v1, resource/v1) we read.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';

const PROTO = `
syntax = "proto3";
message AnyValue {
  oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; }
}
message KeyValue { string key = 1; AnyValue value = 2; }
message Resource { repeated KeyValue attributes = 1; }
message Status { string message = 2; int32 code = 3; }
message Span {
  bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; string name = 5;
  int32 kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9; Status status = 15;
}
message ScopeSpans { repeated Span spans = 2; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
`;

const Request = protobuf.parse(PROTO, { keepCase: true }).root.lookupType('ExportTraceServiceRequest');

/** OTLP span kinds. */
export const KIND = { server: 2, client: 3 } as const;
/** OTLP status codes. */
export const STATUS = { unset: 0, ok: 1, error: 2 } as const;

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly status: { readonly code: number; readonly message: string };
  readonly resource: Readonly<Record<string, string | number | boolean>>;
}

export interface OtlpReceiver {
  /** The base endpoint (OTEL_EXPORTER_OTLP_ENDPOINT): spans are posted to `${url}/v1/traces`. */
  readonly url: string;
  readonly spans: ReceivedSpan[];
  /** Content types of the export requests received. */
  readonly contentTypes: string[];
  close(): Promise<void>;
}

interface RawKeyValue {
  key: string;
  value?: {
    string_value?: string;
    bool_value?: boolean;
    int_value?: number | { toNumber(): number };
    double_value?: number;
  };
}

function attributes(list: readonly RawKeyValue[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    const v = value?.string_value ?? value?.bool_value ?? value?.double_value ?? value?.int_value;
    if (v !== undefined) out[key] = typeof v === 'object' ? v.toNumber() : v;
  }
  return out;
}

const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString('hex');

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const contentTypes: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      contentTypes.push(String(req.headers['content-type']));
      const decoded = Request.toObject(Request.decode(Buffer.concat(chunks)), { defaults: false }) as {
        resource_spans?: Array<{
          resource?: { attributes?: RawKeyValue[] };
          scope_spans?: Array<{ spans?: Array<Record<string, unknown>> }>;
        }>;
      };
      for (const rs of decoded.resource_spans ?? []) {
        const resource = attributes(rs.resource?.attributes);
        for (const ss of rs.scope_spans ?? [])
          for (const s of ss.spans ?? []) {
            const status = (s['status'] ?? {}) as { code?: number; message?: string };
            spans.push({
              traceId: hex(s['trace_id'] as Uint8Array),
              spanId: hex(s['span_id'] as Uint8Array),
              parentSpanId: hex(s['parent_span_id'] as Uint8Array | undefined),
              name: String(s['name']),
              kind: Number(s['kind'] ?? 0),
              attributes: attributes(s['attributes'] as RawKeyValue[]),
              status: { code: status.code ?? 0, message: status.message ?? '' },
              resource,
            });
          }
      }
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    contentTypes,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
