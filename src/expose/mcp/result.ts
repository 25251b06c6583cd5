// Invoke outcome or error → MCP CallToolResult: the one place MCP turns outcomes and error kinds into
// tool results. Upstream ≥ 400 and runtime errors are tool errors (isError), never protocol errors, so the
// model sees them and can correct itself (SEP-1303); only an unknown tool is a protocol error (server.ts).

import type { CallToolResult } from '@modelcontextprotocol/server';
import { isRuntimeError } from '../../errors.js';
import type { InvokeOutcome } from '../../invoke-types.js';
import type { Secrets } from '../../secrets.js';
import type { McpExposure } from '../../binding/table.js';
import { structuredFor, type Structured, type ToolOutput } from './output.js';

export type Settled =
  { readonly ok: true; readonly outcome: InvokeOutcome } | { readonly ok: false; readonly error: unknown };

/**
 * The tool result for a settled call. `structuredContent` carries the data on success and a small
 * error record on failure (`{status, code?, message?, upstream}` or `{error, kind, message, issues?}`).
 * A tool with a declared outputSchema (`output`) returns conforming structuredContent on success and none
 * on failure, where the error record would not conform (the spec forbids it; 1.x clients reject it).
 * Every text is redacted.
 */
export function toToolResult(
  settled: Settled,
  secrets: Secrets,
  output?: { readonly shape: ToolOutput; readonly tool: McpExposure },
): CallToolResult {
  if (output) {
    // Only a success with a body is typed: everything else is the untyped result, less the error record.
    if (!settled.ok || settled.outcome.status >= 400) return withoutStructured(toToolResult(settled, secrets));
    if (settled.outcome.body === undefined) return toToolResult(settled, secrets);
    const clean = scrubbedRaw(settled.outcome, secrets);
    return typed(
      output.shape,
      output.tool,
      clean ? clean.body : secrets.redactValue(settled.outcome.body),
      secrets.redactValue(settled.outcome.headers),
      clean?.text,
    );
  }
  if (!settled.ok) return fromError(settled.error, secrets);
  const { status } = settled.outcome;
  if (status < 400) {
    const clean = scrubbedRaw(settled.outcome, secrets);
    if (clean) return { content: [text(clean.text)], structuredContent: clean.body as Record<string, unknown> };
  }
  const body = secrets.redactValue(settled.outcome.body);
  // Upstream headers are as untrusted as its body (an echoing proxy); stdio has no HTTP scrubber behind this.
  const retryAfter = settled.outcome.headers['retry-after'];
  if (status >= 400) return fromUpstreamError(status, body, retryAfter && secrets.redact(retryAfter));
  if (body === undefined) return { content: [text(`OK (HTTP ${status}, no content)`)] };
  // Arrays and scalars go out as they are; the 2025-era codec wraps them as {result} (server.ts).
  return { content: [text(JSON.stringify(body))], structuredContent: body as Record<string, unknown> };
}

/**
 * The upstream's JSON text and its value, when the outcome carries the bytes (an unchanged 2xx body that
 * plain-json.ts let through) and the scrubber finds no secret in them; undefined otherwise, and the value path
 * (redactValue, JSON.stringify) decides. Those bytes have no escape in any string, so every string and key reads
 * in them exactly as JSON.stringify writes it: a secret inside one is seen here just as redactValue would see
 * it, and the parsed value needs no second walk. (Only a "secret" spanning JSON punctuation, or digits that
 * JSON.stringify would rewrite, could read differently: never a secret inside a value, and the REST route, which
 * sends these bytes scrubbed as bytes, reads them the same way.) The text is the bytes the REST route sends for
 * the same call (whitespace as the upstream wrote it: still the same JSON), without a parse-and-stringify round.
 */
function scrubbedRaw(outcome: InvokeOutcome, secrets: Secrets): { text: string; body: unknown } | undefined {
  if (!outcome.json) return undefined;
  const raw = outcome.json.toString('utf8');
  if (secrets.redact(raw) !== raw) return undefined;
  return { text: raw, body: outcome.body };
}

function typed(
  shape: ToolOutput,
  tool: McpExposure,
  body: unknown,
  headers: Readonly<Record<string, string>>,
  /** `body` as JSON text already (scrubbedRaw), so it is not serialised again. */
  bodyText?: string,
): CallToolResult {
  const structured = structuredFor(shape, body, headers, tool);
  if (!shape.check(structured.value)) {
    // A client would reject the whole result: say what broke, and still show the model the data.
    const e = shape.check.errors?.[0];
    const where = e ? `${e.instancePath || '/'} ${e.message ?? e.keyword}` : 'it does not validate';
    return {
      isError: true,
      content: [
        text(`The upstream answer does not match the response schema of its OpenAPI document (${where})`),
        text(bodyText ?? JSON.stringify(body)),
      ],
    };
  }
  return {
    content: [
      text(bodyText === undefined ? JSON.stringify(structured.value) : textOf(shape, structured, bodyText)),
      ...(structured.hint ? [text(structured.hint)] : []),
    ],
    structuredContent: structured.value,
  };
}

/** JSON.stringify(structured.value) with the body's JSON text spliced in where the body goes. */
function textOf(shape: ToolOutput, structured: Structured, bodyText: string): string {
  if (!shape.wrapped) return bodyText;
  const { pagination } = structured.value;
  return pagination === undefined
    ? `{"result":${bodyText}}`
    : `{"result":${bodyText},"pagination":${JSON.stringify(pagination)}}`;
}

function withoutStructured(result: CallToolResult): CallToolResult {
  const { structuredContent: _drop, ...rest } = result;
  return rest;
}

function fromUpstreamError(status: number, body: unknown, retryAfter: string | undefined): CallToolResult {
  const { code, message } = codeAndMessage(body);
  const summary = [code, message].filter(Boolean).join(' — ');
  const lines = [`Upstream returned HTTP ${status}${summary ? `: ${summary}` : ''}`];
  if (body !== undefined) lines.push(typeof body === 'string' ? body : JSON.stringify(body));
  // REST callers get the header; a model only sees this text, so tell it when to come back.
  if (retryAfter) lines.push(/^\d+$/.test(retryAfter) ? `Retry after ${retryAfter} s.` : `Retry after ${retryAfter}.`);
  return {
    isError: true,
    content: [text(lines.join('\n'))],
    structuredContent: {
      status,
      ...(code ? { code } : {}),
      ...(message ? { message } : {}),
      ...(retryAfter ? { retryAfter } : {}),
      ...(body !== undefined ? { upstream: body } : {}),
    },
  };
}

function fromError(err: unknown, secrets: Secrets): CallToolResult {
  if (!isRuntimeError(err)) {
    // Anything else is our bug: say so without leaking its message or stack (the caller logs it).
    return {
      isError: true,
      content: [text('Internal error while calling the tool (NAF_ERR_INTERNAL)')],
      structuredContent: { error: 'NAF_ERR_INTERNAL', kind: 'internal', message: 'Internal error' },
    };
  }
  const message = secrets.redact(err.message);
  return {
    isError: true,
    // Input errors already name the arguments; a code would only distract the model there.
    content: [text(err.kind === 'input' ? message : `${message} (${err.code})`)],
    structuredContent: {
      error: err.code,
      kind: err.kind,
      message,
      ...(err.details.issues ? { issues: secrets.redactValue(err.details.issues) } : {}),
      ...(err.details.step ? { step: err.details.step } : {}),
      ...(err.details.upstreamStatus !== undefined ? { upstreamStatus: err.details.upstreamStatus } : {}),
    },
  };
}

/** Logto (and most APIs) answer errors as `{code, message}`; pick them out when present. */
function codeAndMessage(body: unknown): { code?: string; message?: string } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  return {
    ...(typeof b['code'] === 'string' || typeof b['code'] === 'number' ? { code: String(b['code']) } : {}),
    ...(typeof b['message'] === 'string' ? { message: b['message'] } : {}),
  };
}

function text(value: string): { type: 'text'; text: string } {
  return { type: 'text', text: value };
}
