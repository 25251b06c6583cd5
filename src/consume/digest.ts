// HTTP Digest access authentication, client side (RFC 7616). The first request to an upstream goes
// without credentials; its 401 carries `WWW-Authenticate: Digest …`, from which the next attempt
// computes a response. The challenge (nonce) is kept per upstream, so later calls answer up front with
// an incremented nonce count, and a stale or rotated nonce costs one more exchange. The consumer
// resends at most once per call, so a wrong password ends in the upstream's own 401.
//
// Supported: MD5, SHA-256 and SHA-512-256, each also in its `-sess` form; qop `auth` (preferred) and
// `auth-int`; a challenge without qop (RFC 2069); `userhash`; a username outside printable ASCII as
// `username*` (RFC 8187). A challenge we cannot answer is a clear NAF_ERR_UPSTREAM_AUTH, not a silent 401.

import { createHash, randomBytes } from 'node:crypto';
import { RuntimeError } from '../errors.js';
import type { Credentials, RequestTarget } from './credentials.js';

export interface Challenge {
  /** Lower-cased scheme, e.g. `digest`. */
  readonly scheme: string;
  /** Parameters by lower-cased name, quoted strings unquoted. */
  readonly params: Readonly<Record<string, string>>;
}

const HASHES: Readonly<Record<string, string>> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

/** A Digest challenge the client can answer, normalised. */
interface Usable {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  /** As the server wrote it (`SHA-256`, `MD5-sess`); absent means MD5 and is echoed as absent. */
  readonly algorithm?: string;
  readonly hash: string;
  readonly session: boolean;
  readonly qop?: 'auth' | 'auth-int';
  readonly userhash: boolean;
}

export function digestCredentials(username: string, password: string, upstream: string): Credentials {
  let current: { challenge: Usable; nc: number } | undefined;
  return {
    apply: async (_signal, target) => {
      if (!current || !target) return { headers: {}, query: [] };
      current.nc += 1;
      return {
        headers: { authorization: authorization(current.challenge, current.nc, username, password, target) },
        query: [],
      };
    },
    refresh: async (_used, response) => {
      const header = response?.headers['www-authenticate'];
      const offered = parseChallenges(header ?? '').filter((c) => c.scheme === 'digest');
      if (offered.length === 0) return false;
      // The server lists the challenge it prefers first (RFC 7616 §3.7): take the first we can answer.
      const usable = offered.map(usableChallenge).find((c): c is Usable => c !== undefined);
      if (!usable)
        throw new RuntimeError(
          'NAF_ERR_UPSTREAM_AUTH',
          `Upstream '${upstream}' asks for digest authentication the runtime cannot answer (${offered
            .map((c) => `algorithm ${c.params['algorithm'] ?? 'MD5'}, qop ${c.params['qop'] ?? 'none'}`)
            .join('; ')}); supported: MD5, SHA-256, SHA-512-256 (and -sess), qop auth or auth-int`,
        );
      current = { challenge: usable, nc: 0 };
      return true;
    },
    secrets: () => [password],
  };
}

function usableChallenge(c: Challenge): Usable | undefined {
  const { realm, nonce, opaque, algorithm } = c.params;
  if (realm === undefined || !nonce) return undefined;
  const name = (algorithm ?? 'MD5').toUpperCase();
  const session = name.endsWith('-SESS');
  const hash = HASHES[session ? name.slice(0, -5) : name];
  if (!hash) return undefined;
  const qops = (c.params['qop'] ?? '')
    .split(',')
    .map((q) => q.trim().toLowerCase())
    .filter(Boolean);
  const qop = qops.includes('auth') ? 'auth' : qops.includes('auth-int') ? 'auth-int' : undefined;
  // A qop list that names neither is one we cannot honour; no list at all is RFC 2069's form.
  if (qops.length > 0 && !qop) return undefined;
  return {
    realm,
    nonce,
    ...(opaque !== undefined ? { opaque } : {}),
    ...(algorithm !== undefined ? { algorithm } : {}),
    hash,
    session,
    ...(qop ? { qop } : {}),
    userhash: c.params['userhash']?.toLowerCase() === 'true',
  };
}

/** The `Authorization` value for one request (RFC 7616 §3.4). */
export function authorization(
  c: Usable,
  nc: number,
  username: string,
  password: string,
  target: RequestTarget,
  cnonce: string = randomBytes(16).toString('hex'),
): string {
  const H = (s: string) => createHash(c.hash).update(s, 'utf8').digest('hex');
  const ncHex = nc.toString(16).padStart(8, '0');
  let ha1 = H(`${username}:${c.realm}:${password}`);
  if (c.session) ha1 = H(`${ha1}:${c.nonce}:${cnonce}`);
  const ha2 = H(
    c.qop === 'auth-int' ? `${target.method}:${target.uri}:${H(target.body ?? '')}` : `${target.method}:${target.uri}`,
  );
  const response = c.qop ? H(`${ha1}:${c.nonce}:${ncHex}:${cnonce}:${c.qop}:${ha2}`) : H(`${ha1}:${c.nonce}:${ha2}`);
  const user = c.userhash
    ? `username="${H(`${username}:${c.realm}`)}"`
    : /^[\x20-\x7e]*$/.test(username) && !/["\\]/.test(username)
      ? `username="${username}"`
      : `username*=UTF-8''${encodeURIComponent(username)}`;
  const parts = [
    user,
    `realm="${quote(c.realm)}"`,
    `uri="${quote(target.uri)}"`,
    ...(c.algorithm !== undefined ? [`algorithm=${c.algorithm}`] : []),
    `nonce="${quote(c.nonce)}"`,
    ...(c.qop ? [`nc=${ncHex}`, `cnonce="${cnonce}"`, `qop=${c.qop}`] : []),
    `response="${response}"`,
    ...(c.opaque !== undefined ? [`opaque="${quote(c.opaque)}"`] : []),
    ...(c.userhash ? ['userhash=true'] : []),
  ];
  return `Digest ${parts.join(', ')}`;
}

function quote(s: string): string {
  return s.replace(/[\\"]/g, (ch) => `\\${ch}`);
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Every challenge in a `WWW-Authenticate` value (several headers arrive joined by ", "). Lenient: a
 * character that fits nowhere is skipped, so a malformed challenge for another scheme cannot hide ours.
 */
export function parseChallenges(header: string): Challenge[] {
  const out: Array<{ scheme: string; params: Record<string, string> }> = [];
  let i = 0;
  const n = header.length;
  const ws = () => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && TCHAR.test(header[i] as string)) i++;
    return header.slice(start, i);
  };
  const quoted = (): string => {
    let value = '';
    i++; // opening quote
    while (i < n && header[i] !== '"') {
      if (header[i] === '\\' && i + 1 < n) i++;
      value += header[i];
      i++;
    }
    i++; // closing quote
    return value;
  };
  while (i < n) {
    while (i < n && (header[i] === ',' || header[i] === ' ' || header[i] === '\t')) i++;
    const name = token();
    if (!name) {
      i++;
      continue;
    }
    ws();
    const current = out.at(-1);
    if (header[i] === '=') {
      i++;
      ws();
      // `name=` followed by nothing or a comma: a token68's padding, not a parameter.
      if (i >= n || header[i] === ',' || header[i] === '=') {
        while (i < n && header[i] === '=') i++;
        continue;
      }
      const value = header[i] === '"' ? quoted() : token();
      if (current) current.params[name.toLowerCase()] = value;
    } else {
      out.push({ scheme: name.toLowerCase(), params: {} });
    }
  }
  return out;
}
