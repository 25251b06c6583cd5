// The engine's own capability files (test/fixtures/engine, copied from ikanos v1.0.0-alpha2) and the engine's
// schema (the committed upstream copy), so a test can ask "does the engine accept this file?" independently of
// our dialect schema and rules.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsNs from 'ajv-formats';
import { parse } from 'yaml';

export const ENGINE_DIR = fileURLToPath(new URL('../fixtures/engine/', import.meta.url));
export const UPSTREAM_SCHEMA = fileURLToPath(
  new URL('../spec/fixtures/upstream/naftiko-schema-1.0.0-alpha2.json', import.meta.url),
);

/** The engine's refusal of a file its schema accepts: checked in code at load (engine tests). */
export const ENGINE_NEGATIVES = {
  'aggregates/aggregate-invalid-ref.yaml': 'NAF_SPEC_REF_TARGET',
  'baseuri-trailing-slash-capability.yaml': 'NAF_SPEC_BASEURI_SLASH',
} as const;

let validate: ((data: unknown) => boolean) | undefined;

/** Whether the engine's (upstream, undialected) alpha2 schema accepts `data`. */
export function engineSchemaAccepts(data: unknown): boolean {
  if (!validate) {
    const ajv = new Ajv2020({ allErrors: false, strict: false });
    addFormatsNs.default(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(UPSTREAM_SCHEMA, 'utf8')) as object);
  }
  return validate(data) === true;
}

/** Every YAML file under test/fixtures/engine, relative to it, sorted. */
export function engineYamlFiles(): string[] {
  return (readdirSync(ENGINE_DIR, { recursive: true }) as string[])
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => relative(ENGINE_DIR, join(ENGINE_DIR, name)))
    .sort();
}

/** The engine's test capabilities: the files its schema accepts. */
export function engineCapabilities(): string[] {
  return engineYamlFiles().filter((name) => engineSchemaAccepts(parse(readFileSync(join(ENGINE_DIR, name), 'utf8'))));
}
