// outputRawFormat that this runtime cannot decode as declared (avro/protobuf without a readable schema file, an
// HTML selector that is not CSS, …) is named at load: every exposed item that calls the operation is left out,
// never served to fail on each call. The reasons come from the decoders themselves (consume/formats).

import { dirname } from 'node:path';
import { decoderFor, isRefusal } from '../consume/formats/index.js';
import { str, type Findings } from './findings.js';
import type { Model } from './model.js';
import { child } from './pointer.js';

export function checkFormats(model: Model, findings: Findings): void {
  // Schema paths are relative to the capability file, as the compiler resolves them.
  const baseDir = dirname(model.main.file);
  for (const { id, entry, op, ptr } of model.ops.values()) {
    const format = str(op['outputRawFormat']);
    if (format === undefined) continue;
    const outputSchema = op['outputSchema'];
    const made = decoderFor(format, outputSchema === undefined ? { baseDir } : { baseDir, outputSchema });
    if (!isRefusal(made)) continue;
    const message =
      `consumed operation '${id}' declares outputRawFormat '${format}', which cannot be read here: ${made.refused}; ` +
      'the tools and operations that call it are not served';
    findings.add(entry.src, child(ptr, 'outputRawFormat'), 'NAF_SPEC_UNSUPPORTED_FORMAT', message);
  }
}
