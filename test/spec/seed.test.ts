// The seed capability loads with 0 errors and one warning per dialect relaxation it uses, each pinned to line:col.

import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { SpecError } from '../../src/spec/diagnostics.js';
import { loadCapability, loadCapabilityOrThrow } from '../../src/spec/load.js';

const SEED = fileURLToPath(new URL('../../capabilities/logto-one-time-tokens.yaml', import.meta.url));

const SEED_WARNINGS = [
  'NAF_DIALECT_BASEURI_VARIABLE 19:14',
  'NAF_DIALECT_CONSUMED_PARAM_META 36:11',
  'NAF_DIALECT_CONSUMED_PARAM_META 40:11',
  'NAF_DIALECT_CONSUMED_PARAM_META 44:11',
  'NAF_DIALECT_CONSUMED_PARAM_META 48:11',
  'NAF_DIALECT_IMPLICIT_BODY 59:11',
  'NAF_DIALECT_CONSUMED_PARAM_META 61:11',
  'NAF_DIALECT_IMPLICIT_BODY 76:11',
  'NAF_DIALECT_CONSUMED_PARAM_META 78:11',
  'NAF_DIALECT_SINGLE_BRACE_PATH 82:13',
  'NAF_DIALECT_SINGLE_BRACE_PATH 101:13',
  'NAF_DIALECT_IMPLICIT_BODY 112:11',
  'NAF_DIALECT_CONSUMED_PARAM_META 114:11',
  'NAF_DIALECT_QUALIFIED_BIND 119:14',
  'NAF_DIALECT_REST_DESCRIPTION 124:5',
  'NAF_DIALECT_INFERRED_INPUTS 131:9',
  'NAF_DIALECT_WITH_ALIAS 136:18',
  'NAF_DIALECT_WITH_ALIAS 137:19',
  'NAF_DIALECT_WITH_ALIAS 138:17',
  'NAF_DIALECT_WITH_ALIAS 139:22',
  'NAF_DIALECT_IDENTITY_OUTPUT 141:11',
  'NAF_DIALECT_INFERRED_INPUTS 143:9',
  'NAF_DIALECT_WITH_ALIAS 148:17',
  'NAF_DIALECT_IDENTITY_OUTPUT 150:11',
  'NAF_DIALECT_INFERRED_INPUTS 156:9',
  'NAF_DIALECT_WITH_ALIAS 161:17',
  'NAF_DIALECT_IDENTITY_OUTPUT 163:11',
  'NAF_DIALECT_INFERRED_INPUTS 169:9',
  'NAF_DIALECT_IDENTITY_OUTPUT 174:11',
  'NAF_DIALECT_INFERRED_INPUTS 176:9',
  'NAF_DIALECT_IDENTITY_OUTPUT 181:11',
  'NAF_DIALECT_INFERRED_INPUTS 187:9',
  'NAF_DIALECT_WITH_ALIAS 192:17',
  'NAF_DIALECT_IDENTITY_OUTPUT 194:11',
  'NAF_DIALECT_INFERRED_INPUTS 203:7',
  'NAF_DIALECT_WITH_ALIAS 211:16',
  'NAF_DIALECT_WITH_ALIAS 212:17',
  'NAF_DIALECT_WITH_ALIAS 213:15',
  'NAF_DIALECT_WITH_ALIAS 214:20',
  'NAF_DIALECT_IDENTITY_OUTPUT 216:9',
  'NAF_DIALECT_INFERRED_INPUTS 218:7',
  'NAF_DIALECT_WITH_ALIAS 226:15',
  'NAF_DIALECT_IDENTITY_OUTPUT 228:9',
  'NAF_DIALECT_INFERRED_INPUTS 230:7',
  'NAF_DIALECT_WITH_ALIAS 238:15',
  'NAF_DIALECT_IDENTITY_OUTPUT 240:9',
  'NAF_DIALECT_INFERRED_INPUTS 242:7',
  'NAF_DIALECT_IDENTITY_OUTPUT 250:9',
  'NAF_DIALECT_INFERRED_INPUTS 252:7',
  'NAF_DIALECT_IDENTITY_OUTPUT 260:9',
  'NAF_DIALECT_INFERRED_INPUTS 262:7',
  'NAF_DIALECT_WITH_ALIAS 270:15',
  'NAF_DIALECT_IDENTITY_OUTPUT 272:9',
];

const pinned = (diagnostics: { code: string; line: number; col: number }[]): string[] =>
  diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`);

describe('seed capability', () => {
  it('loads with no errors and pins every dialect warning', async () => {
    const result = await loadCapability(SEED);
    expect(result.ok).toBe(true);
    expect(result.file).toBe(SEED);
    expect(result.diagnostics.every((d) => d.severity === 'warning' && d.file === SEED)).toBe(true);
    expect(pinned(result.diagnostics)).toEqual(SEED_WARNINGS);
  });

  it('names the relaxation and what the runtime does with it in each warning', async () => {
    const { diagnostics } = await loadCapability(SEED);
    const first = (code: string) => diagnostics.find((d) => d.code === code)?.message ?? '';
    expect(first('NAF_DIALECT_WITH_ALIAS')).toContain("passes the caller's argument 'email'");
    expect(first('NAF_DIALECT_IDENTITY_OUTPUT')).toContain('returned unchanged');
    expect(first('NAF_DIALECT_BASEURI_VARIABLE')).toContain('[tenant_id]');
    expect(first('NAF_DIALECT_QUALIFIED_BIND')).toContain('LOGTO_API_KEY');
    expect(first('NAF_DIALECT_INFERRED_INPUTS')).toContain(
      'email (query), status (query), page (query), page_size (query)',
    );
    expect(diagnostics.find((d) => d.line === 187)?.message).toContain('body (body), id (path)');
  });

  it('returns the document typed and complete', async () => {
    const { doc } = await loadCapabilityOrThrow(SEED);
    expect(doc.naftiko).toBe('1.0.0-alpha2');
    expect(doc.capability?.consumes?.[0]).toMatchObject({ type: 'http', namespace: 'logto-one-time-tokens' });
    expect(doc.capability?.exposes?.map((e) => e.type)).toEqual(['rest', 'mcp']);
  });

  it('turns every warning into an error in strict mode', async () => {
    const result = await loadCapability(SEED, { strict: true });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.every((d) => d.severity === 'error')).toBe(true);
    expect(pinned(result.diagnostics)).toEqual(SEED_WARNINGS);
    await expect(loadCapabilityOrThrow(SEED, { strict: true })).rejects.toBeInstanceOf(SpecError);
  });

  it('resolves a relative path against the working directory', async () => {
    const result = await loadCapability('capabilities/logto-one-time-tokens.yaml');
    expect(result.file).toBe(SEED);
  });
});

describe('unreadable files', () => {
  it('reports a missing file as NAF_SPEC_READ instead of throwing', async () => {
    const result = await loadCapability('does/not/exist.yaml');
    expect(result.ok).toBe(false);
    expect(result.doc).toBeUndefined();
    expect(result.diagnostics).toMatchObject([{ code: 'NAF_SPEC_READ', severity: 'error', line: 0, col: 0 }]);
    expect(result.diagnostics[0]?.message).toContain('no such file');
  });

  it('throws a SpecError carrying the diagnostics from loadCapabilityOrThrow', async () => {
    const error = await loadCapabilityOrThrow('does/not/exist.yaml').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).diagnostics[0]?.code).toBe('NAF_SPEC_READ');
    expect((error as SpecError).message).toContain('NAF_SPEC_READ');
  });
});
