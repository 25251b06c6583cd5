import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsNs from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { META_SCHEMA_ID, usePrecompiledMetaSchema } from './meta-schema.js';

const fresh = () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormatsNs.default(ajv);
  return ajv;
};

const SCHEMAS: unknown[] = [
  { type: 'object', properties: { id: { type: 'string', maxLength: 10 } }, required: ['id'] },
  { type: 'string', format: 'email', pattern: '^[a-z]+@' },
  { type: 'array', items: { type: 'integer', minimum: 0 }, maxItems: 3 },
  { $schema: META_SCHEMA_ID, type: 'number', multipleOf: 2 },
  true,
  { type: 'strnig' },
  { type: 'object', properties: { id: { maxLength: -1 } }, required: 'id' },
  { type: 'array', items: [{ type: 'string' }], minItems: 'two' },
  { enum: 'red' },
  { $defs: { a: { type: 7 } }, anyOf: [] },
  { $schema: 'http://json-schema.org/draft-07/schema#', type: 'string' },
];

describe('usePrecompiledMetaSchema', () => {
  it("judges schemas as ajv's own meta-schema check does, with the same errors", () => {
    const own = fresh();
    const precompiled = usePrecompiledMetaSchema(fresh());
    const verdicts = SCHEMAS.map((schema) => {
      const run = (ajv: Ajv2020) => {
        try {
          return { valid: ajv.validateSchema(schema as object), errors: ajv.errorsText() };
        } catch (err) {
          return { thrown: (err as Error).message };
        }
      };
      return { schema, own: run(own), precompiled: run(precompiled) };
    });
    for (const v of verdicts) expect(v.precompiled, JSON.stringify(v.schema)).toEqual(v.own);
    expect(verdicts.filter((v) => v.own.valid === false)).toHaveLength(5);
  });

  it('compile still refuses an invalid schema with ajv’s message, and compiles a valid one', () => {
    const ajv = usePrecompiledMetaSchema(fresh());
    expect(() => ajv.compile({ type: 'object', properties: { n: { type: 'int' } } })).toThrow(
      /^schema is invalid: data\/properties\/n\/type must be equal to one of the allowed values/,
    );
    const check = ajv.compile({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] });
    expect([check({ n: 1 }), check({ n: 'x' }), check({})]).toEqual([true, false, false]);
  });

  it('never compiles the meta-schema for the default $schema', () => {
    const ajv = usePrecompiledMetaSchema(fresh());
    ajv.compile({ type: 'object', properties: { id: { type: 'string' } } });
    // ajv registers its meta-schemas up front and compiles one when a check first needs it.
    expect(
      (ajv as unknown as { schemas: Record<string, { validate?: unknown }> }).schemas[META_SCHEMA_ID]?.validate,
    ).toBe(undefined);
  });
});
