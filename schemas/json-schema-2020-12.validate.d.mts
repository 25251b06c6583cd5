// Types of the generated json-schema-2020-12.validate.mjs (scripts/build-validators.mjs).

import type { ErrorObject } from 'ajv';

/** The JSON Schema 2020-12 meta-schema, precompiled: true when the schema is valid; errors as ajv reports them. */
export declare const root: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
