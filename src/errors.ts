// The one catalogue of errors the runtime itself raises. Each has a stable code and a kind;
// adapters render kinds (REST: problem+json status, MCP: tool error or protocol error), never codes ad hoc.

export type ErrorKind =
  | 'input' // the caller's arguments are wrong
  | 'route' // no such REST route / MCP tool
  | 'method' // route exists, method does not
  | 'too_large' // request body over the limit
  | 'uri_too_long' // a path segment over the router's limit
  | 'headers_too_large' // request line + headers over Node's limit
  | 'media_type' // request body not JSON
  | 'unauthorized' // inbound credentials missing or wrong
  | 'forbidden' // Host or Origin outside the allow-list (DNS-rebinding protection)
  | 'upstream_unreachable'
  | 'upstream_timeout'
  | 'upstream_invalid' // unparseable, or over the response size limit
  | 'upstream_step' // an orchestration step's upstream answered an error
  | 'upstream_credentials' // the upstream refused the runtime's own credentials (401/403), not the caller's
  | 'config' // a start-up setting is missing
  | 'not_ready'
  | 'overloaded' // a limit on concurrent calls, queued calls or buffered bytes is reached: shed, try again
  | 'rate_limited' // the caller's quota for this route or tool is used up
  | 'script' // a script step failed or hit one of its limits
  | 'internal';

export interface ErrorDef {
  readonly kind: ErrorKind;
  readonly title: string;
}

export const ERRORS = {
  NAF_ERR_INVALID_ARGUMENT: { kind: 'input', title: 'Invalid argument' },
  NAF_ERR_MISSING_ARGUMENT: { kind: 'input', title: 'Missing argument' },
  NAF_ERR_INVALID_JSON: { kind: 'input', title: 'Request body is not valid JSON' },
  NAF_ERR_DUPLICATE_PARAMETER: { kind: 'input', title: 'Parameter given more than once' },
  NAF_ERR_MALFORMED_REQUEST: { kind: 'input', title: 'Malformed HTTP request' },
  NAF_ERR_UNSAFE_PATH: { kind: 'input', title: 'Unsafe file path' },
  NAF_ERR_ROUTE_NOT_FOUND: { kind: 'route', title: 'No such route' },
  NAF_ERR_TOOL_NOT_FOUND: { kind: 'route', title: 'No such tool' },
  NAF_ERR_SKILL_NOT_FOUND: { kind: 'route', title: 'No such skill' },
  NAF_ERR_SKILL_FILE_NOT_FOUND: { kind: 'route', title: 'No such skill file' },
  NAF_ERR_METHOD_NOT_ALLOWED: { kind: 'method', title: 'Method not allowed' },
  NAF_ERR_BODY_TOO_LARGE: { kind: 'too_large', title: 'Request body too large' },
  NAF_ERR_URI_TOO_LONG: { kind: 'uri_too_long', title: 'URI too long' },
  NAF_ERR_HEADERS_TOO_LARGE: { kind: 'headers_too_large', title: 'Request headers too large' },
  NAF_ERR_UNSUPPORTED_MEDIA_TYPE: { kind: 'media_type', title: 'Unsupported media type' },
  NAF_ERR_UNAUTHORIZED: { kind: 'unauthorized', title: 'Unauthorized' },
  NAF_ERR_FORBIDDEN_HOST: { kind: 'forbidden', title: 'Host or Origin not allowed' },
  NAF_ERR_INSUFFICIENT_SCOPE: { kind: 'forbidden', title: 'Access token lacks a required scope' },
  NAF_ERR_AUTH_SERVER_UNAVAILABLE: { kind: 'not_ready', title: 'Authorization server unavailable' },
  NAF_ERR_UPSTREAM_UNREACHABLE: { kind: 'upstream_unreachable', title: 'Upstream unreachable' },
  NAF_ERR_UPSTREAM_RESET: { kind: 'upstream_unreachable', title: 'Upstream connection reset' },
  NAF_ERR_UPSTREAM_TIMEOUT: { kind: 'upstream_timeout', title: 'Upstream timed out' },
  NAF_ERR_UPSTREAM_INVALID_RESPONSE: { kind: 'upstream_invalid', title: 'Upstream sent an invalid response' },
  NAF_ERR_UPSTREAM_RESPONSE_TOO_LARGE: { kind: 'upstream_invalid', title: 'Upstream response too large' },
  NAF_ERR_UPSTREAM_AUTH: { kind: 'upstream_unreachable', title: 'Could not obtain upstream credentials' },
  NAF_ERR_UPSTREAM_CREDENTIALS_REFUSED: {
    kind: 'upstream_credentials',
    title: "Upstream refused the runtime's credentials",
  },
  NAF_ERR_STEP_FAILED: { kind: 'upstream_step', title: 'An orchestration step failed' },
  NAF_ERR_CONFIG: { kind: 'config', title: 'Runtime not configured' },
  NAF_ERR_NOT_READY: { kind: 'not_ready', title: 'Not ready' },
  NAF_ERR_OVERLOADED: { kind: 'overloaded', title: 'Overloaded: call shed' },
  NAF_ERR_RATE_LIMITED: { kind: 'rate_limited', title: 'Rate limit reached' },
  NAF_ERR_SCRIPT_FAILED: { kind: 'script', title: 'Script step failed' },
  NAF_ERR_SCRIPT_LIMIT: { kind: 'script', title: 'Script step exceeded a limit' },
  NAF_ERR_CANCELLED: { kind: 'internal', title: 'Call cancelled by the caller' },
  NAF_ERR_INTERNAL: { kind: 'internal', title: 'Internal error' },
} as const satisfies Record<string, ErrorDef>;

export type ErrorCode = keyof typeof ERRORS;

/** An error the runtime raises itself (not an upstream 4xx/5xx, which is an outcome, not an error). */
export class RuntimeError extends Error {
  override readonly name = 'RuntimeError';
  readonly kind: ErrorKind;
  readonly title: string;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: {
      argument?: string;
      issues?: ReadonlyArray<{ argument: string; message: string }>;
      allow?: readonly string[];
      retryAfter?: string;
      /** The orchestration step at fault. */
      step?: string;
      /** What the step's upstream answered. */
      upstreamStatus?: number;
      /** The HTTP status to answer with, for kinds whose status depends on the upstream's. */
      status?: number;
    } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.kind = ERRORS[code].kind;
    this.title = ERRORS[code].title;
  }
}

export function isRuntimeError(err: unknown): err is RuntimeError {
  return err instanceof RuntimeError;
}

const STATUS: Record<ErrorKind, number> = {
  input: 400,
  unauthorized: 401,
  forbidden: 403,
  route: 404,
  method: 405,
  too_large: 413,
  uri_too_long: 414,
  media_type: 415,
  headers_too_large: 431,
  upstream_unreachable: 502,
  upstream_invalid: 502,
  upstream_step: 502,
  upstream_credentials: 502,
  config: 503,
  not_ready: 503,
  overloaded: 503,
  rate_limited: 429,
  upstream_timeout: 504,
  script: 500,
  internal: 500,
};

/** The HTTP status of a runtime error, the same on every adapter. */
export function httpStatusOf(err: RuntimeError): number {
  if (err.code === 'NAF_ERR_CANCELLED') return 499;
  return err.kind === 'upstream_step' && err.details.status ? err.details.status : STATUS[err.kind];
}
