// The parity table: each case is one intent expressed twice, as a REST call and as an MCP tool call,
// with the upstream answer to script and what both adapters must make of it. Data only.

import { DEFAULT_RETRY } from '../../src/consume/retry.js';
import type { ErrorCode } from '../../src/errors.js';
import type { UpstreamAnswer } from '../helpers/recording-upstream.js';

export interface RestCall {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The route as the file writes it, `{x}` placeholders filled from `params` (each one path segment). */
  readonly route: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  /** Sent as JSON when the key is present; no body (and no content-type) when absent. */
  readonly body?: unknown;
  /** Send the path as is over node:http: fetch would resolve an encoded `.`/`..` segment away. */
  readonly rawPath?: boolean;
}

export interface McpCall {
  readonly tool: string;
  readonly args: Readonly<Record<string, unknown>>;
}

export interface ParityCase {
  readonly name: string;
  /** The consumed operation both calls must reach, as `METHOD /path/{template}`; checked against the table. */
  readonly op: string;
  readonly rest: RestCall;
  readonly mcp: McpCall;
  /** The recording upstream's answer to every attempt. Absent: no request may reach the upstream. */
  readonly upstream?: UpstreamAnswer;
  /** The upstream request both adapters must send (the method comes from `op`). */
  readonly sends?: { readonly path: string; readonly query?: Record<string, string>; readonly body?: unknown };
  /** An error the runtime raises itself; absent: the upstream answer passes through. */
  readonly raises?: { readonly code: ErrorCode; readonly argument?: string };
  /** Upstream requests per call: 1, or more when the runtime retries an idempotent call. */
  readonly attempts?: number;
}

const COLLECTION = '/v1/api/one-time-tokens';
const ITEM = '/v1/api/one-time-tokens/{id}';
const STATUS = '/v1/api/one-time-tokens/{id}/status';
const VERIFY = '/v1/api/one-time-tokens/verify';
const ID = 'k3v9q0m1z8x7c6b5n4a2p';

const token = (status: string, extra: Record<string, unknown> = {}) => ({
  tenantId: 'default',
  id: ID,
  email: 'ada@example.com',
  token: 'Qm7Xc2LkP0aZt9R4yB1nVw8sE5gH3jUo',
  context: { jitOrganizationIds: ['org_1'] },
  status,
  createdAt: 1767225600000,
  expiresAt: 1767226200000,
  ...extra,
});
const logto = (status: number, code: string, message: string, extra: Record<string, unknown> = {}): UpstreamAnswer => ({
  status,
  body: { code, ...extra, message },
});
const MALFORMED: UpstreamAnswer = { status: 200, malformed: true };
const INVALID_RESPONSE = { code: 'NAF_ERR_UPSTREAM_INVALID_RESPONSE' } as const;
const notExists = (id: string) =>
  logto(404, 'entity.not_exists_with_id', `The one_time_tokens with ID \`${id}\` does not exist.`);

const list = (
  name: string,
  query: Record<string, string>,
  args: Record<string, unknown>,
  more: Partial<ParityCase>,
): ParityCase => ({
  name,
  op: 'GET /api/one-time-tokens',
  rest: { method: 'GET', route: COLLECTION, query },
  mcp: { tool: 'get-one-time-tokens', args },
  ...more,
});

const create = (name: string, body: unknown, more: Partial<ParityCase>): ParityCase => ({
  name,
  op: 'POST /api/one-time-tokens',
  rest: { method: 'POST', route: COLLECTION, ...(body === undefined ? {} : { body }) },
  mcp: { tool: 'create-one-time-token', args: body === undefined ? {} : { body } },
  ...more,
});

const verify = (name: string, body: unknown, more: Partial<ParityCase>): ParityCase => ({
  name,
  op: 'POST /api/one-time-tokens/verify',
  rest: { method: 'POST', route: VERIFY, body },
  mcp: { tool: 'verify-one-time-token', args: { body } },
  ...more,
});

const byId = (method: 'GET' | 'DELETE', name: string, id: string, more: Partial<ParityCase>): ParityCase => ({
  name,
  op: `${method} /api/one-time-tokens/{id}`,
  rest: { method, route: ITEM, params: { id } },
  mcp: { tool: method === 'GET' ? 'get-one-time-token-id' : 'delete-one-time-token-id', args: { id } },
  ...more,
});

const update = (name: string, id: string, body: unknown, more: Partial<ParityCase>): ParityCase => ({
  name,
  op: 'PUT /api/one-time-tokens/{id}/status',
  rest: { method: 'PUT', route: STATUS, params: { id }, ...(body === undefined ? {} : { body }) },
  mcp: { tool: 'update-one-time-token-status', args: body === undefined ? { id } : { id, body } },
  ...more,
});

const rawPath = (c: ParityCase): ParityCase => ({ ...c, rest: { ...c.rest, rawPath: true } });

const FILTERS = { email: 'a+b ü@x.io', status: 'active', page: '2', page_size: '5' };
const CREATE = {
  email: 'ada@example.com',
  expiresIn: 600,
  context: { jitOrganizationIds: ['org_1'], interactionEvent: 'SignIn' },
};
const VERIFY_BODY = { token: 'Qm7Xc2LkP0aZt9R4yB1nVw8sE5gH3jUo', email: 'ada@example.com' };

export const CASES: readonly ParityCase[] = [
  list(
    'every filter, typed for MCP, text for REST',
    FILTERS,
    { ...FILTERS, page: 2, page_size: 5 },
    {
      upstream: { body: [token('active'), token('expired', { id: 'x2' })], headers: { 'total-number': '7' } },
      sends: { path: '/api/one-time-tokens', query: FILTERS },
    },
  ),
  list(
    'an empty email filter is sent as given',
    { email: '' },
    { email: '' },
    {
      upstream: logto(400, 'guard.invalid_input', 'The request query is invalid.'),
      sends: { path: '/api/one-time-tokens', query: { email: '' } },
    },
  ),
  list('no filter: an empty array', {}, {}, { upstream: { body: [] }, sends: { path: '/api/one-time-tokens' } }),
  list(
    'upstream guard error on a bad status filter',
    { status: 'bogus' },
    { status: 'bogus' },
    {
      upstream: logto(400, 'guard.invalid_input', 'The request query is invalid.', {
        data: { issues: [{ code: 'invalid_enum_value', path: ['status'] }], name: 'ZodError' },
        details: 'Error in key path "status": (invalid_enum_value) …',
      }),
      sends: { path: '/api/one-time-tokens', query: { status: 'bogus' } },
    },
  ),
  list(
    'upstream 503 with a text body, after the retries',
    {},
    {},
    {
      upstream: { status: 503, body: 'upstream overloaded', headers: { 'retry-after': '0' } },
      sends: { path: '/api/one-time-tokens' },
      attempts: DEFAULT_RETRY.attempts,
    },
  ),
  list(
    'page that is not an integer',
    { page: 'two' },
    { page: 'two' },
    {
      raises: { code: 'NAF_ERR_INVALID_ARGUMENT', argument: 'page' },
    },
  ),
  list(
    'page_size that is a fraction',
    { page_size: '1.5' },
    { page_size: 1.5 },
    {
      raises: { code: 'NAF_ERR_INVALID_ARGUMENT', argument: 'page_size' },
    },
  ),
  list(
    '2xx body that is not JSON',
    {},
    {},
    { upstream: MALFORMED, sends: { path: '/api/one-time-tokens' }, raises: INVALID_RESPONSE },
  ),

  create('every field', CREATE, {
    upstream: { status: 201, body: token('active') },
    sends: { path: '/api/one-time-tokens', body: CREATE },
  }),
  create(
    'upstream guard error (400) on an empty body',
    {},
    {
      upstream: logto(400, 'guard.invalid_input', 'The request body is invalid.', {
        data: { issues: [{ code: 'invalid_type', path: ['email'], message: 'Required' }], name: 'ZodError' },
        details: 'Error in key path "email": (invalid_type) Expected string but received undefined.',
      }),
      sends: { path: '/api/one-time-tokens', body: {} },
    },
  ),
  create(
    'upstream 422 passes through',
    { email: 'x' },
    {
      upstream: logto(422, 'guard.invalid_input', 'The request body is invalid.'),
      sends: { path: '/api/one-time-tokens', body: { email: 'x' } },
    },
  ),
  create('no body', undefined, { raises: { code: 'NAF_ERR_MISSING_ARGUMENT', argument: 'body' } }),
  create('a body that is a string', 'ada@example.com', {
    raises: { code: 'NAF_ERR_INVALID_ARGUMENT', argument: 'body' },
  }),
  create('connection reset: a POST is never retried', CREATE, {
    upstream: { reset: 'before-headers' },
    sends: { path: '/api/one-time-tokens', body: CREATE },
    raises: { code: 'NAF_ERR_UPSTREAM_RESET' },
  }),
  create('2xx body that is not JSON', CREATE, {
    upstream: MALFORMED,
    sends: { path: '/api/one-time-tokens', body: CREATE },
    raises: INVALID_RESPONSE,
  }),

  verify('a valid token', VERIFY_BODY, {
    upstream: { body: token('consumed') },
    sends: { path: '/api/one-time-tokens/verify', body: VERIFY_BODY },
  }),
  verify('an expired token', VERIFY_BODY, {
    upstream: logto(400, 'one_time_token.token_expired', 'The token is expired.'),
    sends: { path: '/api/one-time-tokens/verify', body: VERIFY_BODY },
  }),
  verify(
    'an unknown token',
    { token: 'nope', email: 'ada@example.com' },
    {
      upstream: logto(404, 'one_time_token.token_not_found', 'Token nope not found.'),
      sends: { path: '/api/one-time-tokens/verify', body: { token: 'nope', email: 'ada@example.com' } },
    },
  ),
  verify('upstream 500 without a code', VERIFY_BODY, {
    upstream: { status: 500, body: { message: 'Internal server error.' } },
    sends: { path: '/api/one-time-tokens/verify', body: VERIFY_BODY },
  }),
  verify('a body that is an array', [VERIFY_BODY], { raises: { code: 'NAF_ERR_INVALID_ARGUMENT', argument: 'body' } }),
  verify('2xx body that is not JSON', VERIFY_BODY, {
    upstream: MALFORMED,
    sends: { path: '/api/one-time-tokens/verify', body: VERIFY_BODY },
    raises: INVALID_RESPONSE,
  }),

  byId('GET', 'an existing token', ID, {
    upstream: { body: token('active') },
    sends: { path: `/api/one-time-tokens/${ID}` },
  }),
  byId('GET', 'an id that needs encoding stays one segment', 'a/b é', {
    upstream: { body: token('active', { id: 'a/b é' }) },
    sends: { path: '/api/one-time-tokens/a%2Fb%20%C3%A9' },
  }),
  byId('GET', 'an unknown id', 'nope', { upstream: notExists('nope'), sends: { path: '/api/one-time-tokens/nope' } }),
  rawPath(byId('GET', "the id '..'", '..', { raises: { code: 'NAF_ERR_INVALID_ARGUMENT', argument: 'id' } })),
  byId('GET', 'connection reset: retried, then reported', ID, {
    upstream: { reset: 'before-headers' },
    sends: { path: `/api/one-time-tokens/${ID}` },
    raises: { code: 'NAF_ERR_UPSTREAM_RESET' },
    attempts: DEFAULT_RETRY.attempts,
  }),
  byId('GET', '2xx body that is not JSON', ID, {
    upstream: MALFORMED,
    sends: { path: `/api/one-time-tokens/${ID}` },
    raises: INVALID_RESPONSE,
  }),

  byId('DELETE', 'an existing token: 204', ID, {
    upstream: { status: 204 },
    sends: { path: `/api/one-time-tokens/${ID}` },
  }),
  byId('DELETE', 'an unknown id', 'nope', {
    upstream: logto(404, 'entity.not_found', 'The resource does not exist.'),
    sends: { path: '/api/one-time-tokens/nope' },
  }),
  byId('DELETE', 'an id with a control character', 'a\nb', {
    raises: { code: 'NAF_ERR_INVALID_ARGUMENT', argument: 'id' },
  }),
  byId('DELETE', '2xx body that is not JSON', ID, {
    upstream: MALFORMED,
    sends: { path: `/api/one-time-tokens/${ID}` },
    raises: INVALID_RESPONSE,
  }),

  update(
    'revoke',
    ID,
    { status: 'revoked' },
    {
      upstream: { body: token('revoked') },
      sends: { path: `/api/one-time-tokens/${ID}/status`, body: { status: 'revoked' } },
    },
  ),
  update(
    'reactivate is refused upstream',
    ID,
    { status: 'active' },
    {
      upstream: logto(400, 'one_time_token.cannot_reactivate_token', 'Cannot reactivate the token.'),
      sends: { path: `/api/one-time-tokens/${ID}/status`, body: { status: 'active' } },
    },
  ),
  update(
    'an unknown id',
    'nope',
    { status: 'revoked' },
    {
      upstream: notExists('nope'),
      sends: { path: '/api/one-time-tokens/nope/status', body: { status: 'revoked' } },
    },
  ),
  update('no body', ID, undefined, { raises: { code: 'NAF_ERR_MISSING_ARGUMENT', argument: 'body' } }),
  update('a body that is JSON null', ID, null, { raises: { code: 'NAF_ERR_INVALID_ARGUMENT', argument: 'body' } }),
  rawPath(
    update("the id '.'", '.', { status: 'revoked' }, { raises: { code: 'NAF_ERR_INVALID_ARGUMENT', argument: 'id' } }),
  ),
  update(
    '2xx body that is not JSON',
    ID,
    { status: 'revoked' },
    {
      upstream: MALFORMED,
      sends: { path: `/api/one-time-tokens/${ID}/status`, body: { status: 'revoked' } },
      raises: INVALID_RESPONSE,
    },
  ),
];
