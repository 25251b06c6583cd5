// Before compiling a schema, ajv validates it against its meta-schema, which it compiles on first use: ~55 ms of
// every start-up (issue 14), for the input schemas of the binding table. This gives the binding compiler's ajv the
// meta-schema precompiled at build time instead (schemas/json-schema-2020-12.validate.mjs, from
// scripts/build-validators.mjs with this ajv's options), so schemas are still checked, the same way, before they
// are compiled. A schema naming another $schema goes to ajv's own check.

import type { Ajv2020 } from 'ajv/dist/2020.js';
import { root as validateMeta } from '../../schemas/json-schema-2020-12.validate.mjs';

export const META_SCHEMA_ID = 'https://json-schema.org/draft/2020-12/schema';

/** ajv's validateSchema (as ajv 8 writes it) with the precompiled meta-schema for the default $schema. */
export function usePrecompiledMetaSchema(ajv: Ajv2020): Ajv2020 {
  const own = ajv.validateSchema.bind(ajv);
  ajv.validateSchema = (schema, throwOrLogError) => {
    if (typeof schema === 'boolean' || (schema.$schema !== undefined && schema.$schema !== META_SCHEMA_ID))
      return own(schema, throwOrLogError);
    const valid = validateMeta(schema);
    ajv.errors = valid ? null : (validateMeta.errors ?? null);
    if (!valid && throwOrLogError) throw new Error(`schema is invalid: ${ajv.errorsText()}`);
    return valid;
  };
  return ajv;
}
