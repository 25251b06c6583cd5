import { describe, expect, it } from 'vitest';
import { authorization, digestCredentials, parseChallenges } from './digest.js';

// RFC 7616 §3.9.1: the worked example (user Mufasa, password "Circle of Life", GET /dir/index.html).
const RFC = {
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};
const GET = { method: 'GET', uri: '/dir/index.html' };
const SIGNAL = new AbortController().signal;

function param(header: string, name: string): string | undefined {
  return parseChallenges(header)[0]?.params[name];
}

describe('digest response (RFC 7616 §3.9.1 example)', () => {
  it.each([
    ['SHA-256', 'sha256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
    ['MD5', 'md5', '8ca523f5e9506fed4657c9700eebdbec'],
  ])('%s gives the RFC response', (algorithm, hash, response) => {
    const header = authorization(
      { ...RFC, algorithm, hash, session: false, qop: 'auth', userhash: false },
      1,
      'Mufasa',
      'Circle of Life',
      GET,
      RFC.cnonce,
    );
    expect(param(header, 'response')).toBe(response);
    expect(header).toContain('nc=00000001');
    expect(header).toContain('qop=auth');
    expect(header).toContain(`opaque="${RFC.opaque}"`);
    expect(header).toContain(`algorithm=${algorithm}`);
    expect(header).not.toContain('Circle of Life');
  });

  it('userhash sends H(username:realm) instead of the name; a non-ASCII name goes as username*', () => {
    const c = { ...RFC, hash: 'sha256', session: false, qop: 'auth' as const };
    const hashed = authorization({ ...c, userhash: true }, 1, 'Mufasa', 'x', GET, RFC.cnonce);
    expect(param(hashed, 'username')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashed).toContain('userhash=true');
    const intl = authorization({ ...c, userhash: false }, 1, 'Jäsøn Doe', 'x', GET, RFC.cnonce);
    expect(intl).toContain("username*=UTF-8''J%C3%A4s%C3%B8n%20Doe");
  });
});

describe('parseChallenges', () => {
  it('reads several challenges from one joined header, quoted strings with escapes and bare tokens', () => {
    const list = parseChallenges(
      'Basic realm="a, b", Digest realm="r\\"q", nonce="n1", qop="auth,auth-int", algorithm=SHA-256, stale=TRUE, Digest realm="r", nonce=n2',
    );
    expect(list).toEqual([
      { scheme: 'basic', params: { realm: 'a, b' } },
      {
        scheme: 'digest',
        params: { realm: 'r"q', nonce: 'n1', qop: 'auth,auth-int', algorithm: 'SHA-256', stale: 'TRUE' },
      },
      { scheme: 'digest', params: { realm: 'r', nonce: 'n2' } },
    ]);
  });

  it('skips token68 padding and stray characters', () => {
    expect(parseChallenges('Negotiate abc==, Digest realm="x", nonce="y"').find((c) => c.scheme === 'digest')).toEqual({
      scheme: 'digest',
      params: { realm: 'x', nonce: 'y' },
    });
  });
});

describe('digestCredentials', () => {
  const target = { method: 'POST', uri: '/v1/things?x=1', body: '{"a":1}' };
  const challenge = (extra = '') => ({
    headers: { 'www-authenticate': `Digest realm="api", nonce="abc", qop="auth", algorithm=SHA-256${extra}` },
  });

  it('sends nothing before a challenge, then answers it with nc counting up per request', async () => {
    const creds = digestCredentials('svc', 'pw', 'up');
    expect(await creds.apply(SIGNAL, target)).toEqual({ headers: {}, query: [] });
    expect(await creds.refresh?.({ headers: {}, query: [] }, challenge())).toBe(true);
    const first = (await creds.apply(SIGNAL, target)).headers['authorization'] ?? '';
    const second = (await creds.apply(SIGNAL, target)).headers['authorization'] ?? '';
    expect(first).toMatch(
      /^Digest username="svc", realm="api", uri="\/v1\/things\?x=1", algorithm=SHA-256, nonce="abc"/,
    );
    expect(param(first, 'nc')).toBe('00000001');
    expect(param(second, 'nc')).toBe('00000002');
    expect(param(first, 'cnonce')).not.toBe(param(second, 'cnonce'));
    expect(creds.secrets()).toEqual(['pw']);
  });

  it('a new challenge (stale nonce) restarts the count', async () => {
    const creds = digestCredentials('svc', 'pw', 'up');
    await creds.refresh?.({ headers: {}, query: [] }, challenge());
    await creds.apply(SIGNAL, target);
    await creds.refresh?.({ headers: {}, query: [] }, challenge(', stale=true'));
    expect(param((await creds.apply(SIGNAL, target)).headers['authorization'] ?? '', 'nc')).toBe('00000001');
  });

  it('prefers the first challenge it can answer, and qop auth over auth-int', async () => {
    const creds = digestCredentials('svc', 'pw', 'up');
    await creds.refresh?.(
      { headers: {}, query: [] },
      {
        headers: {
          'www-authenticate':
            'Digest realm="api", nonce="n0", algorithm=SHA-999, Digest realm="api", nonce="n1", qop="auth-int, auth", algorithm=MD5-sess',
        },
      },
    );
    const h = (await creds.apply(SIGNAL, target)).headers['authorization'] ?? '';
    expect(param(h, 'nonce')).toBe('n1');
    expect(param(h, 'algorithm')).toBe('MD5-sess');
    expect(param(h, 'qop')).toBe('auth');
  });

  it('a 401 without a digest challenge is not retried; one it cannot answer is NAF_ERR_UPSTREAM_AUTH naming it', async () => {
    const creds = digestCredentials('svc', 'pw', 'up');
    expect(await creds.refresh?.({ headers: {}, query: [] }, { headers: { 'www-authenticate': 'Bearer' } })).toBe(
      false,
    );
    await expect(
      creds.refresh?.(
        { headers: {}, query: [] },
        { headers: { 'www-authenticate': 'Digest realm="a", nonce="b", algorithm=SHA-999' } },
      ),
    ).rejects.toMatchObject({ code: 'NAF_ERR_UPSTREAM_AUTH', message: expect.stringContaining('SHA-999') });
  });
});
