// CSV/TSV/PSV as the engine's Jackson CsvMapper (header schema) reads them. Scenarios from the engine's
// CsvIntegrationTest and ConverterTest (convertDelimitedToJson*, convertToJsonShouldRouteTsvAndPsvFormats,
// convertCsvToJsonShouldDelegateToDelimited, convertToJsonShouldSupportXmlYamlAndCsvFormats), plus hostile bodies.

import { describe, expect, it } from 'vitest';
import { decode, decoder, failure, sample } from './test-support.js';

const USERS = [
  { id: '1', name: 'Alice Smith', email: 'alice@example.com' },
  { id: '2', name: 'Bob Johnson', email: 'bob@example.com' },
  { id: '3', name: 'Carol White', email: 'carol@example.com' },
];

describe('delimited decoders', () => {
  it('read the engine samples into rows keyed by the header', () => {
    expect(decode('csv', sample('sample-users.csv'))).toEqual(USERS);
    expect(decode('tsv', sample('sample-users.tsv'))).toEqual(USERS);
    expect(decode('psv', sample('sample-users.psv'))).toEqual(USERS);
  });

  it('keep every value a string (ConverterTest)', () => {
    expect(decode('CSV', 'name,age\nAlice,42\nBob,39\n')).toEqual([
      { name: 'Alice', age: '42' },
      { name: 'Bob', age: '39' },
    ]);
    expect(decode('tsv', 'id\tname\n1\tAlice\n')).toEqual([{ id: '1', name: 'Alice' }]);
    expect(decode('psv', 'id|name\n1|Alice\n')).toEqual([{ id: '1', name: 'Alice' }]);
  });

  it('honour quotes, doubled quotes, CRLF, a BOM, and skip blank lines', () => {
    const body = '\ufeffid,note\r\n1,"a, b"\r\n\r\n2,"say ""hi"""\r\n3,"two\nlines"\r\n';
    expect(decode('csv', body)).toEqual([
      { id: '1', note: 'a, b' },
      { id: '2', note: 'say "hi"' },
      { id: '3', note: 'two\nlines' },
    ]);
  });

  it('give a short row only the columns it has; a header alone is no rows', () => {
    expect(decode('csv', 'a,b,c\n1,2\n')).toEqual([{ a: '1', b: '2' }]);
    expect(decode('csv', 'a,b,c\n')).toEqual([]);
    expect(decode('csv', 'a,b\n1,\n')).toEqual([{ a: '1', b: '' }]);
  });

  it('refuse a row longer than the header, naming the row', () => {
    expect(failure(() => decode('csv', 'a,b\n1,2\n3,4,5\n'))).toBe(
      'CSV body is not valid: row 2 has 3 fields, the header names 2',
    );
  });

  it('refuse an unclosed quote and a repeated header', () => {
    expect(failure(() => decode('csv', 'a,b\n"1,2\n'))).toMatch(/^CSV body is not valid: Quote Not Closed/);
    expect(failure(() => decode('tsv', 'a\ta\n1\t2\n'))).toBe(
      "TSV body is not valid: the header names column 'a' twice",
    );
  });

  it('refuse binary garbage', () => {
    const garbage = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]);
    expect(failure(() => decode('csv', garbage))).toBe('CSV body is not valid: the bytes are not utf-8 text');
  });

  it('keep __proto__ a column name', () => {
    const [row] = decode('csv', '__proto__,constructor\nx,y\n') as Array<Record<string, unknown>>;
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.hasOwn(row as object, '__proto__')).toBe(true);
    expect(JSON.stringify(row)).toBe('{"__proto__":"x","constructor":"y"}');
  });

  it('ask for the right media type', () => {
    expect(decoder('csv').accept).toMatch(/^text\/csv/);
    expect(decoder('tsv').accept).toMatch(/^text\/tab-separated-values/);
  });
});
