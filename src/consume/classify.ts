// undici and socket failures → our error codes. The only place that knows UND_ERR_* names.

import { RuntimeError, type ErrorCode } from '../errors.js';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EADDRNOTAVAIL']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);
const TIMEOUT = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
// A header block past undici's limit is the upstream's answer, just too big: not "unreachable", and
// retrying would send an already-answered request again.
const INVALID = new Set(['UND_ERR_INFO', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'UND_ERR_HEADERS_OVERFLOW']);
/** Stands for undici's HTTPParserError, which arrives without a code. */
const PARSER_ERROR = 'HPE_INVALID';

/** Why a call was aborted: the caller left, or our own deadline passed. */
export type AbortCause = 'caller' | 'deadline';

export function classify(err: unknown, upstream: string, aborted: AbortCause | undefined): RuntimeError {
  if (err instanceof RuntimeError) return err;
  if (aborted === 'deadline')
    return make('NAF_ERR_UPSTREAM_TIMEOUT', `Upstream '${upstream}' did not answer within the call deadline`, err);
  if (aborted === 'caller') return make('NAF_ERR_CANCELLED', 'The caller cancelled the call', err);
  const code = codeOf(err);
  if (TIMEOUT.has(code))
    return make('NAF_ERR_UPSTREAM_TIMEOUT', `Upstream '${upstream}' timed out (${describe(code)})`, err);
  if (UNREACHABLE.has(code))
    return make('NAF_ERR_UPSTREAM_UNREACHABLE', `Upstream '${upstream}' is unreachable (${code})`, err);
  if (RESET.has(code))
    return make(
      'NAF_ERR_UPSTREAM_RESET',
      `Upstream '${upstream}' closed the connection before answering in full (${code})`,
      err,
    );
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE')
    return make(
      'NAF_ERR_UPSTREAM_RESPONSE_TOO_LARGE',
      `Upstream '${upstream}' sent a response over the size limit`,
      err,
    );
  if (code.startsWith('HPE_') || INVALID.has(code))
    return make(
      'NAF_ERR_UPSTREAM_INVALID_RESPONSE',
      `Upstream '${upstream}' sent an invalid HTTP response (${code})`,
      err,
    );
  return make('NAF_ERR_UPSTREAM_UNREACHABLE', `Upstream '${upstream}' call failed (${code || 'unknown error'})`, err);
}

/** A connect timeout: no connection was made, so nothing was sent (unlike a headers or body timeout). */
export function neverConnected(err: RuntimeError): boolean {
  return err.code === 'NAF_ERR_UPSTREAM_TIMEOUT' && codeOf(err.cause) === 'UND_ERR_CONNECT_TIMEOUT';
}

function codeOf(err: unknown): string {
  if (!err || typeof err !== 'object') return '';
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string') return e.code;
  // undici 7 looks llhttp's error number up in a name → number table, so its parser errors have no code;
  // without this a garbled response would read as "unreachable" and be retried.
  if ((err as { name?: unknown }).name === 'HTTPParserError') return PARSER_ERROR;
  // Connection errors may arrive wrapped (AggregateError from happy-eyeballs, or a cause chain).
  if (Array.isArray(e.errors) && e.errors.length) return codeOf(e.errors[0]);
  return e.cause ? codeOf(e.cause) : '';
}

function describe(code: string): string {
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connect timeout';
    case 'UND_ERR_HEADERS_TIMEOUT':
      return 'no response headers in time';
    case 'UND_ERR_BODY_TIMEOUT':
      return 'response body stalled';
    default:
      return code;
  }
}

function make(code: ErrorCode, message: string, cause: unknown): RuntimeError {
  return new RuntimeError(code, message, {}, { cause });
}
