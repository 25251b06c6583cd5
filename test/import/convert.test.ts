// The reference engine's OasImportConverter scenarios, as facts of `runtime import openapi`'s converter
// (src/import/convert.ts); where this runtime differs on purpose the test says so (docs/import.md).

import { describe, expect, it } from 'vitest';
import { convertOpenApi } from '../../src/import/convert.js';
import type { ImportedApi, ImportedOperation } from '../../src/import/model.js';
import { inputType, kebab, schemaType } from '../../src/import/names.js';

type Doc = Record<string, unknown>;
const doc = (extra: Doc): Doc => ({
  openapi: '3.0.3',
  info: { title: 'Petstore API', version: '1' },
  paths: {},
  ...extra,
});
const ops = (api: ImportedApi): ImportedOperation[] => api.resources.flatMap((r) => r.operations);
/** The one operation of a converted API, or of a document (converted first). */
const only = (from: ImportedApi | Doc): ImportedOperation => {
  const all = ops('resources' in from ? (from as ImportedApi) : convertOpenApi(from));
  expect(all).toHaveLength(1);
  return all[0]!;
};
const op = (method: string, path: string, operation: Doc): Doc => doc({ paths: { [path]: { [method]: operation } } });

describe('namespace and base URI', () => {
  it('namespace is info.title in kebab-case, with no warning', () => {
    const api = convertOpenApi(doc({ servers: [{ url: 'https://api.petstore.io/v1' }] }));
    expect(api.namespace).toBe('petstore-api');
    expect(api.warnings).toEqual([]);
  });

  it("no title: 'unknown-api' and a warning", () => {
    const api = convertOpenApi({ openapi: '3.0.0', paths: {} });
    expect(api.namespace).toBe('unknown-api');
    expect(api.warnings.join('\n')).toMatch(/info\.title/);
  });

  it('camelCase titles are split: MyAwesomeService → my-awesome-service; --namespace overrides', () => {
    expect(convertOpenApi(doc({ info: { title: 'MyAwesomeService' } })).namespace).toBe('my-awesome-service');
    expect(convertOpenApi(doc({}), { namespace: 'pets' }).namespace).toBe('pets');
  });

  it('base URI is the first server, without its trailing slash', () => {
    expect(convertOpenApi(doc({ servers: [{ url: 'https://api.petstore.io/v1' }] })).baseUri).toBe(
      'https://api.petstore.io/v1',
    );
    expect(convertOpenApi(doc({ servers: [{ url: 'https://api.petstore.io/v1/' }] })).baseUri).toBe(
      'https://api.petstore.io/v1',
    );
  });

  it('no servers (or a null first entry): the placeholder https://api.example.com and a warning', () => {
    for (const servers of [undefined, [null]]) {
      const api = convertOpenApi(doc(servers ? { servers } : {}));
      expect(api.baseUri).toBe('https://api.example.com');
      expect(api.warnings.join('\n')).toMatch(/No servers/);
    }
  });

  it('differs: a relative server URL keeps its path on the placeholder origin; variables take their defaults', () => {
    const rel = convertOpenApi(doc({ servers: [{ url: '/v3' }] }));
    expect(rel.baseUri).toBe('https://api.example.com/v3');
    expect(rel.warnings.join('\n')).toMatch(/relative/);
    const vars = convertOpenApi(
      doc({ servers: [{ url: 'https://{region}.x.io', variables: { region: { default: 'eu' } } }] }),
    );
    expect(vars.baseUri).toBe('https://eu.x.io');
  });
});

describe('resources and operations', () => {
  it('groups operations by path; resource names are the path in kebab-case (placeholders kept as words)', () => {
    const api = convertOpenApi(
      doc({
        paths: {
          '/pets': { get: { operationId: 'listPets' }, post: { operationId: 'createPet' } },
          '/pets/{petId}': { get: { operationId: 'showPetById' } },
          '/stores': { get: { operationId: 'listStores' } },
        },
      }),
    );
    expect(api.resources.map((r) => [r.name, r.path, r.operations.length])).toEqual([
      ['pets', '/pets', 2],
      ['pets-pet-id', '/pets/{petId}', 1],
      ['stores', '/stores', 1],
    ]);
  });

  it('operation names: operationId in kebab-case, else {method}-{path slug}', () => {
    expect(only(op('get', '/pets', { operationId: 'listAllPets' })).name).toBe('list-all-pets');
    expect(only(op('delete', '/pets/{petId}', {})).name).toBe('delete-pets-pet-id');
  });

  it('summary is the label, description the description', () => {
    const o = only(op('get', '/pets', { summary: 'List pets', description: 'All of them.' }));
    expect([o.label, o.description]).toEqual(['List pets', 'All of them.']);
  });

  it('empty paths: no resources', () => {
    expect(convertOpenApi(doc({ paths: {} })).resources).toEqual([]);
  });

  it('differs: HEAD/OPTIONS/TRACE are skipped with a warning (alpha2 has five methods)', () => {
    const api = convertOpenApi(doc({ paths: { '/x': { head: {}, get: {} } } }));
    expect(ops(api).map((o) => o.method)).toEqual(['GET']);
    expect(api.warnings.join('\n')).toMatch(/HEAD \/x: skipped/);
  });

  it('differs: duplicate operation names get a numeric suffix (a call names one operation)', () => {
    const api = convertOpenApi(
      doc({ paths: { '/a': { get: { operationId: 'x' } }, '/b': { get: { operationId: 'x' } } } }),
    );
    expect(ops(api).map((o) => o.name)).toEqual(['x', 'x-2']);
  });
});

describe('parameters', () => {
  it('path and query parameters keep name, location, type and required (path ones required by default)', () => {
    const o = only(
      op('get', '/pets/{petId}', {
        parameters: [
          { name: 'petId', in: 'path', schema: { type: 'integer' } },
          { name: 'fields', in: 'query', schema: { type: 'string' } },
        ],
      }),
    );
    // The engine writes `number` for integers; alpha2 inputs have `integer`, so it is kept.
    expect(o.params).toEqual([
      { name: 'petId', in: 'path', type: 'integer', required: true },
      { name: 'fields', in: 'query', type: 'string', required: false },
    ]);
  });

  it('OAS 3.1 type lists give the first non-null type', () => {
    const o = only(
      op('get', '/u', { parameters: [{ name: 'nick', in: 'query', schema: { type: ['null', 'string'] } }] }),
    );
    expect(o.params[0]?.type).toBe('string');
    expect(schemaType({ type: ['integer', 'null'] })).toBe('integer');
    expect(schemaType({})).toBeUndefined();
    expect(inputType({})).toBe('string');
  });

  it('differs: path-level parameters apply to every operation; an undeclared placeholder is a required string', () => {
    const api = convertOpenApi(
      doc({ paths: { '/t/{id}/{v}': { parameters: [{ name: 'id', in: 'path', required: true }], get: {} } } }),
    );
    expect(only(api).params.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual(['path:id:true', 'path:v:true']);
    expect(api.warnings.join('\n')).toMatch(/'\{v\}' is not declared/);
  });
});

describe('request bodies', () => {
  const body = (schema: Doc, required = true) => ({
    requestBody: { required, content: { 'application/json': { schema } } },
  });

  it('object properties become in: body parameters, names kept as written, required from the schema', () => {
    const o = only(
      op(
        'post',
        '/users',
        body({
          type: 'object',
          required: ['firstName'],
          properties: { firstName: { type: 'string', description: 'Given name' }, last_name: { type: 'string' } },
        }),
      ),
    );
    expect(o.body).toBe('fields');
    expect(o.params).toEqual([
      { name: 'firstName', in: 'body', type: 'string', required: true, description: 'Given name' },
      { name: 'last_name', in: 'body', type: 'string', required: false },
    ]);
  });

  it('OAS 3.1 nullable property types read as their non-null type', () => {
    const o = only(
      op(
        'post',
        '/u',
        body({ type: 'object', properties: { nick: { type: ['string', 'null'] }, age: { type: 'integer' } } }),
      ),
    );
    expect(o.params.map((p) => `${p.name}:${p.type}:${p.in}`)).toEqual(['nick:string:body', 'age:integer:body']);
  });

  it('a non-object body is one `body` parameter, required as the request body says', () => {
    const o = only(op('post', '/list', body({ type: 'array', items: { type: 'string' } }, false)));
    expect(o.body).toBe('whole');
    expect(o.params).toEqual([expect.objectContaining({ name: 'body', in: 'body', type: 'array', required: false })]);
  });

  it('differs: one property is sent through a body template, so the upstream still gets an object', () => {
    const o = only(op('put', '/s', body({ type: 'object', properties: { status: { type: 'string' } } })));
    expect(o.body).toBe('template');
    expect(o.params.map((p) => p.name)).toEqual(['status']);
  });

  it('differs: untyped properties make one `body` object whose description lists the fields (Logto fragment)', () => {
    const api = convertOpenApi(
      op(
        'post',
        '/t',
        body({ properties: { email: { description: 'The email.' }, expiresIn: { description: 'Seconds.' } } }),
      ),
    );
    const o = only(api);
    expect(o.body).toBe('whole');
    expect(o.params[0]).toMatchObject({ name: 'body', type: 'object' });
    expect(o.params[0]?.description).toMatch(/email — The email; expiresIn — Seconds/);
    expect(api.warnings.join('\n')).toMatch(/without a type \(email, expiresIn\)/);
  });

  it('differs: readOnly properties are not inputs; a non-JSON body is left out with a warning', () => {
    const ro = only(
      op(
        'post',
        '/p',
        body({
          type: 'object',
          properties: { id: { type: 'integer', readOnly: true }, a: { type: 'string' }, b: { type: 'string' } },
        }),
      ),
    );
    expect(ro.params.map((p) => p.name)).toEqual(['a', 'b']);
    const bin = convertOpenApi(
      op('post', '/up', { requestBody: { content: { 'application/octet-stream': { schema: { type: 'string' } } } } }),
    );
    expect(only(bin).body).toBe('none');
    expect(bin.warnings.join('\n')).toMatch(/application\/octet-stream\) not imported/);
  });
});

describe('outputs', () => {
  const ok = (schema: Doc) => ({ responses: { '200': { content: { 'application/json': { schema } } } } });

  it('the first 2xx JSON response: one output per property, JSONPath $.name, integers as number', () => {
    const o = only(
      op(
        'get',
        '/p',
        ok({
          type: 'object',
          properties: { id: { type: 'integer' }, name: { type: 'string' }, tags: { type: 'array' } },
        }),
      ),
    );
    expect(o.json).toBe(true);
    expect(o.outputs).toEqual([
      { name: 'id', type: 'number', value: '$.id' },
      { name: 'name', type: 'string', value: '$.name' },
      { name: 'tags', type: 'array', value: '$.tags' },
    ]);
  });

  it('nested objects stay one object output (alpha2 consumed outputs are flat)', () => {
    const o = only(
      op(
        'get',
        '/p',
        ok({ type: 'object', properties: { address: { type: 'object', properties: { city: { type: 'string' } } } } }),
      ),
    );
    expect(o.outputs).toEqual([{ name: 'address', type: 'object', value: '$.address' }]);
  });

  it('an array response is one array output over the whole body', () => {
    const o = only(
      op('get', '/p', ok({ type: 'array', items: { type: 'object', properties: { id: { type: 'integer' } } } })),
    );
    expect(o.outputs).toEqual([{ name: 'result', type: 'array', value: '$.' }]);
  });

  it('writeOnly properties are left out; OAS 3.1 nullable ones keep their type', () => {
    const o = only(
      op(
        'get',
        '/p',
        ok({
          type: 'object',
          properties: { password: { type: 'string', writeOnly: true }, nickname: { type: ['string', 'null'] } },
        }),
      ),
    );
    expect(o.outputs).toEqual([{ name: 'nickname', type: 'string', value: '$.nickname' }]);
  });

  it('no 2xx JSON response: no outputs and no json format', () => {
    const o = only(op('delete', '/p', { responses: { '204': { description: 'gone' } } }));
    expect([o.json, o.outputs]).toEqual([false, []]);
  });
});

describe('authentication', () => {
  const schemes = (s: Doc) => convertOpenApi(doc({ components: { securitySchemes: s } }));

  it('apiKey: key and placement from the scheme, value from a bind variable', () => {
    expect(schemes({ k: { type: 'apiKey', name: 'X-API-Key', in: 'header' } }).auth).toEqual({
      type: 'apikey',
      key: 'X-API-Key',
      placement: 'header',
      variable: 'PETSTORE_API_API_KEY',
    });
  });

  it('http bearer, basic and digest (the last two with a warning to configure credentials)', () => {
    expect(schemes({ b: { type: 'http', scheme: 'bearer' } }).auth?.type).toBe('bearer');
    for (const scheme of ['basic', 'digest']) {
      const api = schemes({ x: { type: 'http', scheme } });
      expect(api.auth).toEqual({ type: scheme, variables: ['PETSTORE_API_USERNAME', 'PETSTORE_API_PASSWORD'] });
      expect(api.warnings.join('\n')).toMatch(new RegExp(`${scheme} authentication mapped`));
    }
  });

  it('oauth2, openIdConnect and a scheme without a type: no authentication and a warning', () => {
    for (const [s, text] of [
      [{ o: { type: 'oauth2', flows: {} } }, /oauth2 authentication not yet supported/],
      [
        { o: { type: 'openIdConnect', openIdConnectUrl: 'https://x' } },
        /openIdConnect authentication not yet supported/,
      ],
      [{ o: { description: 'no type' } }, /missing type information/],
    ] as const) {
      const api = schemes(s);
      expect(api.auth).toBeUndefined();
      expect(api.warnings.join('\n')).toMatch(text);
    }
  });

  it('differs: an unsupported first scheme does not hide a supported one after it (Petstore: oauth2, then apiKey)', () => {
    const api = schemes({ o: { type: 'oauth2', flows: {} }, k: { type: 'apiKey', name: 'api_key', in: 'header' } });
    expect(api.auth?.type).toBe('apikey');
  });
});

describe('kebab', () => {
  it('camelCase and spaces/special characters', () => {
    expect(kebab('listAllPets')).toBe('list-all-pets');
    expect(kebab('Petstore API')).toBe('petstore-api');
  });
});
