// The `{path}` part of a forwarded request, taken from the raw request target (so the upstream gets
// the caller's bytes, percent-encoding included) and refused when it could reach outside the base URI.

import { RuntimeError } from '../../errors.js';

/**
 * `/notion/pages/abc?x=1` with the wildcard at segment 2 → `/pages/abc` (or '' when the wildcard is
 * empty or the route has none). Throws a 400 for dot segments, empty segments, backslashes, control
 * characters and scheme-like paths, in raw or percent-encoded form (decoded up to three times, so
 * `%252e%252e` counts as `..` too).
 */
export function forwardedPath(rawUrl: string, wildcardAt: number | undefined): string {
  const raw = rawUrl.split('?')[0] ?? '';
  if (wildcardAt === undefined) return '';
  if (!raw.startsWith('/')) throw refuse('the request target must be a path');
  const rest = raw.split('/').slice(wildcardAt).join('/');
  if (rest === '') return '';
  check(rest);
  return `/${rest}`;
}

function check(path: string): void {
  let text = path;
  for (let round = 0; round < 4; round++) {
    inspect(text);
    const next = decodeOnce(text);
    if (next === text) return;
    text = next;
  }
  throw refuse('it is percent-encoded too many times over');
}

function inspect(text: string): void {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\0-\x1f\x7f]/.test(text)) throw refuse('it contains a control character (CR, LF, NUL, ...)');
  if (text.includes('\\')) throw refuse('it contains a backslash');
  // `//host/...` is caught below as an empty segment; this catches `http:evil.example/...` and kin.
  if (/^(https?|wss?|ftp|file):/i.test(text)) throw refuse('it looks like an absolute URL');
  const segments = text.split('/');
  // A trailing slash is the caller's to send (`pages/`); an empty segment elsewhere (`a//b`, `//host`) is not.
  if (segments.slice(0, -1).some((s) => s === '')) throw refuse('it contains an empty segment (//)');
  if (segments.some((s) => s === '.' || s === '..')) throw refuse("it contains a '.' or '..' segment");
}

function decodeOnce(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw refuse('it is not valid percent-encoded UTF-8');
  }
}

function refuse(why: string): RuntimeError {
  return new RuntimeError(
    'NAF_ERR_INVALID_ARGUMENT',
    `Invalid argument 'path': the forwarded path is refused: ${why}`,
    {
      argument: 'path',
      issues: [{ argument: 'path', message: `refused: ${why}` }],
    },
  );
}
