// `outputRawFormat` → the decoder that turns a 2xx upstream body into the JSON value output mappings read
// (DESIGN §10: formats are decoders, picked at compile time). `json`, or no format, keeps the consumer's own JSON
// path. A format that cannot work as declared (avro/protobuf without a readable schema, a bad HTML selector, a
// name we do not know) is a refusal with its reason: reported at load, never a broken call.

import { avroDecoder } from './avro.js';
import type { Decoder } from './common.js';
import { delimitedDecoder } from './delimited.js';
import { htmlDecoder } from './html.js';
import { markdownDecoder } from './markdown.js';
import { protobufDecoder } from './protobuf.js';
import { decodeXml } from './xml.js';
import { decodeYaml } from './yaml.js';

export type { Decoder } from './common.js';

export const FORMATS = ['json', 'xml', 'yaml', 'csv', 'tsv', 'psv', 'html', 'markdown', 'avro', 'protobuf'] as const;

export interface DecoderOptions {
  /** The folder of the capability file: avro/protobuf schema paths are relative to it. */
  readonly baseDir: string;
  /** The operation's `outputSchema`: schema file (avro, protobuf), CSS selector (html), heading prefix (markdown). */
  readonly outputSchema?: unknown;
}

/** Undefined for JSON (or no format); labels are matched case-insensitively, as the engine does. */
export function decoderFor(
  format: string | undefined,
  options: DecoderOptions,
): Decoder | undefined | { refused: string } {
  if (format === undefined) return undefined;
  const { baseDir, outputSchema } = options;
  const selector = typeof outputSchema === 'string' ? outputSchema : undefined;
  switch (format.toLowerCase()) {
    case 'json':
      return undefined;
    case 'xml':
      return decodeXml;
    case 'yaml':
      return decodeYaml;
    case 'csv':
    case 'tsv':
    case 'psv':
      return delimitedDecoder(format.toLowerCase() as 'csv' | 'tsv' | 'psv');
    case 'html':
      return htmlDecoder(selector);
    case 'markdown':
      return markdownDecoder(selector);
    case 'avro':
      return avroDecoder(outputSchema, baseDir);
    case 'protobuf':
      return protobufDecoder(outputSchema, baseDir);
    default:
      return { refused: `outputRawFormat '${format}' is not a known format (known: ${FORMATS.join(', ')})` };
  }
}

export function isRefusal(value: Decoder | undefined | { refused: string }): value is { refused: string } {
  return typeof value === 'object' && value !== null && 'refused' in value;
}
