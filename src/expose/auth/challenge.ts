// `WWW-Authenticate` values of an OAuth 2.1 resource server (RFC 6750 §3, RFC 9728 §5.1, MCP authorization):
// a 401 names where the protected-resource metadata is and which scopes to ask for; `error="invalid_token"`
// only when a token was sent; a 403 `insufficient_scope` names the scopes the call needs (step-up).

export interface ChallengeParts {
  readonly metadataUrl?: string;
  readonly scopes: readonly string[];
  readonly error?: 'invalid_token' | 'insufficient_scope' | 'invalid_request';
  readonly description?: string;
}

export function bearerChallenge(parts: ChallengeParts): string {
  const params = [`realm="runtime"`];
  if (parts.error) params.push(`error="${parts.error}"`);
  if (parts.description) params.push(`error_description="${quoted(parts.description)}"`);
  if (parts.metadataUrl) params.push(`resource_metadata="${quoted(parts.metadataUrl)}"`);
  if (parts.scopes.length) params.push(`scope="${quoted(parts.scopes.join(' '))}"`);
  return `Bearer ${params.join(', ')}`;
}

/** RFC 9110 quoted-string: backslash-escape `"` and `\`, drop control characters. */
function quoted(text: string): string {
  const printable = [...text].filter((c) => c >= ' ' && c !== '\u007f').join('');
  return printable.replace(/["\\]/g, '\\$&');
}
