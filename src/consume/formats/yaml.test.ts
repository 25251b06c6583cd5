// YAML as the engine's Jackson YAML mapper reads it. Scenarios from the engine's YamlIntegrationTest and
// ConverterTest.convertToJsonShouldSupportXmlYamlAndCsvFormats, plus hostile bodies.

import { describe, expect, it } from 'vitest';
import { decode, failure, sample } from './test-support.js';

const yaml = (body: string | Buffer): unknown => decode('yaml', body);

describe('yaml decoder', () => {
  it('reads sample-users.yaml', () => {
    expect(yaml(sample('sample-users.yaml'))).toEqual({
      users: [
        { id: '1', name: 'Alice Smith', email: 'alice@example.com' },
        { id: '2', name: 'Bob Johnson', email: 'bob@example.com' },
        { id: '3', name: 'Carol White', email: 'carol@example.com' },
      ],
    });
  });

  it('types plain scalars: numbers, booleans (YAML 1.1 words too), null; dates stay strings', () => {
    expect(yaml('name: Alice\nage: 42\n')).toEqual({ name: 'Alice', age: 42 });
    expect(yaml('a: true\nb: yes\nc: Off\nd: ~\ne: 2026-02-21\nf: "42"\ng: 1.5\nh: null\n')).toEqual({
      a: true,
      b: true,
      c: false,
      d: null,
      e: '2026-02-21',
      f: '42',
      g: 1.5,
      h: null,
    });
  });

  it('reads the first document; a repeated key keeps its last value', () => {
    expect(yaml('a: 1\n---\na: 2\n')).toEqual({ a: 1 });
    expect(yaml('a: 1\na: 2\n')).toEqual({ a: 2 });
  });

  it('expands a few aliases but refuses an alias bomb', () => {
    expect(yaml('base: &b {x: 1}\nuse: *b\n')).toEqual({ base: { x: 1 }, use: { x: 1 } });
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= 9; i++) {
      const prev = i === 1 ? 'a' : `a${i - 1}`;
      lines.push(`a${i}: &a${i} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    expect(failure(() => yaml(lines.join('\n')))).toMatch(/^YAML body is not valid: .*alias/i);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses malformed YAML', () => {
    expect(failure(() => yaml('a: [1, 2\n'))).toMatch(/^YAML body is not valid: /);
    expect(failure(() => yaml('a: b: c\n'))).toMatch(/^YAML body is not valid: /);
  });

  it('refuses nesting deeper than 128 levels without overflowing the stack', () => {
    expect(failure(() => yaml('['.repeat(50_000) + ']'.repeat(50_000)))).toMatch(
      /^YAML body is not valid: nested more than 128 levels deep/,
    );
  });

  it('keeps __proto__ a key', () => {
    const value = yaml('__proto__:\n  polluted: yes\n') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
