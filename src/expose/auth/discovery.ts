// The authorization server's metadata: RFC 8414 first (`/.well-known/oauth-authorization-server` inserted
// before the issuer's path), then OpenID Connect Discovery (`<issuer>/.well-known/openid-configuration`, which
// is where Logto serves it). The document must name the configured issuer (RFC 8414 §3.3): a server that
// answers for another issuer is not trusted to publish keys for this one.

export interface AuthorizationServerMetadata {
  readonly issuer: string;
  readonly jwks_uri?: string;
  readonly introspection_endpoint?: string;
  readonly token_endpoint?: string;
  readonly scopes_supported?: readonly string[];
}

/** Bodies the runtime reads from an authorization server are small; a larger one is refused. */
const MAX_BYTES = 256 * 1024;

export function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
    `${url.origin}/.well-known/openid-configuration${path}`,
  ];
}

export async function discover(issuer: string, timeoutMs: number): Promise<AuthorizationServerMetadata> {
  const tried: string[] = [];
  for (const url of metadataUrls(issuer)) {
    let doc: unknown;
    try {
      doc = await fetchJson(url, { timeoutMs });
    } catch (err) {
      tried.push(`${url}: ${(err as Error).message}`);
      continue;
    }
    const meta = doc as Partial<AuthorizationServerMetadata> | null;
    if (!meta || typeof meta !== 'object' || typeof meta.issuer !== 'string') {
      tried.push(`${url}: not an authorization server metadata document`);
      continue;
    }
    if (meta.issuer !== issuer) {
      tried.push(`${url}: names issuer '${meta.issuer}', not '${issuer}'`);
      continue;
    }
    return meta as AuthorizationServerMetadata;
  }
  throw new Error(`no metadata for issuer ${issuer} (${tried.join('; ')})`);
}

/** GET (or POST a form) with a deadline and a size bound; a non-2xx or non-JSON answer is an error. */
export async function fetchJson(
  url: string,
  options: { timeoutMs: number; form?: URLSearchParams; authorization?: string },
): Promise<unknown> {
  const res = await fetch(url, {
    method: options.form ? 'POST' : 'GET',
    headers: {
      accept: 'application/json',
      ...(options.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...(options.authorization ? { authorization: options.authorization } : {}),
    },
    ...(options.form ? { body: options.form.toString() } : {}),
    redirect: 'error',
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  const length = Number(res.headers.get('content-length') ?? '0');
  if (length > MAX_BYTES) {
    await res.body?.cancel();
    throw new Error(`answer over ${MAX_BYTES} bytes`);
  }
  const text = await res.text();
  if (text.length > MAX_BYTES) throw new Error(`answer over ${MAX_BYTES} bytes`);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('answer is not JSON');
  }
}
