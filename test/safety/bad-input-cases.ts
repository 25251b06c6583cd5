// The REST half of the bad-input matrix, and the outcome types both halves use. Targets are raw request
// targets (see bad-input-wire.ts): what the case sends is exactly what goes on the wire.

/** The one upstream request a case the runtime let through must have produced. */
export interface Sent {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The id as the caller meant it (decoded): the upstream must get it back as ONE encoded segment. */
  readonly id?: string;
  readonly tail?: 'status' | 'verify';
  /** The raw upstream query string; '' when absent. */
  readonly query?: string;
  /** The upstream body text, byte for byte. */
  readonly body?: string;
}

export type RestExpect =
  /** Refused by the runtime before any upstream call: problem+json with `code`; `names` is in the detail. */
  | {
      readonly by: 'runtime';
      readonly status: number;
      readonly code: string;
      readonly names: string;
      readonly argument?: string;
    }
  /** Let through unchanged; Logto refused it and its `{code, message}` reached the caller intact. */
  | {
      readonly by: 'upstream';
      readonly status: number;
      readonly logto: string;
      readonly names: string;
      readonly sent: Sent;
    }
  /** Refused below the routes (Node's HTTP parser, fastify's router), before any upstream call. */
  | { readonly by: 'framework'; readonly status: number };

export interface RestCase {
  readonly name: string;
  readonly method: string;
  readonly target: string;
  readonly body?: string;
  readonly contentType?: string | null;
  readonly headers?: readonly string[];
  readonly hosts?: readonly string[];
  readonly expect: RestExpect;
}

const B = '/v1/api/one-time-tokens';
const j = JSON.stringify;
const INVALID = 'NAF_ERR_INVALID_ARGUMENT';
const MISSING = 'NAF_ERR_MISSING_ARGUMENT';
const GUARD = 'guard.invalid_input';
const NO_ID = 'entity.not_exists_with_id';

const refused = (status: number, code: string, names: string, argument?: string): RestExpect => ({
  by: 'runtime',
  status,
  code,
  names,
  ...(argument ? { argument } : {}),
});
const logto = (status: number, code: string, names: string, sent: Sent): RestExpect => ({
  by: 'upstream',
  status,
  logto: code,
  names,
  sent,
});
const framework = (status: number): RestExpect => ({ by: 'framework', status });

const create = (name: string, body: string, expect: RestExpect, contentType?: string | null): RestCase => ({
  name: `create: ${name}`,
  method: 'POST',
  target: B,
  body,
  ...(contentType !== undefined ? { contentType } : {}),
  expect,
});
/** A body field only Logto knows about: forwarded as sent, refused by Logto naming the field. */
const field = (name: string, body: object, names: string): RestCase =>
  create(name, j(body), logto(400, GUARD, names, { method: 'POST', body: j(body) }));
const list = (name: string, query: string, expect: RestExpect): RestCase => ({
  name: `list: ${name}`,
  method: 'GET',
  target: `${B}?${query}`,
  expect,
});
const passedQuery = (status: number, code: string, names: string, query: string) =>
  logto(status, code, names, { method: 'GET', query });
const byId = (method: 'GET' | 'DELETE', segment: string, expect: RestExpect): RestCase => ({
  name: `${method.toLowerCase()} id ${j(segment)}`,
  method,
  target: `${B}/${segment}`,
  expect,
});
const status = (segment: string, expect: RestExpect, body = j({ status: 'revoked' })): RestCase => ({
  name: `status of id ${j(segment)} (${body.length > 30 ? `${body.slice(0, 27)}...` : body})`,
  method: 'PUT',
  target: `${B}/${segment}/status`,
  body,
  expect,
});
const notFound = (id: string) => logto(404, NO_ID, id, { method: 'GET', id });
const dots = (v: string) => refused(400, INVALID, `must not be '${v}'`, 'id');
const control = refused(400, INVALID, 'control characters', 'id');
const notObject = refused(400, INVALID, "'body' must be object", 'body');
const badJson = refused(400, 'NAF_ERR_INVALID_JSON', 'not valid JSON');
const media = refused(415, 'NAF_ERR_UNSUPPORTED_MEDIA_TYPE', 'application/json');
const integer = refused(400, INVALID, "'page' must be integer", 'page');

export const REST_CASES: readonly RestCase[] = [
  // The body as a whole: absent, not an object, not JSON, not JSON-typed, too big, too deep.
  create('no body', '', refused(400, MISSING, "'body' is required", 'body')),
  create('JSON null', 'null', notObject),
  create('JSON array', j([{ email: 'ada@example.com' }]), notObject),
  create('JSON string', j('ada@example.com'), notObject),
  create('JSON number', '42', notObject),
  create('JSON true', 'true', notObject),
  create('truncated JSON', '{"email":', badJson),
  create('trailing comma', '{"email":"ada@example.com",}', badJson),
  create('single quotes', "{'email':'ada@example.com'}", badJson),
  create('NaN literal', '{"email":"ada@example.com","expiresIn":NaN}', badJson),
  create('byte-order mark', '\ufeff{"email":"ada@example.com"}', badJson),
  create('text/plain', j({ email: 'ada@example.com' }), media, 'text/plain'),
  create('form-encoded', 'email=ada%40example.com', media, 'application/x-www-form-urlencoded'),
  create('multipart', '--x\r\n\r\n--x--', media, 'multipart/form-data; boundary=x'),
  create('no content type', j({ email: 'ada@example.com' }), media, null),
  create('UTF-16 JSON', j({ email: 'ada@example.com' }), media, 'application/json; charset=utf-16'),
  create(
    '65 KiB over the 64 KiB limit',
    j({ email: 'a'.repeat(65 * 1024) }),
    refused(413, 'NAF_ERR_BODY_TOO_LARGE', 'larger than the limit'),
  ),
  create(
    '130 nested objects',
    `${'{"a":'.repeat(130)}1${'}'.repeat(130)}`,
    refused(400, INVALID, 'nested more than', 'body'),
  ),
  create(
    '30 000 nested arrays',
    `{"e":${'['.repeat(30_000)}${']'.repeat(30_000)}}`,
    refused(400, INVALID, 'nested more than', 'body'),
  ),
  create(
    'expiresIn 1e999 (JSON would carry null)',
    '{"email":"ada@example.com","expiresIn":1e999}',
    refused(400, INVALID, 'finite number', 'body.expiresIn'),
  ),
  // Fields inside the body: Logto's to check; the runtime must forward them untouched.
  field('email as number', { email: 5 }, 'email'),
  field('email as array', { email: ['ada@example.com'] }, 'email'),
  field('email as object', { email: { address: 'ada@example.com' } }, 'email'),
  field('email missing', { expiresIn: 60 }, 'email'),
  field('email empty', { email: '' }, 'email'),
  field('email of 129 characters', { email: `${'a'.repeat(117)}@example.com` }, 'email'),
  field('expiresIn as string', { email: 'ada@example.com', expiresIn: '60' }, 'expiresIn'),
  field('expiresIn negative', { email: 'ada@example.com', expiresIn: -1 }, 'expiresIn'),
  field('expiresIn zero', { email: 'ada@example.com', expiresIn: 0 }, 'expiresIn'),
  field('expiresIn as boolean', { email: 'ada@example.com', expiresIn: true }, 'expiresIn'),
  field('context not an object', { email: 'ada@example.com', context: 'SignIn' }, 'context'),
  field(
    'context.interactionEvent not in enum',
    { email: 'a@b.co', context: { interactionEvent: 'Hack' } },
    'interactionEvent',
  ),
  field(
    'context.jitOrganizationIds not an array',
    { email: 'a@b.co', context: { jitOrganizationIds: 'o1' } },
    'jitOrganizationIds',
  ),
  create(
    '__proto__ key: forwarded verbatim, never merged',
    '{"__proto__":{"admin":true},"expiresIn":60}',
    logto(400, GUARD, 'email', { method: 'POST', body: '{"__proto__":{"admin":true},"expiresIn":60}' }),
  ),
  create(
    'email as number, sent as application/json; charset=utf-8',
    j({ email: 5 }),
    logto(400, GUARD, 'email', { method: 'POST', body: j({ email: 5 }) }),
    'application/json; charset=utf-8',
  ),
  // Verify and status bodies.
  {
    name: 'verify: no body',
    method: 'POST',
    target: `${B}/verify`,
    body: '',
    expect: refused(400, MISSING, "'body' is required", 'body'),
  },
  {
    name: 'verify: text/plain',
    method: 'POST',
    target: `${B}/verify`,
    body: 't',
    contentType: 'text/plain',
    expect: media,
  },
  ...[{ email: 'ada@example.com' }, { token: 7, email: 'ada@example.com' }].map((body): RestCase => ({
    name: `verify: ${j(body)}`,
    method: 'POST',
    target: `${B}/verify`,
    body: j(body),
    expect: logto(400, GUARD, 'token', { method: 'POST', tail: 'verify', body: j(body) }),
  })),
  ...[{ status: 'deleted' }, { status: 1 }, { state: 'revoked' }].map((body) =>
    status('tok1', logto(400, GUARD, 'status', { method: 'PUT', id: 'tok1', tail: 'status', body: j(body) }), j(body)),
  ),
  status('tok1', refused(400, MISSING, "'body' is required", 'body'), ''),
  status('tok1', notObject, j(['revoked'])),
  // Query parameters.
  list('page=abc', 'page=abc', integer),
  list('page=1.5', 'page=1.5', integer),
  list('page empty', 'page=', integer),
  list('page=0x10', 'page=0x10', integer),
  list('page_size=1e3', 'page_size=1e3', refused(400, INVALID, "'page_size' must be integer", 'page_size')),
  list(
    'page past 2^53',
    'page=99999999999999999999999',
    refused(400, INVALID, "'page' must be an integer within", 'page'),
  ),
  list('page twice', 'page=1&page=2', refused(400, 'NAF_ERR_DUPLICATE_PARAMETER', "'page' was given 2 times")),
  list(
    'email twice',
    'email=a%40b.co&email=c%40d.co',
    refused(400, 'NAF_ERR_DUPLICATE_PARAMETER', "'email' was given 2 times"),
  ),
  list('page=-1', 'page=-1', passedQuery(400, 'guard.invalid_pagination', 'pagination', 'page=-1')),
  list(
    'page_size=1000',
    'page_size=1000',
    passedQuery(400, 'guard.invalid_pagination', 'pagination', 'page_size=1000'),
  ),
  list('status not in enum', 'status=deleted', passedQuery(400, GUARD, 'status', 'status=deleted')),
  list('status=CRLF', 'status=%0D%0A', passedQuery(400, GUARD, 'status', 'status=%0D%0A')),
  list('email not an address', 'email=not-an-email', passedQuery(400, GUARD, 'email', 'email=not-an-email')),
  list('email with a broken escape', 'email=%ZZ', passedQuery(400, GUARD, 'email', 'email=%25ZZ')),
  list('12 KB email', `email=${'a'.repeat(12_000)}`, passedQuery(400, GUARD, 'email', `email=${'a'.repeat(12_000)}`)),
  list('64 KiB query string', `email=${'a'.repeat(64 * 1024)}`, framework(431)),
  list('1 MiB query string', `email=${'a'.repeat(1024 * 1024)}`, framework(431)),
  // Path parameters: traversal, separators, control characters, unicode, length, broken escapes.
  byId('GET', '..', dots('..')),
  byId('GET', '%2e%2e', dots('..')),
  byId('DELETE', '%2E%2e', dots('..')),
  byId('GET', '.%2e', dots('..')),
  byId('GET', '.', dots('.')),
  status('..', dots('..')),
  status('%2e', dots('.')),
  byId('GET', 'a%2Fb', notFound('a/b')),
  byId('GET', '..%2F..%2Fadmin', notFound('../../admin')),
  byId(
    'DELETE',
    '%2e%2e%2f%2e%2e%2fadmin',
    logto(404, 'entity.not_found', 'not exist', { method: 'DELETE', id: '../../admin' }),
  ),
  status(
    '..%2F',
    logto(404, NO_ID, '../', { method: 'PUT', id: '../', tail: 'status', body: j({ status: 'revoked' }) }),
  ),
  byId('GET', 'a%00b', control),
  byId('GET', '%0D%0AX-Injected:%201', control),
  byId('DELETE', '%7F', control),
  status('%09', control),
  byId('GET', '%C3%A9', notFound('é')),
  byId('GET', '%F0%9F%98%80', notFound('😀')),
  byId('GET', '%E2%80%AEtok1', notFound('\u202etok1')),
  byId('GET', 'tok%E2%80%8B1', notFound('tok\u200b1')),
  byId('GET', '%252e%252e', notFound('%2e%2e')),
  byId('GET', '%3F', notFound('?')),
  byId('GET', '%23', notFound('#')),
  byId('GET', 'a;b', notFound('a;b')),
  byId('GET', '%5C', notFound('\\')),
  byId('GET', '%20', notFound(' ')),
  status('', refused(400, INVALID, "'id' must not be empty", 'id')),
  byId('GET', '', refused(400, INVALID, "'id' must not be empty", 'id')),
  byId('GET', 'x'.repeat(257), refused(400, INVALID, "'id' must be at most 256 characters", 'id')),
  byId('GET', 'x'.repeat(5000), framework(414)),
  byId('GET', '%ZZ', framework(400)),
  byId('GET', '%C0%AE%C0%AE', framework(400)),
  byId('GET', '%FF', framework(400)),
  // Raw HTTP that no client library sends.
  {
    name: 'raw ../.. in the target',
    method: 'GET',
    target: `${B}/../../admin`,
    expect: refused(404, 'NAF_ERR_ROUTE_NOT_FOUND', 'No route'),
  },
  {
    name: 'absolute-form target naming another host',
    method: 'GET',
    target: `http://evil.example${B}/tok1`,
    expect: notFound('tok1'),
  },
  { name: 'raw space in the target', method: 'GET', target: `${B}/a b`, expect: framework(400) },
  { name: 'raw CR in the target', method: 'GET', target: `${B}/a\rb`, expect: framework(400) },
  { name: 'raw TAB in the target', method: 'GET', target: `${B}/a\tb`, expect: framework(400) },
  { name: 'raw NUL in the target', method: 'GET', target: `${B}/a\u0000b`, expect: framework(400) },
  { name: 'raw UTF-8 in the target', method: 'GET', target: `${B}/é`, expect: framework(400) },
  {
    name: 'two Content-Length headers',
    method: 'POST',
    target: B,
    body: '{}',
    headers: ['Content-Length: 2', 'Content-Length: 3'],
    expect: framework(400),
  },
  {
    name: 'Content-Length with Transfer-Encoding',
    method: 'POST',
    target: B,
    body: '0\r\n\r\n',
    headers: ['Content-Length: 5', 'Transfer-Encoding: chunked'],
    expect: framework(400),
  },
  {
    name: 'two Host headers (RFC 9112 §3.2: 400)',
    method: 'GET',
    target: B,
    hosts: ['127.0.0.1', 'evil.example'],
    expect: framework(400),
  },
  { name: 'unknown method BREW', method: 'BREW', target: `${B}/tok1`, expect: framework(400) },
  {
    name: 'PATCH on an item',
    method: 'PATCH',
    target: `${B}/tok1`,
    body: '{}',
    expect: refused(405, 'NAF_ERR_METHOD_NOT_ALLOWED', 'allowed: GET, HEAD, DELETE'),
  },
  {
    name: 'DELETE on the collection',
    method: 'DELETE',
    target: B,
    expect: refused(405, 'NAF_ERR_METHOD_NOT_ALLOWED', 'allowed: GET, HEAD, POST'),
  },
  {
    name: 'GET on verify',
    method: 'GET',
    target: `${B}/verify`,
    expect: refused(405, 'NAF_ERR_METHOD_NOT_ALLOWED', 'allowed: POST'),
  },
  {
    name: 'unknown route',
    method: 'GET',
    target: '/v1/api/one-time-tokenz',
    expect: refused(404, 'NAF_ERR_ROUTE_NOT_FOUND', 'No route'),
  },
  {
    name: 'extra segment after status',
    method: 'PUT',
    target: `${B}/tok1/status/x`,
    body: '{}',
    expect: refused(404, 'NAF_ERR_ROUTE_NOT_FOUND', 'No route'),
  },
];
