// Compile-time facts of MCP resources and prompts. Template matching ported from the engine's
// ResourcesPromptsIntegrationTest / ResourceHandlerSafetyTest (matchTemplate), naftiko/ikanos v1.0.0-alpha2.

import { describe, expect, it } from 'vitest';
import type { CapabilityDocument } from '../spec/types.js';
import { compileTable } from './compile.js';
import { relativeLocation, uriMatcher } from './mcp-items.js';

describe('uriMatcher', () => {
  it('matches a fixed URI exactly, with no parameters', () => {
    const m = uriMatcher('data://databases/schema', []);
    expect(m('data://databases/schema')).toEqual({});
    expect(m('data://databases/other')).toBeUndefined();
  });

  it('extracts one or more parameters, one segment each, percent-decoded', () => {
    expect(uriMatcher('data://users/{userId}/profile', ['userId'])('data://users/42/profile')).toEqual({
      userId: '42',
    });
    expect(uriMatcher('data://orgs/{orgId}/users/{userId}', ['orgId', 'userId'])('data://orgs/acme/users/bob')).toEqual(
      {
        orgId: 'acme',
        userId: 'bob',
      },
    );
    expect(uriMatcher('data://users/{id}', ['id'])('data://users/a%20b')).toEqual({ id: 'a b' });
  });

  it('never lets a parameter span a / or be empty; a bad %-escape matches nothing', () => {
    const m = uriMatcher('data://users/{userId}/profile', ['userId']);
    expect(m('data://users/a/b/profile')).toBeUndefined();
    expect(m('data://users//profile')).toBeUndefined();
    expect(m('data://users/%zz/profile')).toBeUndefined();
  });

  it('treats the rest of the URI literally (no regex meaning)', () => {
    expect(uriMatcher('x://a.b/{id}', ['id'])('x://aXb/1')).toBeUndefined();
  });
});

describe('relativeLocation', () => {
  it.each([
    ['file:///./docs/guide.md', 'docs/guide.md'],
    ['file://./docs', 'docs'],
    ['file:///./docs/', 'docs'],
  ])('%s → %s', (location, path) => {
    expect(relativeLocation(location)).toEqual({ path });
  });

  it.each([
    ['file:///etc/passwd', 'not relative'],
    ['/etc/passwd', 'not relative'],
    ['docs/guide.md', 'not relative'],
    ['file:///./../secrets', "found '..'"],
    ['file:///./docs/../../x', "found '..'"],
    ['file:///./%2e%2e/x', "found '..'"],
    ['file:///./docs/./x', "found '.'"],
    ['file:///./a b', "found 'a b'"],
    ['file:///./a\\b', "found 'a\\b'"],
  ])('refuses %s', (location, why) => {
    const r = relativeLocation(location);
    expect('reason' in r && r.reason).toContain(why);
  });
});

function doc(resources: unknown[], prompts: unknown[] = []): CapabilityDocument {
  return {
    naftiko: '1.0.0-alpha2',
    capability: {
      exposes: [{ type: 'mcp', namespace: 'm', tools: [], resources, prompts }],
      consumes: [
        {
          type: 'http',
          namespace: 'up',
          baseUri: 'http://127.0.0.1:1',
          resources: [{ path: '/u/{{id}}', name: 'u', operations: [{ method: 'GET', name: 'get-u' }] }],
        },
      ],
    },
  } as unknown as CapabilityDocument;
}

describe('compileTable: resources and prompts', () => {
  it('keeps what it can serve and refuses the rest at load, with where and why', () => {
    const table = compileTable(
      doc([
        { name: 'ok', uri: 'docs://ok', location: 'file:///./ok.md' },
        { name: 'abs', uri: 'docs://abs', location: 'file:///etc' },
        { name: 'tpl', uri: 'docs://{x}', location: 'file:///./d' },
        { name: 'dup', uri: 'docs://ok', location: 'file:///./other.md' },
        { name: 'user', uri: 'up://u/{id}', call: 'up.get-u' },
        { name: 'bad-call', uri: 'up://nope', call: 'up.nope' },
        { name: 'no-scheme', uri: 'just-text', location: 'file:///./x' },
      ]),
    );
    expect(table.resources?.map((r) => [r.name, r.kind])).toEqual([
      ['ok', 'static'],
      ['user', 'dynamic'],
    ]);
    const refused = table.unsupported.map((u) => [u.where, u.ptr]);
    expect(refused).toEqual([
      ['m resource abs (resources[1])', '/capability/exposes/0/resources/1/location'],
      ['m resource tpl (resources[2])', '/capability/exposes/0/resources/2/uri'],
      ['m resource dup (resources[3])', '/capability/exposes/0/resources/3/uri'],
      ['m resource bad-call (resources[5])', expect.stringMatching(/^\/capability\/exposes\/0\/resources\/5/)],
      ['m resource no-scheme (resources[6])', '/capability/exposes/0/resources/6/uri'],
    ]);
    // A dynamic resource is not a tool.
    expect(table.bindings).toEqual([]);
    const user = table.resources?.[1];
    expect(user?.kind === 'dynamic' && user.binding.input.args.map((a) => [a.name, a.required])).toEqual([
      ['id', true],
    ]);
  });

  it('compiles prompts: required defaults to true; a prompt needs messages or a file', () => {
    const table = compileTable(
      doc(
        [],
        [
          {
            name: 'p',
            description: 'd',
            arguments: [
              { name: 'a', description: 'x' },
              { name: 'b', description: 'y', required: false },
            ],
            template: [{ role: 'user', content: '{{a}}' }],
          },
          { name: 'f', description: 'd', location: 'file:///./prompt.txt' },
          { name: 'empty', description: 'd' },
          { name: 'p', description: 'again', template: [{ role: 'user', content: 'x' }] },
        ],
      ),
    );
    expect(table.prompts?.map((p) => [p.name, p.arguments.map((a) => a.required), p.location ?? null])).toEqual([
      ['p', [true, false], null],
      ['f', [], 'prompt.txt'],
    ]);
    expect(table.unsupported.map((u) => u.reason)).toEqual([
      'a prompt needs a template (messages) or a location (file)',
      'a prompt of this name is already served',
    ]);
  });
});
