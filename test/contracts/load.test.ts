// Loading and matching upstream contracts: where a document comes from, what is refused and why, how
// consumed operations meet OpenAPI ones, and that the file's own declarations win.

import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTable } from '../../src/binding/compile.js';
import { contractsSettings } from '../../src/cli/contracts-options.js';
import { loadContracts, openApiEnvName } from '../../src/contracts/index.js';
import { toJsonSchema } from '../../src/contracts/schemas.js';
import { loadCapability } from '../../src/spec/load.js';
import type { CapabilityDocument } from '../../src/spec/types.js';
import { startRecordingUpstream, type RecordingUpstream } from '../helpers/recording-upstream.js';
import { SEED, startTestRuntime } from '../support/runtime.js';
import { OPENAPI } from './contract-files.js';

let dir: string;
let seed: CapabilityDocument;
let logto: Record<string, unknown>;
let up: RecordingUpstream;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'contracts-'));
  seed = (await loadCapability(SEED)).doc as CapabilityDocument;
  logto = JSON.parse(await readFile(OPENAPI, 'utf8')) as Record<string, unknown>;
  up = await startRecordingUpstream();
});
afterAll(() => up?.close());

async function file(name: string, doc: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}
const source = (location: string, namespace?: string) => ({
  location,
  from: '--openapi',
  ...(namespace ? { namespace } : {}),
});

describe('where a document comes from', () => {
  it('NAFTIKO_OPENAPI_<NS> names it, with the base URI variable naming', async () => {
    expect(openApiEnvName('logto-one-time-tokens')).toBe('NAFTIKO_OPENAPI_LOGTO_ONE_TIME_TOKENS');
    const loaded = await loadContracts(seed, [], { NAFTIKO_OPENAPI_LOGTO_ONE_TIME_TOKENS: OPENAPI });
    expect(loaded?.summaries).toEqual([{ namespace: 'logto-one-time-tokens', location: OPENAPI, matched: 6, of: 6 }]);
  });

  it('the flag wins over the environment; none at all changes nothing', async () => {
    const other = await file('empty-paths.json', { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} });
    const loaded = await loadContracts(seed, [source(OPENAPI)], { NAFTIKO_OPENAPI_LOGTO_ONE_TIME_TOKENS: other });
    expect(loaded?.summaries[0]?.location).toBe(OPENAPI);
    expect(await loadContracts(seed, [], {})).toBeUndefined();
  });

  it('an http(s) URL is fetched once; YAML is read too', async () => {
    up.respond(() => ({ headers: { 'content-type': 'application/yaml' }, body: yamlOf(logto) }));
    const loaded = await loadContracts(seed, [source(`${up.url}/openapi.yaml`)], {});
    expect(loaded?.summaries[0]).toMatchObject({ matched: 6, of: 6 });
    expect(up.requests.map((r) => r.path)).toEqual(['/openapi.yaml']);
  });

  it('--openapi parses ns=path and a bare path or URL (an = in a URL query is not a namespace)', () => {
    expect(contractsSettings({ openapi: ['logto=a.json', 'b.yaml', 'https://x/o.json?v=1'] }, {}).contracts).toEqual([
      { namespace: 'logto', location: 'a.json', from: '--openapi' },
      { location: 'b.yaml', from: '--openapi' },
      { location: 'https://x/o.json?v=1', from: '--openapi' },
    ]);
    expect(() => contractsSettings({ openapi: ['logto='] }, {})).toThrow(/give a file path or an http\(s\) URL/);
  });
});

describe('what is refused, with the reason', () => {
  it('a remote $ref', async () => {
    const doc = structuredClone(logto) as { components: { schemas: Record<string, unknown> } };
    doc.components.schemas['OneTimeTokenStatus'] = { $ref: 'https://example.com/schemas.json#/Status' };
    const path = await file('remote-ref.json', doc);
    await expect(loadContracts(seed, [source(path)], {})).rejects.toThrow(
      /remote \$ref 'https:\/\/example.com\/schemas.json#\/Status' at \/components\/schemas\/OneTimeTokenStatus; remote references are refused/,
    );
  });

  it('a relative $ref in a document fetched by URL (it would be fetched too)', async () => {
    up.respond(() => ({ body: { openapi: '3.0.3', info: {}, paths: { '/a': { $ref: 'paths.json#/a' } } } }));
    await expect(loadContracts(seed, [source(`${up.url}/doc.json`)], {})).rejects.toThrow(
      /remote \$ref 'paths.json#\/a'/,
    );
  });

  it('Swagger 2.0, a fragment without `openapi`, a namespace not consumed, a bare path with two namespaces', async () => {
    await expect(loadContracts(seed, [source(await file('sw.json', { swagger: '2.0' }))], {})).rejects.toThrow(
      /is Swagger 2.0; only OpenAPI 3.0 and 3.1 are read/,
    );
    const fragment = '/work/shared/reference/logto-one-time-tokens.openapi.json';
    await expect(loadContracts(seed, [source(fragment)], {})).rejects.toThrow(
      /has no 'openapi: 3.0.x' or '3.1.x' field/,
    );
    await expect(loadContracts(seed, [source(OPENAPI, 'nope')], {})).rejects.toThrow(
      /names namespace 'nope', which the capability does not consume; consumed: logto-one-time-tokens/,
    );
    const two = structuredClone(seed);
    const consumes = two.capability!.consumes!;
    consumes.push({ ...(consumes[0] as object), namespace: 'second' } as (typeof consumes)[number]);
    await expect(loadContracts(two, [source(OPENAPI)], {})).rejects.toThrow(
      /consumes 2 namespaces \(logto-one-time-tokens, second\); say which one with --openapi <namespace>=/,
    );
  });

  it('a start-up error from runtime start, before anything listens', async () => {
    await expect(startTestRuntime({ sandbox: true, contracts: [source(join(dir, 'missing.json'))] })).rejects.toThrow(
      /--openapi: cannot read .*missing.json: ENOENT/,
    );
  });
});

describe('matching consumed operations', () => {
  it('an operation the document does not describe is a start-up warning naming it, and stays untyped', async () => {
    const doc = structuredClone(logto) as { paths: Record<string, unknown> };
    delete doc.paths['/api/one-time-tokens/verify'];
    const rt = await startTestRuntime({ sandbox: true, contracts: [source(await file('no-verify.json', doc))] });
    try {
      const warn = rt.logs.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40);
      expect(warn.map((l) => l.msg)).toContain(
        'upstream contract: no OpenAPI operation matches logto-one-time-tokens.verifyonetimetoken (POST /api/one-time-tokens/verify); it stays untyped',
      );
      expect(rt.logs.join('\n')).toContain('(5 of 6 consumed operations matched)');
      const verify = rt.table.bindings.find((b) => b.id === 'logto-one-time-tokens-mcp.verify-one-time-token');
      expect(verify?.input.schema['properties']).toEqual({
        body: { type: 'object', description: 'Request body (JSON).' },
      });
      expect(verify?.response).toBeUndefined();
    } finally {
      await rt.close();
    }
  });

  it('placeholders of either syntax and name, and the base URI path as a prefix', async () => {
    const doc = structuredClone(logto) as { paths: Record<string, unknown>; servers?: unknown };
    const paths = doc.paths;
    doc.paths = {
      '/one-time-tokens': paths['/api/one-time-tokens'],
      '/one-time-tokens/verify': paths['/api/one-time-tokens/verify'],
      '/one-time-tokens/{{tokenId}}': paths['/api/one-time-tokens/{id}'],
      '/one-time-tokens/{tokenId}/status': paths['/api/one-time-tokens/{id}/status'],
    };
    doc.servers = [{ url: 'https://{tenant}.logto.app/api' }];
    const loaded = await loadContracts(seed, [source(await file('server-prefix.json', doc))], {});
    expect(loaded?.unmatched).toEqual([]);
    expect(loaded?.index.get('logto-one-time-tokens.replaceonetimetokenstatus')?.where).toMatch(
      /^PUT \/one-time-tokens\/\{tokenId\}\/status in /,
    );
  });
});

describe('compiling the contract into the table', () => {
  it("the file's declarations win: its description and type stay, the contract adds the rest", async () => {
    const doc = structuredClone(logto) as {
      paths: Record<string, Record<string, { parameters: Array<Record<string, unknown>> }>>;
    };
    const list = doc.paths['/api/one-time-tokens']!['get']!;
    // The file says page is an integer and describes page_size; the contract disagrees on the first.
    list.parameters = list.parameters.map((p) =>
      p['name'] === 'page' ? { ...p, schema: { type: 'string', enum: ['x'] } } : p,
    );
    const loaded = await loadContracts(seed, [source(await file('conflict.json', doc))], {});
    const table = compileTable(seed, { contracts: loaded!.index });
    const props = table.bindings.find((b) => b.id === 'logto-one-time-tokens-rest.listonetimetokens')!.input.schema[
      'properties'
    ] as Record<string, Record<string, unknown>>;
    expect(props['page']).toEqual({ type: 'integer', description: 'Page number (starts from 1).' });
    expect(props['page_size']).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 20,
      description: 'Entries per page.',
    });
  });

  it('body-field arguments get their property schema; a defaulted type gives way, a written one does not', async () => {
    const doc = structuredClone(seed);
    const rest = doc.capability!.exposes!.find((e) => e.type === 'rest') as unknown as {
      resources: Array<{ operations: Array<Record<string, unknown>> }>;
    };
    const create = rest.resources[0]!.operations.find((o) => o['name'] === 'addonetimetokens')!;
    create['inputParameters'] = [
      { name: 'email', in: 'body' },
      { name: 'ttl', in: 'body' },
      { name: 'context', in: 'body', type: 'string', description: 'Our own words.' },
    ];
    // `ttl` feeds the upstream's `expiresIn`: the property is found through the `with` key.
    create['with'] = { email: 'rest.email', expiresIn: 'rest.ttl', context: 'rest.context' };
    const loaded = await loadContracts(doc, [source(OPENAPI)], {});
    const table = compileTable(doc, { contracts: loaded!.index });
    const b = table.bindings.find((x) => x.id === 'logto-one-time-tokens-rest.addonetimetokens')!;
    const props = b.input.schema['properties'] as Record<string, Record<string, unknown>>;
    expect(props['email']).toMatchObject({ type: 'string', minLength: 1, maxLength: 128 });
    expect(props['ttl']).toMatchObject({ type: 'number', minimum: 1 });
    expect(String(props['ttl']?.['description'])).toMatch(/in seconds/);
    expect(props['context']).toEqual({ type: 'string', description: 'Our own words.' });
    expect(b.input.validate({ email: 'ada@example.com', ttl: '10m' })).toEqual({
      ok: false,
      issues: [{ argument: 'ttl', message: 'must be number' }],
    });
  });

  it('OpenAPI 3.0 keywords become JSON Schema 2020-12 ones', () => {
    expect(
      toJsonSchema(
        {
          type: 'object',
          required: ['id', 'n'],
          properties: {
            id: { type: 'string', readOnly: true },
            n: { type: 'integer', format: 'int32', minimum: 0, exclusiveMinimum: true, nullable: true, example: 3 },
            v: { type: 'string', format: 'x-custom', xml: { name: 'v' } },
          },
        },
        'request',
        false,
      ),
    ).toEqual({
      type: 'object',
      required: ['n'],
      properties: {
        n: { type: ['integer', 'null'], format: 'int32', exclusiveMinimum: 0, examples: [3] },
        v: { type: 'string' },
      },
    });
  });

  it('a recursive schema is cut where it recurses, not followed forever', async () => {
    const doc = {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/api/one-time-tokens/{id}': {
          get: {
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          Node: { type: 'object', properties: { child: { $ref: '#/components/schemas/Node' } } },
        },
      },
    };
    const loaded = await loadContracts(seed, [source(await file('recursive.json', doc))], {});
    const response = loaded!.index.get('logto-one-time-tokens.getonetimetoken')!.response!;
    expect(JSON.stringify(response.schema)).not.toContain('$ref');
    expect(response.schema).toMatchObject({ type: 'object', properties: { child: {} } });
  });
});

function yamlOf(doc: unknown): string {
  // JSON is YAML; indenting it keeps the loader on its YAML path.
  return `# Logto\n${JSON.stringify(doc, null, 2)}\n`;
}
