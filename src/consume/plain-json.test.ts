import { describe, expect, it } from 'vitest';
import { isPlainJson } from './plain-json.js';

const yes = (text: string | Buffer) => isPlainJson(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);

describe('isPlainJson', () => {
  it('accepts JSON whose bytes equal what the scrubber would see after a parse and re-serialise', () => {
    for (const text of [
      '{}',
      '[]',
      ' \t\r\n{"a": [1, -2, 0, 3.25, -0.5, true, false, null, "x", {"b": {}}, []]} \n',
      '"just a string"',
      '0',
      '-12',
      'null',
      '[{"email":"ada@example.com","name":"Ada Lovelace — née Byron ✓"}]',
    ]) {
      expect(yes(text), text).toBe(true);
      expect(() => JSON.parse(text)).not.toThrow();
    }
  });

  it('refuses what JSON.parse refuses', () => {
    for (const text of [
      '',
      '   ',
      '{',
      '}',
      '[1,]',
      '{"a":1,}',
      '{"a" 1}',
      '{a:1}',
      "{'a':1}",
      '[01]',
      '[1.]',
      '[.5]',
      '[+1]',
      '[-]',
      'tru',
      'nul',
      '[true false]',
      '{"a":1}{"b":2}',
      '{"a":1} x',
      '"unterminated',
      '"tab\there"',
      '\ufeff{}',
      'not json',
      '<html></html>',
    ]) {
      expect(yes(text), JSON.stringify(text)).toBe(false);
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      // Only the BOM case is text JSON.parse refuses too but a decoder might strip: refused here either way.
      expect(parses, JSON.stringify(text)).toBe(false);
    }
  });

  it('leaves escapes and exponents to the parse path, where the scrubber sees their plain spelling', () => {
    for (const text of ['{"k":"\\u0062earer"}', '["a\\/b"]', '["\\n"]', '[1e5]', '[2E-3]', '{"a\\"b":1}']) {
      expect(yes(text), text).toBe(false);
      expect(() => JSON.parse(text)).not.toThrow();
    }
  });

  it('refuses bytes that are not UTF-8 and nesting deeper than it tracks', () => {
    expect(yes(Buffer.from([0x5b, 0x22, 0xff, 0x22, 0x5d]))).toBe(false);
    expect(yes(`${'['.repeat(300)}${']'.repeat(300)}`)).toBe(false);
    expect(yes(`${'['.repeat(200)}${']'.repeat(200)}`)).toBe(true);
  });
});
