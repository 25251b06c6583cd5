import { describe, expect, it } from 'vitest';
import { ConfigError, resolveBaseUris } from './config.js';

const logto = [
  { namespace: 'logto-one-time-tokens', baseUri: 'https://[tenant_id].logto.app', variables: ['tenant_id'] },
];

describe('resolveBaseUris', () => {
  it('fills [tenant_id] from TENANT_ID: calls target https://<tenant>.logto.app', () => {
    const urls = resolveBaseUris(logto, { overrides: {}, vars: {}, env: { TENANT_ID: 'acme' } });
    expect(urls.get('logto-one-time-tokens')?.href).toBe('https://acme.logto.app/');
  });
  it('--var wins over the environment; --base-uri over both', () => {
    expect(
      resolveBaseUris(logto, { overrides: {}, vars: { tenant_id: 'cli' }, env: { TENANT_ID: 'env' } }).get(
        'logto-one-time-tokens',
      )?.host,
    ).toBe('cli.logto.app');
    expect(
      resolveBaseUris(logto, {
        overrides: { 'logto-one-time-tokens': 'http://127.0.0.1:1' },
        vars: { tenant_id: 'x' },
        env: {},
      }).get('logto-one-time-tokens')?.host,
    ).toBe('127.0.0.1:1');
  });
  it('names the variable and both ways to set it when unresolved', () => {
    expect(() => resolveBaseUris(logto, { overrides: {}, vars: {}, env: {} })).toThrow(ConfigError);
    expect(() => resolveBaseUris(logto, { overrides: {}, vars: {}, env: {} })).toThrow(
      /--var tenant_id=.*TENANT_ID=.*--base-uri logto-one-time-tokens=/s,
    );
  });
});
