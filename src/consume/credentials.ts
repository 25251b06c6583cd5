// Outbound credentials, resolved once at start from the file's `authentication` and bind values.
// A provider adds what it must to each upstream request and may refresh once after a 401.

import type { UpstreamAuthSpec } from '../binding/table.js';
import { compileTemplate } from '../binding/template.js';
import { digestCredentials } from './digest.js';

export interface Credentials {
  /** Headers and query entries to add to one request. May fetch (OAuth2) and then caches. */
  apply(signal?: AbortSignal, target?: RequestTarget): Promise<AppliedAuth>;
  /**
   * Called after an upstream 401 with what was sent; returns true when new credentials are worth
   * one more try. Many calls failing with the same token share one refresh. `response` is the 401
   * (digest reads its challenge).
   */
  refresh?(used: AppliedAuth, response?: { readonly headers: Readonly<Record<string, string>> }): Promise<boolean>;
  close?(): Promise<void>;
  /** Secret values, for redaction. */
  secrets(): string[];
}

/** What a request-bound scheme (digest) signs: the method, the request-target as sent, the body. */
export interface RequestTarget {
  readonly method: string;
  readonly uri: string;
  readonly body?: string;
}

export interface AppliedAuth {
  readonly headers: Readonly<Record<string, string>>;
  readonly query: ReadonlyArray<readonly [string, string]>;
}

export class CredentialError extends Error {
  override readonly name = 'CredentialError';
}

/** Resolves `{{VAR}}` / `{{ns.VAR}}` in the spec's auth fields against bind values. Never yields an empty secret. */
export function staticCredentials(
  spec: UpstreamAuthSpec,
  vars: Readonly<Record<string, string>>,
  upstream: string,
): Credentials {
  const render = (field: string, text: string): string => {
    const value = compileTemplate(text)(vars);
    if (value.trim() === '')
      throw new CredentialError(
        `Upstream '${upstream}': ${spec.type} ${field} resolves to an empty value (template '${text}'); set the bind variable it names`,
      );
    return value;
  };
  switch (spec.type) {
    case 'bearer': {
      const token = render('token', spec.token);
      const headers = { authorization: `Bearer ${token}` };
      return { apply: async () => ({ headers, query: [] }), secrets: () => [token] };
    }
    case 'apikey': {
      const value = render('value', spec.value);
      const entry: [string, string] = [spec.key, value];
      return {
        apply: async () =>
          spec.placement === 'query'
            ? { headers: {}, query: [entry] }
            : { headers: { [spec.key.toLowerCase()]: value }, query: [] },
        secrets: () => [value],
      };
    }
    case 'basic': {
      const username = render('username', spec.username);
      const password = render('password', spec.password);
      const headers = { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
      return { apply: async () => ({ headers, query: [] }), secrets: () => [password, headers.authorization.slice(6)] };
    }
    case 'digest':
      return digestCredentials(render('username', spec.username), render('password', spec.password), upstream);
  }
}
