// Picking a decoder by outputRawFormat, as the engine's ConversionFormat.fromLabel and Converter.convertToJson do
// (ConversionFormatTest, ConverterTest.convertToJsonShouldRejectUnsupportedFormat / ...SupportJsonWhenFormatIsNull /
// ...SupportExplicitJsonFormat).

import { describe, expect, it } from 'vitest';
import { decoderFor, FORMATS, isRefusal } from './index.js';
import { SCHEMAS } from './test-support.js';

const opts = { baseDir: SCHEMAS };

describe('decoderFor', () => {
  it('keeps the JSON path for json and for no format', () => {
    expect(decoderFor(undefined, opts)).toBeUndefined();
    expect(decoderFor('json', opts)).toBeUndefined();
    expect(decoderFor('JSON', opts)).toBeUndefined();
  });

  it('matches labels case-insensitively', () => {
    for (const label of ['Xml', 'CSV', 'yaml', 'TSV', 'psv', 'html', 'Markdown'])
      expect(typeof decoderFor(label, opts), label).toBe('function');
    expect(typeof decoderFor('Avro', { ...opts, outputSchema: 'test-records.avsc' })).toBe('function');
    expect(typeof decoderFor('PROTOBUF', { ...opts, outputSchema: 'test-records.proto' })).toBe('function');
  });

  it('refuses a format it does not know, naming the known ones', () => {
    const made = decoderFor('INI', opts);
    expect(isRefusal(made)).toBe(true);
    expect(made).toEqual({ refused: `outputRawFormat 'INI' is not a known format (known: ${FORMATS.join(', ')})` });
  });

  it('covers the schema enum of outputRawFormat', async () => {
    const { readFile } = await import('node:fs/promises');
    const schema = JSON.parse(
      await readFile(new URL('../../../schemas/naftiko-1.0.0-alpha2.schema.json', import.meta.url), 'utf8'),
    ) as { $defs: Record<string, { properties?: Record<string, { enum?: string[] }> }> };
    const enums = Object.values(schema.$defs).flatMap((d) => d.properties?.['outputRawFormat']?.enum ?? []);
    expect(enums.length).toBeGreaterThan(0);
    expect([...new Set(enums)].sort()).toEqual([...FORMATS].sort());
  });
});
