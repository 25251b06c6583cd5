import { describe, expect, it } from 'vitest';
import type { CapabilityDocument, ExposedResource } from '../spec/types.js';
import { compileForwards, type ForwardUnsupported } from './forward.js';

function doc(resources: ExposedResource[]): CapabilityDocument {
  return {
    naftiko: '1.0.0-alpha2',
    capability: {
      consumes: [
        {
          type: 'http',
          namespace: 'up',
          baseUri: 'https://api.example.com/v1',
          inputParameters: [
            { name: 'X-API-Version', in: 'header', value: '2026-03-03' },
            { name: 'X-Tenant', in: 'header', value: '{{TENANT}}' },
            { name: 'X-Empty', in: 'header', value: '{{UNSET}}' },
            { name: 'X-No-Value', in: 'header' },
            { name: 'region', in: 'query', value: 'eu' },
            { name: 'id', in: 'path', value: 'x' },
          ],
          resources: [],
        },
      ],
      exposes: [{ type: 'rest', namespace: 'ex', port: 1, resources }],
    },
  };
}

const compile = (resources: ExposedResource[]) => {
  const unsupported: ForwardUnsupported[] = [];
  return { routes: compileForwards(doc(resources), unsupported), unsupported };
};

describe('compileForwards', () => {
  it('a forward-only resource forwards every method, from the {path} segment on', () => {
    const { routes, unsupported } = compile([
      { path: '/notion/{{path}}', name: 'notion', forward: { targetNamespace: 'up' } },
    ]);
    expect(unsupported).toEqual([]);
    expect(routes).toMatchObject([
      {
        id: 'ex.forward /notion/{{path}}',
        upstream: 'up',
        wildcardAt: 2,
        boundMethods: [],
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      },
    ]);
  });

  it('operations come first: their methods (GET brings HEAD) never forward', () => {
    const { routes } = compile([
      { path: '/mixed', operations: [{ method: 'GET', call: 'up.x' }], forward: { targetNamespace: 'up' } },
    ]);
    expect(routes[0]?.boundMethods).toEqual(['GET', 'HEAD']);
    expect(routes[0]?.methods).toEqual(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
    expect(routes[0]?.wildcardAt).toBeUndefined();
  });

  it('trusted headers are lower-cased once; hop-by-hop and managed ones are set aside', () => {
    const { routes } = compile([
      {
        path: '/p/{path}',
        forward: { targetNamespace: 'up', trustedHeaders: ['Notion-Version', 'notion-version', 'Host', 'Connection'] },
      },
    ]);
    expect(routes[0]?.trustedHeaders).toEqual(['notion-version']);
    expect(routes[0]?.ignoredHeaders).toEqual(['Host', 'Connection']);
  });

  it('the target namespace value parameters: headers and query, bind templates rendered, empty ones skipped', () => {
    const { routes } = compile([{ path: '/p/{path}', forward: { targetNamespace: 'up' } }]);
    expect(routes[0]?.params({ TENANT: 'acme' })).toEqual({
      headers: { 'x-api-version': '2026-03-03', 'x-tenant': 'acme' },
      query: [['region', 'eu']],
    });
    expect(() => routes[0]?.params({ TENANT: 'a\r\nX-Evil: 1' })).toThrow(/CR, LF or NUL/);
  });

  it('refuses an unknown target, a wildcard that is not the whole last segment, a second route of the same shape', () => {
    const { routes, unsupported } = compile([
      { path: '/a/{{path}}', forward: { targetNamespace: 'nope' } },
      { path: '/b/{{path}}/c', forward: { targetNamespace: 'up' } },
      { path: '/c/x-{path}', forward: { targetNamespace: 'up' } },
      { path: '/d/{path}', forward: { targetNamespace: 'up' } },
      { path: '/d/{{path}}', forward: { targetNamespace: 'up' } },
    ]);
    expect(routes.map((r) => r.path)).toEqual(['/d/{path}']);
    expect(unsupported.map((u) => u.ptr)).toEqual([
      '/capability/exposes/0/resources/0/forward',
      '/capability/exposes/0/resources/1/forward',
      '/capability/exposes/0/resources/2/forward',
      '/capability/exposes/0/resources/4/forward',
    ]);
    expect(unsupported[3]?.reason).toMatch(/already serves this path/);
    expect(unsupported[0]?.reason).toMatch(/targetNamespace 'nope' names no consumed http namespace/);
    expect(unsupported[1]?.reason).toMatch(/whole last segment/);
  });
});
