// The precompiled whole-document validator (schemas/naftiko-1.0.0-alpha2.validate.mjs, from
// scripts/build-validators.mjs) is current with the schema and ajv, and judges documents as ajv compiling the
// schema at run time does — on valid capabilities and on every invalid fixture.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsNs from 'ajv-formats';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { root as precompiled } from '../../schemas/naftiko-1.0.0-alpha2.validate.mjs';
import { SCHEMA_URL } from '../../src/spec/schema-check.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name));
}

describe('precompiled alpha2 validator', () => {
  it('is up to date with the schema (node scripts/build-validators.mjs --check)', () => {
    const run = () =>
      execFileSync(process.execPath, ['scripts/build-validators.mjs', '--check'], { cwd: ROOT, stdio: 'pipe' });
    expect(run).not.toThrow();
  });

  it('agrees with the run-time compiled schema on valid and invalid documents', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv2020({ allErrors: false, strict: false });
    addFormatsNs.default(ajv);
    const compiled = ajv.compile(schema);
    const files = [
      ...yamlFiles('capabilities'),
      ...yamlFiles('test/fixtures/invalid'),
      ...yamlFiles('test/spec/fixtures/corpus'),
      ...yamlFiles('test/spec/fixtures/good'),
    ];
    // A file that is not YAML (a fixture for the parse error) never reaches the schema.
    const documents = files.flatMap((file) => {
      const doc = parseDocument(readFileSync(join(ROOT, file), 'utf8'));
      return doc.errors.length > 0 ? [] : [{ file, data: doc.toJS() as unknown }];
    });
    const verdicts = documents.map(({ file, data }) => ({
      file,
      precompiled: precompiled(data),
      compiled: compiled(data) === true,
    }));
    expect(verdicts.length).toBeGreaterThan(40);
    expect(verdicts.filter((v) => v.precompiled !== v.compiled)).toEqual([]);
    // Both verdicts occur, so the comparison covers failing documents as well as passing ones.
    expect(new Set(verdicts.map((v) => v.compiled))).toEqual(new Set([true, false]));
  });
});
