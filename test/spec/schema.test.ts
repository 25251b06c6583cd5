// Our dialect schema is the upstream alpha2 schema plus exactly three relaxations, each marked `dialect:`.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SCHEMA_URL, schemaValidator } from '../../src/spec/schema-check.js';

type Json = Record<string, unknown>;
const readJson = (url: URL): Json => JSON.parse(readFileSync(url, 'utf8')) as Json;
const ours = readJson(SCHEMA_URL);
const upstream = readJson(new URL('./fixtures/upstream/naftiko-schema-1.0.0-alpha2.json', import.meta.url));
const defs = (schema: Json) => schema['$defs'] as Record<string, Json>;
const SEED = fileURLToPath(new URL('../../capabilities/logto-one-time-tokens.yaml', import.meta.url));

/** Undo the three relaxations; what remains must be the upstream schema, byte for byte as data. */
function withoutRelaxations(schema: Json): Json {
  const copy = structuredClone(schema);
  delete copy['$comment'];
  const d = defs(copy);
  delete (d['ExposesRest']?.['properties'] as Json)['description'];
  const consumed = d['ConsumedInputParameter'] as Json;
  delete consumed['$comment'];
  for (const key of ['type', 'description', 'required']) delete (consumed['properties'] as Json)[key];
  const object = (d['MappedOutputParameterObject']?.['allOf'] as Json[])[1] as Json;
  delete object['$comment'];
  delete object['anyOf'];
  object['required'] = ['properties'];
  return copy;
}

function dialectComments(node: unknown, path = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => dialectComments(n, `${path}/${i}`));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) =>
    k === '$comment' && typeof v === 'string' && v.startsWith('dialect:') ? [path] : dialectComments(v, `${path}/${k}`),
  );
}

describe('dialect schema', () => {
  it('differs from upstream only by the three relaxations', () => {
    expect(withoutRelaxations(ours)).toEqual(upstream);
  });

  it('marks each relaxation with a dialect: $comment', () => {
    expect(dialectComments(ours)).toEqual([
      '',
      '/$defs/ConsumedInputParameter/properties/type',
      '/$defs/ConsumedInputParameter/properties/description',
      '/$defs/ConsumedInputParameter/properties/required',
      '/$defs/ConsumedInputParameter',
      '/$defs/MappedOutputParameterObject/allOf/1',
      '/$defs/ExposesRest/properties/description',
    ]);
  });

  it('accepts the seed, which the upstream schema rejects', () => {
    const seed: unknown = parse(readFileSync(SEED, 'utf8'));
    expect(schemaValidator().isValid('', seed)).toBe(true);
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    expect(ajv.validate(upstream, seed)).toBe(false);
  });

  it('matches an identity output {type: object, mapping: $.} to exactly one output shape', () => {
    const identity = { type: 'object', mapping: '$.' };
    const branches = (defs(ours)['MappedOutputParameter']?.['oneOf'] as unknown[]).map((_, i) =>
      schemaValidator().isValid(`/$defs/MappedOutputParameter/oneOf/${i}`, identity),
    );
    expect(branches).toEqual([false, false, false, true, false]);
    expect(schemaValidator().isValid('/$defs/MockOutputParameter', identity)).toBe(false);
    expect(
      schemaValidator().isValid('/$defs/McpTool', {
        name: 't',
        description: 'd',
        call: 'a.b',
        outputParameters: [identity],
      }),
    ).toBe(true);
  });

  it('relaxes nothing else: an object output still needs properties or mapping, consumed params no other keys', () => {
    const v = schemaValidator();
    expect(v.isValid('/$defs/MappedOutputParameter', { type: 'object' })).toBe(false);
    expect(v.isValid('/$defs/MappedOutputParameter', { type: 'object', value: 'x' })).toBe(false);
    expect(
      v.isValid('/$defs/ConsumedInputParameter', { name: 'a', in: 'query', type: 'integer', required: true }),
    ).toBe(true);
    expect(v.isValid('/$defs/ConsumedInputParameter', { name: 'a', in: 'query', type: 'uuid' })).toBe(false);
    expect(v.isValid('/$defs/ConsumedInputParameter', { name: 'a', in: 'query', pattern: '^a$' })).toBe(false);
    expect(v.isValid('/$defs/ExposesRest', { type: 'rest', namespace: 'r', port: 1, description: 'x' })).toBe(true);
    expect(v.isValid('/$defs/ExposesRest', { type: 'rest', namespace: 'r', port: 1, summary: 'x' })).toBe(false);
  });
});
