// `runtime start` settings for inbound OAuth and CORS (src/cli/inbound-oauth-options.ts), and the start-up
// refusals that follow from them (a scope rule naming no tool, introspection without a client).

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inboundOAuthSettings } from '../../src/cli/inbound-oauth-options.js';
import { UsageError } from '../../src/cli/io.js';
import { ConfigError } from '../../src/config.js';
import { startTestRuntime } from '../support/runtime.js';

const FILE = resolve(import.meta.dirname, 'fixtures/oauth2-both.yaml');

describe('inboundOAuthSettings', () => {
  it('nothing given: no settings (CORS off, the file decides)', () => {
    expect(inboundOAuthSettings({}, {})).toEqual({ warnings: [] });
  });

  it('flags win over the environment; lists come from repeated flags or comma-separated variables', () => {
    const s = inboundOAuthSettings(
      {
        'inbound-oauth-issuer': ['https://tenant.logto.app/oidc'],
        'inbound-scope': ['readonly=tokens:read', 'create-one-time-token=tokens:write'],
        'inbound-oauth-jwks-cooldown': '10s',
        'inbound-oauth-clock-skew': '1m',
      },
      {
        INBOUND_OAUTH_ISSUER: 'https://ignored.example.com',
        INBOUND_OAUTH_AUDIENCE: 'https://mcp.example.com/mcp',
        CORS_ORIGINS: 'https://App.example.com:443/, logto-one-time-tokens-mcp=http://localhost:5173',
      },
    );
    expect(s.inboundOAuth).toEqual({
      issuer: 'https://tenant.logto.app/oidc',
      audience: 'https://mcp.example.com/mcp',
      jwksCooldownMs: 10_000,
      clockSkewSeconds: 60,
      scopeRules: [
        { target: 'readonly', scope: 'tokens:read' },
        { target: 'create-one-time-token', scope: 'tokens:write' },
      ],
      cors: [
        { origin: 'https://app.example.com' },
        { adapter: 'logto-one-time-tokens-mcp', origin: 'http://localhost:5173' },
      ],
    });
  });

  it('the introspection secret only from the environment; every problem reported together', () => {
    const s = inboundOAuthSettings(
      { 'inbound-oauth-introspection-client-id': 'rs' },
      { INBOUND_OAUTH_INTROSPECTION_CLIENT_SECRET: 'introspection-secret' },
    );
    expect(s.inboundOAuth?.introspection).toEqual({ clientId: 'rs', clientSecret: 'introspection-secret' });
    let err: unknown;
    try {
      inboundOAuthSettings(
        {
          'inbound-oauth-introspection-client-id': 'rs',
          'inbound-scope': ['no-equals'],
          'cors-origin': ['ftp://x'],
          'inbound-oauth-issuer': ['not a url'],
        },
        {},
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    const lines = (err as Error).message.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.join('\n')).toContain('INBOUND_OAUTH_INTROSPECTION_CLIENT_SECRET');
  });

  it('plain-http issuer beyond loopback and a * origin are warned about', () => {
    const s = inboundOAuthSettings(
      { 'inbound-oauth-issuer': ['http://auth.example.com/oidc'], 'cors-origin': ['*'] },
      {},
    );
    expect(s.warnings.join('\n')).toMatch(/plain http[\s\S]*any web page/);
  });
});

describe('start-up refusals', () => {
  it('a scope rule naming no tool, operation or class is refused with the nearest name', async () => {
    await expect(
      startTestRuntime({
        file: FILE,
        sandbox: true,
        inboundOAuth: { scopeRules: [{ target: 'create-one-time-tokn', scope: 'tokens:write' }] },
      }),
    ).rejects.toThrow(
      /no tool, REST operation or class 'create-one-time-tokn' \(did you mean 'create-one-time-token'\?\)/,
    );
  });

  it('tokenValidation: introspection without an introspection client is refused', async () => {
    await expect(
      startTestRuntime({ file: resolve(import.meta.dirname, 'fixtures/oauth2-introspection.yaml'), sandbox: true }),
    ).rejects.toThrow(ConfigError);
  });
});
