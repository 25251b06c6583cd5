// What a script step is refused for at load, with the reason a user reads. Engine scenarios as facts from
// ikanos v1.0.0-alpha2 ScriptStepExecutorTest (path traversal, missing file/dependency, missing location or
// language, allowed languages, requireScriptingPermitted) and ScriptingIntegrationTest (the scripting block).

import { symlinkSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveScript } from './resolve.js';
import { scriptingSettings, SCRIPT_DEFAULTS, type ScriptingSettings } from './settings.js';

const ENGINE = fileURLToPath(new URL('../../test/fixtures/engine/', import.meta.url));
const OURS = fileURLToPath(new URL('../../test/fixtures/scripts/', import.meta.url));
const DEFAULTS = scriptingSettings({}, {});

function refusal(step: Record<string, unknown>, settings: Partial<ScriptingSettings> = {}, baseDir = ENGINE): string {
  const full = { type: 'script', name: 'step', language: 'javascript', location: 'file:///./scripts', ...step };
  const result = resolveScript(full, { baseDir, settings: { ...DEFAULTS, ...settings } });
  return 'refused' in result ? result.refused : 'accepted';
}

describe('refused languages and switches', () => {
  it('refuses Python and Groovy, naming the language', () => {
    expect(refusal({ language: 'python', file: 'simple-transform.py' })).toBe(
      'Python scripts are not supported by this runtime; use JavaScript',
    );
    expect(refusal({ language: 'groovy', file: 'enrich-products.groovy' })).toBe(
      'Groovy scripts are not supported by this runtime; use JavaScript',
    );
  });

  it('refuses every script when scripting is disabled, saying where it was switched off', () => {
    expect(refusal({ file: 'simple-transform.js' }, { enabled: false, enabledFrom: 'block' })).toBe(
      'scripting is disabled via management.scripting.enabled=false on the control adapter',
    );
    const env = scriptingSettings({}, { NAFTIKO_SCRIPTING: 'false' });
    expect(refusal({ file: 'simple-transform.js' }, env)).toBe('scripting is disabled via NAFTIKO_SCRIPTING=false');
  });

  it('refuses a language outside allowedLanguages', () => {
    expect(refusal({ language: 'groovy', file: 'enrich-products.groovy' }, { allowedLanguages: ['javascript'] })).toBe(
      "language 'groovy' is not in the control adapter's allowedLanguages (javascript)",
    );
    expect(refusal({ file: 'simple-transform.js' }, { allowedLanguages: ['javascript'] })).toBe('accepted');
  });

  it('refuses a step with no location or no language and no default for it', () => {
    expect(refusal({ location: undefined, file: 'script.js' })).toMatch(/^it has no 'location': set 'location'/);
    expect(refusal({ language: undefined, file: 'simple-transform.js' })).toMatch(/^it has no 'language'/);
  });
});

describe('script files', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'naftiko-scripts-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('refuses a missing file or dependency', () => {
    expect(refusal({ file: 'nonexistent.js' })).toBe(
      "script file 'nonexistent.js' does not exist in location 'file:///./scripts'",
    );
    expect(refusal({ file: 'simple-transform.js', dependencies: ['nonexistent-dep.js'] })).toBe(
      "script file 'nonexistent-dep.js' does not exist in location 'file:///./scripts'",
    );
  });

  it('refuses a path that climbs out, is absolute, or has odd segments', () => {
    for (const file of ['../../etc/passwd', '/etc/passwd', 'lib/../simple-transform.js', 'a b.js', './x.js'])
      expect(refusal({ file }), file).toMatch(/^script path '.*' is not a plain relative path/);
  });

  it('refuses a symlink that leads outside the location', () => {
    expect(refusal({ location: 'file:///./lib', file: 'escape-link.js' }, {}, OURS)).toBe(
      "script file 'escape-link.js' is a link that leads outside location 'file:///./lib'",
    );
  });

  it('refuses a location outside the capability folder, by URI, by climbing or through a link', () => {
    const lib = join(OURS, 'lib');
    expect(refusal({ location: 'file:///./../outside', file: 'secret.js' }, {}, lib)).toMatch(
      /^location 'file:\/\/\/\.\/\.\.\/outside' is outside the capability's folder: scripts must live in or under it$/,
    );
    expect(refusal({ location: pathToFileURL(join(OURS, 'outside')).href, file: 'secret.js' }, {}, lib)).toMatch(
      /is outside the capability's folder/,
    );
    symlinkSync(join(OURS, 'outside'), join(scratch, 'linked'));
    expect(refusal({ location: 'file:///./linked', file: 'secret.js' }, {}, scratch)).toMatch(
      /is outside the capability's folder/,
    );
    expect(refusal({ location: 'https://example.com/scripts', file: 'x.js' })).toBe(
      "location 'https://example.com/scripts' is not a file:/// URI (scripts are read from local files only)",
    );
  });

  it('accepts an absolute file:/// location inside the capability folder', () => {
    expect(refusal({ location: pathToFileURL(join(ENGINE, 'scripts')).href, file: 'simple-transform.js' })).toBe(
      'accepted',
    );
  });

  it('refuses module syntax and files that do not parse, at load', () => {
    expect(refusal({ location: 'file:///.', file: 'uses-import.js' }, {}, OURS)).toBe(
      "script file 'uses-import.js' uses module syntax (import/export): scripts run as classic scripts; list helper files under 'dependencies'",
    );
    expect(refusal({ location: 'file:///.', file: 'broken.js' }, {}, OURS)).toMatch(
      /^script file 'broken\.js' does not parse: /,
    );
  });
});

describe('scriptingSettings', () => {
  it('reads the control adapter block of control-scripting-capability.yaml', () => {
    const file = join(ENGINE, 'control/control-scripting-capability.yaml');
    const settings = scriptingSettings(parse(readFileSync(file, 'utf8')), {});
    expect(settings).toEqual({
      enabled: true,
      enabledFrom: 'block',
      defaultLocation: 'file:///app/scripts',
      defaultLanguage: 'javascript',
      timeoutMs: 3000,
      statementLimit: 50000,
      allowedLanguages: ['javascript', 'python'],
      memoryLimitBytes: SCRIPT_DEFAULTS.memoryLimitBytes,
      maxResultChars: SCRIPT_DEFAULTS.maxResultChars,
    });
  });

  it("defaults to the engine's: enabled, 60 s, 100 000 statements, every language", () => {
    expect(scriptingSettings({ capability: { exposes: [{ type: 'rest' }] } }, {})).toEqual({
      enabled: true,
      enabledFrom: 'default',
      timeoutMs: 60_000,
      statementLimit: 100_000,
      allowedLanguages: [],
      memoryLimitBytes: 64 * 1024 * 1024,
      maxResultChars: 4 * 1024 * 1024,
    });
  });

  it('lets an explicit enabled in the block win over NAFTIKO_SCRIPTING', () => {
    const doc = { capability: { exposes: [{ type: 'control', management: { scripting: { enabled: true } } }] } };
    expect(scriptingSettings(doc, { NAFTIKO_SCRIPTING: 'false' }).enabled).toBe(true);
    expect(scriptingSettings({}, { NAFTIKO_SCRIPTING: 'FALSE' }).enabled).toBe(false);
  });
});
