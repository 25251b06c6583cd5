// Structural validation against our dialect schema (schemas/naftiko-1.0.0-alpha2.schema.json).
// ajv decides validity; schema-explain.ts turns a failure into a few readable issues. The whole-document check
// runs ajv standalone code generated at build time (scripts/build-validators.mjs); ajv compiles at run time only
// the subschemas an explanation needs, so a valid file never pays the ~150 ms (1.5 s on a loaded machine) compile.

import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsNs from 'ajv-formats';
import { root as validateDocument } from '../../schemas/naftiko-1.0.0-alpha2.validate.mjs';
import type { Code } from './codes.js';
import type { Diagnostic } from './diagnostics.js';
import { explainFailure, type Issue, type IssueKind } from './schema-explain.js';
import type { SourceDoc } from './source.js';

export const SCHEMA_URL = new URL('../../schemas/naftiko-1.0.0-alpha2.schema.json', import.meta.url);

export interface SchemaValidator {
  readonly schema: Record<string, unknown>;
  /** Whether `data` satisfies the subschema at `schemaPointer` (a JSON pointer into the schema). */
  isValid(schemaPointer: string, data: unknown): boolean;
  /** Whether `data` is a valid string of the named format. */
  isFormat(format: string, data: unknown): boolean;
}

let cached: SchemaValidator | undefined;

/** Once per process; subschema validators are compiled on first use (when a document fails). */
export function schemaValidator(): SchemaValidator {
  cached ??= createValidator(JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>);
  return cached;
}

export function checkSchema(data: unknown): Issue[] {
  const validator = schemaValidator();
  if (validator.isValid('', data)) return [];
  return explainFailure(validator, data);
}

const KIND_CODES: Record<IssueKind, Code> = {
  unknown: 'NAF_SPEC_SCHEMA_UNKNOWN_PROPERTY',
  required: 'NAF_SPEC_SCHEMA_REQUIRED',
  type: 'NAF_SPEC_SCHEMA_TYPE',
  enum: 'NAF_SPEC_SCHEMA_ENUM',
  pattern: 'NAF_SPEC_SCHEMA_PATTERN',
  range: 'NAF_SPEC_SCHEMA_RANGE',
  shape: 'NAF_SPEC_SCHEMA_SHAPE',
};

export function schemaDiagnostics(src: SourceDoc): Diagnostic[] {
  return checkSchema(src.data).map((issue) => {
    const { line, col } = src.locate(issue.pointer, issue.anchor);
    const code = KIND_CODES[issue.kind];
    return { severity: 'error', code, message: issue.message, file: src.file, line, col, pointer: issue.pointer };
  });
}

function createValidator(schema: Record<string, unknown>): SchemaValidator {
  let compiler: Ajv2020 | undefined;
  const ajv = (): Ajv2020 => {
    if (compiler) return compiler;
    // strict: false because the upstream schema carries a non-standard `name` keyword and
    // `required`-only branches that ajv's strict mode would reject; the schema is vendored, not ours to fix.
    // scripts/build-validators.mjs compiles the root with these same options.
    compiler = new Ajv2020({ allErrors: false, strict: false });
    addFormatsNs.default(compiler);
    compiler.addSchema(schema);
    return compiler;
  };
  const id = String(schema['$id']);
  const validators = new Map<string, ValidateFunction>();
  const formats = new Map<string, ValidateFunction>();
  const at = (pointer: string): ValidateFunction => {
    let validate = validators.get(pointer);
    if (!validate) {
      validate = ajv().getSchema(pointer === '' ? id : `${id}#${pointer}`);
      if (!validate) throw new Error(`schema has no node at ${pointer}`);
      validators.set(pointer, validate);
    }
    return validate;
  };
  const format = (name: string): ValidateFunction => {
    let validate = formats.get(name);
    if (!validate) formats.set(name, (validate = ajv().compile({ type: 'string', format: name })));
    return validate;
  };
  return {
    schema,
    isValid: (pointer, data) => (pointer === '' ? validateDocument(data) : at(pointer)(data) === true),
    isFormat: (name, data) => format(name)(data) === true,
  };
}
