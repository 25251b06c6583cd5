// `runtime start` flags and environment for upstream OAuth2 client credentials (Logto: a
// machine-to-machine app's id and secret). Precedence: flag > environment > the file's static credentials.

import { isLoopback } from '../config.js';
import type { UpstreamOAuthOptions } from '../upstreams.js';
import { UsageError } from './io.js';

export const OAUTH_FLAGS = {
  'oauth-client-id': { type: 'string' },
  'oauth-client-secret': { type: 'string' },
  'oauth-token-url': { type: 'string' },
  'oauth-resource': { type: 'string' },
  'oauth-scope': { type: 'string' },
} as const;

export const OAUTH_USAGE = `  Upstream OAuth2 client credentials (replace the file's static token, e.g. LOGTO_API_KEY):
  --oauth-client-id <id>    client (Logto M2M app) id (env LOGTO_CLIENT_ID or OAUTH_CLIENT_ID)
  --oauth-client-secret <s> client secret; prefer env LOGTO_CLIENT_SECRET or OAUTH_CLIENT_SECRET,
                            since other local users can read a command line
  --oauth-token-url <url>   token endpoint (env OAUTH_TOKEN_URL; default <base URI origin>/oidc/token)
  --oauth-resource <uri>    resource indicator (env OAUTH_RESOURCE; default <origin>/api on *.logto.app,
                            else https://default.logto.app/api, Logto OSS's)
  --oauth-scope <scopes>    space-separated scopes (env OAUTH_SCOPE; default all)
`;

type Flag = keyof typeof OAUTH_FLAGS;

/** Where each setting is read from after its flag, in order. */
const ENV: Record<Flag, readonly string[]> = {
  'oauth-client-id': ['LOGTO_CLIENT_ID', 'OAUTH_CLIENT_ID'],
  'oauth-client-secret': ['LOGTO_CLIENT_SECRET', 'OAUTH_CLIENT_SECRET'],
  'oauth-token-url': ['OAUTH_TOKEN_URL'],
  'oauth-resource': ['OAUTH_RESOURCE'],
  'oauth-scope': ['OAUTH_SCOPE'],
};

export interface OAuthSettings {
  readonly oauth?: UpstreamOAuthOptions;
  /** To log once the logger exists; never contain the secret. */
  readonly warnings: readonly string[];
}

export function oauthSettings(values: Partial<Record<Flag, string>>, env: NodeJS.ProcessEnv): OAuthSettings {
  const read = (flag: Flag): { value: string; from: string } | undefined => {
    const given = values[flag];
    if (given !== undefined) {
      if (given.trim() === '') throw new UsageError(`--${flag} must not be empty`);
      return { value: given, from: `--${flag}` };
    }
    for (const name of ENV[flag]) if (env[name]) return { value: String(env[name]), from: name };
    return undefined;
  };
  const id = read('oauth-client-id');
  const secret = read('oauth-client-secret');
  const tokenUrl = read('oauth-token-url');
  const resource = read('oauth-resource');
  const scope = read('oauth-scope');
  if (!id) {
    const stray = [secret, tokenUrl, resource, scope].find(Boolean);
    if (stray)
      throw new UsageError(`${stray.from} is set but no OAuth client id: add --oauth-client-id or LOGTO_CLIENT_ID`);
    return { warnings: [] };
  }
  if (!secret)
    throw new UsageError(
      `${id.from} needs the client secret: set LOGTO_CLIENT_SECRET (or OAUTH_CLIENT_SECRET) in the environment`,
    );
  const warnings: string[] = [];
  if (secret.from.startsWith('--'))
    warnings.push(
      'SECURITY: the OAuth client secret was given as --oauth-client-secret, where other local users can read it (ps, /proc, shell history): set LOGTO_CLIENT_SECRET instead',
    );
  if (tokenUrl) {
    const url = parseUrl(tokenUrl.value, tokenUrl.from);
    if (url.protocol === 'http:' && !isLoopback(url.hostname))
      warnings.push(
        `SECURITY: the token endpoint ${url.origin} is plain http: the client secret crosses the network unencrypted`,
      );
  }
  return {
    oauth: {
      clientId: id.value,
      clientSecret: secret.value,
      ...(tokenUrl ? { tokenUrl: tokenUrl.value } : {}),
      ...(resource ? { resource: resource.value } : {}),
      ...(scope ? { scope: scope.value } : {}),
    },
    warnings,
  };
}

function parseUrl(text: string, from: string): URL {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below, with the setting's name
  }
  throw new UsageError(`${from} must be an http(s) URL, got '${text}'`);
}
