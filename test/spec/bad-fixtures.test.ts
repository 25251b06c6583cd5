// Golden bad capabilities: each file starts with `# expect: CODE [file:]line:col` lines, the exact and complete
// list of diagnostics it must produce (a file other than the fixture is named relative to the fixture).

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCapability } from '../../src/spec/load.js';

const DIR = fileURLToPath(new URL('../fixtures/invalid/', import.meta.url));
const CASES = readdirSync(DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort();

function expectations(text: string): string[] {
  return [...text.matchAll(/^# expect: (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
}

describe('bad capability fixtures', () => {
  it('has fixtures', () => {
    expect(CASES.length).toBeGreaterThan(25);
  });

  it.each(CASES)('%s', async (name) => {
    const file = join(DIR, name);
    const expected = expectations(readFileSync(file, 'utf8'));
    expect(expected.length).toBeGreaterThan(0);
    const result = await loadCapability(file);
    const actual = result.diagnostics.map(
      (d) => `${d.code} ${d.file === file ? '' : `${relative(DIR, d.file)}:`}${d.line}:${d.col}`,
    );
    expect(actual).toEqual(expected);
    // Messages are pinned too (snapshot reviewed by hand): wording is part of the contract with users.
    expect(result.diagnostics.map((d) => d.message.replaceAll(DIR, '<fixtures>/'))).toMatchSnapshot();
    expect(result.ok).toBe(!result.diagnostics.some((d) => d.severity === 'error'));
    for (const d of result.diagnostics) {
      expect(d.message).not.toContain('\n');
      expect(d.message.length).toBeLessThan(400);
    }
  });
});

describe('schema messages', () => {
  const message = async (name: string) => (await loadCapability(join(DIR, name))).diagnostics[0]?.message;

  it('says which property is unknown, where, and what is allowed', async () => {
    expect(await message('schema-unknown-property.yaml')).toBe(
      "unknown property 'foo' in capability.exposes[0] (rest); allowed: address, authentication, description, namespace, port, resources, type",
    );
  });

  it('merges a discriminator that matches no alternative into one line', async () => {
    expect(await message('schema-adapter-type.yaml')).toBe(
      'capability.exposes[0].type must be "rest" or "mcp" or "skill" or "control" (got "grpc")',
    );
  });

  it('lists the known operations for a call that names none', async () => {
    expect(await message('call-target-unknown.yaml')).toBe(
      "call 'api.get-items' names no consumed operation; known: api.get-item",
    );
  });
});
