import { describe, expect, it } from 'vitest';
import { inboundAuthFor, maskQueryParam } from './inbound-auth.js';

const vars = { TOKEN: 'tok-123456', KEY: 'key-123456' };

describe('securityScheme (what OpenAPI publishes)', () => {
  it('names the scheme, header or parameter, never a value', () => {
    expect(inboundAuthFor({ type: 'bearer', token: '{{TOKEN}}' }, vars, 'a')?.securityScheme).toEqual({
      type: 'http',
      scheme: 'bearer',
    });
    expect(
      inboundAuthFor({ type: 'apikey', key: 'api_key', value: '{{KEY}}', placement: 'query' }, vars, 'a')
        ?.securityScheme,
    ).toEqual({ type: 'apiKey', in: 'query', name: 'api_key' });
  });

  it('oauth2: the declared tokenEndpoint, else the authorization server (as the spec’s exporter does)', () => {
    const base = { type: 'oauth2', authorizationServerUri: 'https://auth.example.com/oidc', resource: 'https://api' };
    const flow = (spec: object) =>
      (inboundAuthFor(spec, vars, 'a')?.securityScheme as { flows: { clientCredentials: unknown } }).flows
        .clientCredentials;
    expect(flow({ ...base, scopes: ['read'] })).toEqual({
      tokenUrl: 'https://auth.example.com/oidc',
      scopes: { read: 'read' },
    });
    expect(flow({ ...base, tokenEndpoint: 'https://auth.example.com/oidc/token' })).toEqual({
      tokenUrl: 'https://auth.example.com/oidc/token',
      scopes: {},
    });
  });
});

describe('maskQueryParam', () => {
  it('masks every value of the key, encoded or not, and keeps the rest as sent', () => {
    expect(maskQueryParam('/v1/x?a=1&api_key=s3cret&api%5Fkey=other&b=%20', 'api_key')).toBe(
      '/v1/x?a=1&api_key=[REDACTED]&api%5Fkey=[REDACTED]&b=%20',
    );
    expect(maskQueryParam('/v1/x', 'api_key')).toBe('/v1/x');
  });
});
