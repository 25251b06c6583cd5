// RFC 7662 token introspection, for opaque access tokens (or every token, `tokenValidation: introspection`).
// The runtime authenticates as its own client (HTTP Basic, RFC 6749 §2.3.1); the answer must say the token
// is active and was issued for this resource, as a JWT's claims must.

import { fetchJson } from './discovery.js';
import type { IntrospectionClient } from './settings.js';

export interface IntrospectionResult {
  readonly active: boolean;
  readonly scope?: string;
  readonly aud?: string | string[];
  readonly iss?: string;
  readonly exp?: number;
  readonly nbf?: number;
  readonly sub?: string;
  readonly client_id?: string;
}

export async function introspect(
  url: string,
  client: IntrospectionClient,
  token: string,
  timeoutMs: number,
): Promise<IntrospectionResult> {
  const basic = Buffer.from(`${formEncode(client.clientId)}:${formEncode(client.clientSecret)}`).toString('base64');
  const answer = await fetchJson(url, {
    timeoutMs,
    form: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    authorization: `Basic ${basic}`,
  });
  if (!answer || typeof answer !== 'object' || typeof (answer as { active?: unknown }).active !== 'boolean')
    throw new Error('introspection answer has no boolean "active"');
  return answer as IntrospectionResult;
}

function formEncode(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}
