// outputRawFormat that this runtime cannot decode as declared (avro/protobuf without a readable schema file, an
// HTML selector that is not CSS, …) is named at load: every exposed item that calls the operation is left out,
// never served to fail on each call. The reasons come from the decoders themselves (consume/formats).

import { dirname } from 'node:path';
import { str, type Findings } from './findings.js';
import type { Model } from './model.js';
import { child } from './pointer.js';

type Formats = typeof import('../consume/formats/index.js');

// The decoders pull in a parser per format (parse5, protobufjs, avsc, csv-parse, micromark…): about a fifth of
// start-up's CPU, so they are imported only for a file that declares an outputRawFormat other than json (json has
// no decoder: the consumer's own JSON path reads it).
let formats: Formats | undefined;

const decoded = (format: string | undefined): format is string =>
  format !== undefined && format.toLowerCase() !== 'json';

/** Imports the decoders when `model` has an operation with a decoded outputRawFormat; call before checkFormats. */
export async function prepareFormats(model: Model): Promise<void> {
  if (formats) return;
  for (const { op } of model.ops.values()) {
    if (!decoded(str(op['outputRawFormat']))) continue;
    formats = await import('../consume/formats/index.js');
    return;
  }
}

export function checkFormats(model: Model, findings: Findings): void {
  // Schema paths are relative to the capability file, as the compiler resolves them.
  const baseDir = dirname(model.main.file);
  for (const { id, entry, op, ptr } of model.ops.values()) {
    const format = str(op['outputRawFormat']);
    if (!decoded(format)) continue;
    if (!formats) throw new Error('checkFormats: prepareFormats was not awaited for this model');
    const { decoderFor, isRefusal } = formats;
    const outputSchema = op['outputSchema'];
    const made = decoderFor(format, outputSchema === undefined ? { baseDir } : { baseDir, outputSchema });
    if (!isRefusal(made)) continue;
    const message =
      `consumed operation '${id}' declares outputRawFormat '${format}', which cannot be read here: ${made.refused}; ` +
      'the tools and operations that call it are not served';
    findings.add(entry.src, child(ptr, 'outputRawFormat'), 'NAF_SPEC_UNSUPPORTED_FORMAT', message);
  }
}
