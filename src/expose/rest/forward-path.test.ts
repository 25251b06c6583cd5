import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../errors.js';
import { forwardedPath } from './forward-path.js';

describe('forwardedPath', () => {
  it('takes the wildcard part of the raw target, encoding kept, query dropped', () => {
    expect(forwardedPath('/notion/pages/a%20b?x=1', 2)).toBe('/pages/a%20b');
    expect(forwardedPath('/notion/v1/users/', 2)).toBe('/v1/users/');
    expect(forwardedPath('/notion/', 2)).toBe('');
    expect(forwardedPath('/proxy?x=1', undefined)).toBe('');
    expect(forwardedPath('/orgs/acme/repos/x', 3)).toBe('/repos/x');
  });

  it.each([
    ['/n/../admin', 'dot'],
    ['/n/a/..', 'dot'],
    ['/n/./a', 'dot'],
    ['/n/%2e%2e/admin', 'dot'],
    ['/n/%2E%2e/admin', 'dot'],
    ['/n/.%2e/admin', 'dot'],
    ['/n/a%2f..%2fadmin', 'dot'],
    ['/n/%252e%252e/admin', 'dot'],
    ['/n/a%0d%0aX-Injected:%201', 'control'],
    ['/n/a%00b', 'control'],
    ['/n/a\\b', 'backslash'],
    ['/n/a%5cb', 'backslash'],
    ['/n//evil.example/x', 'empty'],
    ['/n/%2f%2fevil.example/x', 'empty'],
    ['/n/a//b', 'empty'],
    ['/n/http:%2F%2Fevil.example', 'absolute'],
    ['/n/https:evil.example', 'absolute'],
    ['/n/%zz', 'percent'],
    ['/n/%25252525252e', 'too many'],
  ])('refuses %s (%s) as a 400 naming path', (url) => {
    let err: unknown;
    try {
      forwardedPath(url, 2);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).code).toBe('NAF_ERR_INVALID_ARGUMENT');
    expect((err as RuntimeError).details.argument).toBe('path');
  });

  it('keeps dots inside segments and encoded reserved characters', () => {
    expect(forwardedPath('/n/file.v1..json/a%3Fb/c:d', 2)).toBe('/file.v1..json/a%3Fb/c:d');
  });
});
